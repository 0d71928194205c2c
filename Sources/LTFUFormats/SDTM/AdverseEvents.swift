import LTFUCore

/// SDTM AE (SDTMIG 3.4, Adverse Events), SPEC §14: a row per safety event ltfu holds (SPEC §10),
/// each a delayed adverse event of the FDA 2020 LTFU guidance. MedDRA coding (`AEDECOD`,
/// `AEBODSYS`) is the sponsor's and stays null; so do the investigator's assessments ltfu does
/// not record (seriousness other than a death's, action taken, end date other than a death's).
/// `EPOCH` is by the start date (see ``Epoch``). Notes go to CO, and only with `--include-text`.
public enum AdverseEvents {
    static let variables: [SDTMDataset.Variable] = [
        .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
        .init("USUBJID", "Unique Subject Identifier", key: 2), .init("AESEQ", "Sequence Number", .integer),
        .init("AETERM", "Reported Term for the Adverse Event"),
        // The MedDRA hierarchy: Expected in SDTMIG 3.4, so present, and null until the sponsor codes it.
        .init("AELLT", "Lowest Level Term"), .init("AELLTCD", "Lowest Level Term Code", .integer),
        .init("AEDECOD", "Dictionary-Derived Term", key: 3), .init("AEPTCD", "Preferred Term Code", .integer),
        .init("AEHLT", "High Level Term"), .init("AEHLTCD", "High Level Term Code", .integer),
        .init("AEHLGT", "High Level Group Term"), .init("AEHLGTCD", "High Level Group Term Code", .integer),
        .init("AECAT", "Category for Adverse Event"),
        .init("AEBODSYS", "Body System or Organ Class"), .init("AEBDSYCD", "Body System or Organ Class Code", .integer),
        .init("AESOC", "Primary System Organ Class"), .init("AESOCCD", "Primary System Organ Class Code", .integer),
        .init("AESER", "Serious Event"), .init("AEACN", "Action Taken with Study Treatment"), .init("AEREL", "Causality"),
        .init("AEOUT", "Outcome of Adverse Event"), .init("AESDTH", "Results in Death"), Epoch.variable,
        .init("AESTDTC", "Start Date/Time of Adverse Event", .date, key: 4), .init("AEENDTC", "End Date/Time of Adverse Event", .date),
        .init("AESTDY", "Study Day of Start of Adverse Event", .integer), .init("AEENDY", "Study Day of End of Adverse Event", .integer),
    ]

    /// SPEC §14: every event is a delayed adverse event of long-term follow-up.
    static let category = "DELAYED ADVERSE EVENT"

    /// `AETERM`, the kind in words (SPEC §14), upper case as SDTM writes terms.
    static func term(_ kind: SafetyEventKind) -> String {
        switch kind {
        case .newMalignancy: "NEW MALIGNANCY"
        case .hematologicDisorder: "HEMATOLOGIC DISORDER"
        case .autoimmuneDisorder: "AUTOIMMUNE DISORDER"
        case .neurologicDisorder: "NEUROLOGIC DISORDER"
        case .seriousInfection: "SERIOUS INFECTION"
        case .otherSAE: "OTHER SERIOUS ADVERSE EVENT"
        case .death: "DEATH"
        }
    }

    /// SDTMIG 3.4 AE `AESER` (codelist NY, C66742) only where ltfu holds its reason: SDTMIG 3.4
    /// AE assumption 6a wants a serious event (`AESER` `Y`) to have a seriousness criterion that
    /// is `Y`, and the only criterion ltfu records is a death (`AESDTH`). Every other kind leaves
    /// `AESER` null, a "serious infection" or "other serious adverse event" too: the kind stays
    /// in `AETERM`, and whether and why the event is serious (the ICH E2A criteria: death, life
    /// threat, hospitalisation, disability, congenital anomaly, medically important) is the
    /// sponsor's medical review, not something to claim without the criterion.
    static func serious(_ kind: SafetyEventKind) -> String? {
        switch kind {
        case .death: "Y"
        case .seriousInfection, .otherSAE, .newMalignancy, .hematologicDisorder, .autoimmuneDisorder, .neurologicDisorder: nil
        }
    }

    /// SDTMIG 3.4 AE `AEREL`, which has no CDISC codelist: the ICH E2B terms `RELATED` and
    /// `NOT RELATED` for `--related yes` and `no`. `unknown` means nobody has assessed it, so it
    /// stays null rather than claim an assessment.
    static func causality(_ related: Relatedness) -> String? {
        switch related {
        case .yes: "RELATED"
        case .no: "NOT RELATED"
        case .unknown: nil
        }
    }

    /// The domain, and each note (only with `includeText`) as a comment on its AE record.
    public static func dataset(_ subjects: [SponsorSubject], study: SponsorStudy) -> (SDTMDataset, [Comment]) {
        var rows: [[SDTMDataset.Value?]] = []
        for subject in subjects {
            for event in subject.events {
                let day = subject.firstInfusion.map { SDTMDataset.Value.number(StudyDay.of(event.on, from: $0)) }
                let death = event.kind == .death
                rows.append([
                    .text(study.study), .text("AE"), .text(study.usubjid(subject.code)), nil,
                    .text(term(event.kind)), nil, nil, nil, nil, nil, nil, nil, nil, .text(category), nil, nil, nil, nil,
                    serious(event.kind).map(SDTMDataset.Value.text), nil, causality(event.related).map(SDTMDataset.Value.text),
                    // SDTMIG 3.4 AE: a fatal event has `AEOUT` FATAL (codelist OUT, C66768) and
                    // `AESDTH` Y; it ends on the day of death, which is DM's `DTHDTC`.
                    death ? .text("FATAL") : nil, death ? .text("Y") : nil,
                    Epoch.value(event.on, of: subject), .date(event.on), death ? .date(event.on) : nil,
                    day, death ? day : nil,
                    // Carried while sorting and numbering, then taken off (see `Comment.split`).
                    study.includeText ? event.note.map(SDTMDataset.Value.text) : nil,
                ])
            }
        }
        // SDTMIG 3.4 AE keys: STUDYID, USUBJID, AEDECOD, AESTDTC.
        let keys = SDTMDataset.positions(of: ["STUDYID", "USUBJID", "AEDECOD", "AESTDTC"], in: variables)
        let numbered = rows.sorted(byKeys: keys).numberedPerSubject(subjectColumn: 2, sequenceColumn: 3)
        let (kept, comments) = Comment.split(numbered, domain: "AE", idvar: "AESEQ", subjectColumn: 2, idColumn: 3)
        return (SDTMDataset(name: "AE", label: "Adverse Events", variables: variables, rows: kept), comments)
    }
}
