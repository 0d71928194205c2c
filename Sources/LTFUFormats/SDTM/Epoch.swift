import LTFUCore

/// SDTMIG 3.4 §4.1.3.1, timing variable `EPOCH`: the epoch of the trial during which an
/// observation's start date falls (in DS "based on DSSTDTC", SDTMIG 3.4 DS assumption 4c),
/// from CDISC CT codelist EPOCH (C99079). FDA business rule FB2201 wants it on every
/// subject-level observation (CORE-000701), so AE, DS and EX carry it; SV, a special-purpose
/// domain, is not among those, and DM has none.
///
/// The one rule for every domain, from the dates the export holds (the sponsor's trial design,
/// TA and SE, is not in ltfu): before the first infusion `SCREENING` (e.g. a consent before
/// Day 1); on a day of infusion, the first or a later one, `TREATMENT`; any other day after the
/// first infusion `FOLLOW-UP`, the epoch of long-term follow-up. A subject never infused has no
/// reference to tell them apart: null, as its study days are.
public enum Epoch: String, Sendable, Hashable, CaseIterable {
    case screening = "SCREENING"
    case treatment = "TREATMENT"
    case followUp = "FOLLOW-UP"

    /// The column every domain that has one gives it (after its other qualifiers, before its
    /// `--DTC` variables, as SDTMIG orders timing variables). Dataset-JSON `length` is the
    /// longest value written, as for every character variable (9 for each of these terms).
    static let variable = SDTMDataset.Variable("EPOCH", "Epoch")

    /// The epoch of a record dated `date` for a subject infused on `infusions` (any order).
    public static func of(_ date: CalendarDate, infusions: [CalendarDate]) -> Epoch? {
        guard let first = infusions.min() else { return nil }
        if date < first { return .screening }
        return infusions.contains(date) ? .treatment : .followUp
    }

    /// `EPOCH` of a record of `subject` dated `date`, as a value of its row.
    static func value(_ date: CalendarDate, of subject: SponsorSubject) -> SDTMDataset.Value? {
        of(date, infusions: subject.infusions).map { .text($0.rawValue) }
    }
}
