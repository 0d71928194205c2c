import LTFUCore
import LTFUWire

/// SDTM SV (SDTMIG 3.4, Subject Visits), SPEC §12 and §14: a row per planned visit done or
/// missed, and per unscheduled visit done.
///
/// A re-infusion starts a new series whose visits keep their codes; their `VISITNUM` is the month
/// plus 1000 per later infusion and their `VISIT` names the infusion, so `USUBJID` + `VISITNUM`
/// stays unique. Unscheduled visits `U<n>` are 9000 + n.
public enum SubjectVisits {
    static let variables: [SDTMDataset.Variable] = [
        .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
        .init("USUBJID", "Unique Subject Identifier", key: 2), .init("VISITNUM", "Visit Number", .float, key: 3),
        .init("VISIT", "Visit Name"), .init("SVPRESP", "Pre-specified"), .init("SVOCCUR", "Occurrence"),
        .init("SVREASOC", "Reason for Occur Value"), .init("SVCNTMOD", "Contact Mode"),
        .init("VISITDY", "Planned Study Day of Visit", .integer),
        .init("SVSTDTC", "Start Date/Time of Observation", .date), .init("SVENDTC", "End Date/Time of Observation", .date),
        .init("SVSTDY", "Study Day of Start of Observation", .integer), .init("SVENDY", "Study Day of End of Observation", .integer),
        .init("SVUPDES", "Description of Unplanned Visit"),
    ]

    /// The domain, and each visit's note (only with `includeText`) as a comment on its SV record.
    public static func dataset(_ subjects: [SponsorSubject], study: SponsorStudy) -> (SDTMDataset, [Comment]) {
        var rows: [[SDTMDataset.Value?]] = []
        for subject in subjects {
            guard let first = subject.firstInfusion else { continue }
            for visit in subject.visits {
                guard let number = number(visit) else { continue }
                let done = visit.status == .done, planned = visit.purpose == nil
                // SDTMIG 3.4 SV: a planned visit is in SV whether it happened (`SVOCCUR` Y) or
                // not (N); an unplanned one only once it happened, with `SVPRESP` and `SVOCCUR`
                // null, since occurrence is only asked of what was planned (SPEC §14).
                guard done || (planned && visit.status == .missed) else { continue }
                let date = done ? visit.doneOn : nil
                let day = date.map { SDTMDataset.Value.number(StudyDay.of($0, from: first)) }
                rows.append([
                    .text(study.study), .text("SV"), .text(study.usubjid(subject.code)), .number(number),
                    .text(visit.series > 1 ? "\(visit.code) INFUSION \(visit.series)" : visit.code),
                    planned ? .text("Y") : nil, planned ? .text(done ? "Y" : "N") : nil,
                    // SPEC §12: a miss reason is free text, exported only with --include-text.
                    done || !study.includeText ? nil : visit.missReason.map(SDTMDataset.Value.text),
                    // SDTM CT codelist CNTMODE (C171445).
                    .text(visit.mode == .remote ? "TELEPHONE CALL" : "IN PERSON"),
                    // SDTMIG 3.4 SV `VISITDY` is the planned study day: none for an unplanned visit.
                    planned ? .number(StudyDay.of(visit.target, from: first)) : nil,
                    // SDTMIG 3.4 SV: a visit ltfu records on one day starts and ends that day, so
                    // `SVENDTC` and its study day `SVENDY` are there wherever `SVSTDTC` is.
                    date.map(SDTMDataset.Value.date), date.map(SDTMDataset.Value.date), day, day,
                    visit.purpose.map { .text($0.rawValue) },
                    study.includeText && done ? visit.note.map(SDTMDataset.Value.text) : nil,
                ])
            }
        }
        // SDTMIG 3.4 SV keys: STUDYID, USUBJID, VISITNUM.
        let (kept, comments) = Comment.split(rows.sorted(byKeys: [0, 2, 3]), domain: "SV", idvar: "VISITNUM", subjectColumn: 2, idColumn: 3)
        return (SDTMDataset(name: "SV", label: "Subject Visits", variables: variables, rows: kept), comments)
    }

    /// `M<n>` of series k: n + 1000 (k − 1); `U<n>`: 9000 + n (SPEC §12).
    static func number(_ visit: ShowResponse.Visit) -> Int? {
        guard let n = Int(visit.code.dropFirst()) else { return nil }
        if visit.code.hasPrefix("U") { return 9000 + n }
        return visit.code.hasPrefix("M") ? n + 1000 * (visit.series - 1) : nil
    }
}
