import LTFUCore

/// SDTM DS (SDTMIG 3.4, Disposition), SPEC §14: a protocol milestone per consent on record and
/// a disposition event per end of follow-up, with their dates and study days.
public enum Disposition {
    static let variables: [SDTMDataset.Variable] = [
        .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
        .init("USUBJID", "Unique Subject Identifier", key: 2), .init("DSSEQ", "Sequence Number", .integer),
        .init("DSTERM", "Reported Term for the Disposition Event"), .init("DSDECOD", "Standardized Disposition Term", key: 3),
        .init("DSCAT", "Category for Disposition Event"), Epoch.variable,
        .init("DSSTDTC", "Start Date/Time of Disposition Event", .date, key: 4),
        .init("DSSTDY", "Study Day of Start of Disposition Event", .integer),
    ]

    /// SDTM CT codelist DSCAT (C74558).
    static let milestone = "PROTOCOL MILESTONE", event = "DISPOSITION EVENT"

    /// SDTM CT codelist PROTMLST (C114118): "INFORMED CONSENT OBTAINED". Who gave it stays in the
    /// verbatim `DSTERM`, so a guardian's consent and the subject's own at majority (SPEC §11) differ.
    static func term(_ giver: ConsentGiver) -> (term: String, decoded: String) {
        switch giver {
        case .subject: ("INFORMED CONSENT OBTAINED", "INFORMED CONSENT OBTAINED")
        case .guardian: ("INFORMED CONSENT OBTAINED FROM GUARDIAN", "INFORMED CONSENT OBTAINED")
        }
    }

    /// SDTM CT codelist NCOMPLT (C66727) for the end of follow-up (SPEC §14). A transfer has no
    /// term of its own: `OTHER`, with the verbatim saying what happened.
    static func term(_ reason: EndReason) -> (term: String, decoded: String) {
        switch reason {
        case .death: ("DEATH", "DEATH")
        case .withdrawn: ("WITHDRAWAL BY SUBJECT", "WITHDRAWAL BY SUBJECT")
        case .lostToFollowUp: ("LOST TO FOLLOW-UP", "LOST TO FOLLOW-UP")
        case .transferred: ("TRANSFERRED TO ANOTHER SITE", "OTHER")
        }
    }

    public static func dataset(_ subjects: [SponsorSubject], study: SponsorStudy) -> SDTMDataset {
        var rows: [[SDTMDataset.Value?]] = []
        for subject in subjects {
            func row(_ term: (term: String, decoded: String), category: String, on date: CalendarDate) -> [SDTMDataset.Value?] {
                [.text(study.study), .text("DS"), .text(study.usubjid(subject.code)), nil, .text(term.term), .text(term.decoded),
                 .text(category), Epoch.value(date, of: subject), .date(date),
                 subject.firstInfusion.map { .number(StudyDay.of(date, from: $0)) }]
            }
            for consent in subject.consents { rows.append(row(term(consent.by), category: milestone, on: consent.on)) }
            if let reason = subject.endReason, let on = subject.endedOn { rows.append(row(term(reason), category: event, on: on)) }
        }
        // SDTMIG 3.4 DS keys: STUDYID, USUBJID, DSDECOD, DSSTDTC.
        let keys = SDTMDataset.positions(of: ["STUDYID", "USUBJID", "DSDECOD", "DSSTDTC"], in: variables)
        return SDTMDataset(name: "DS", label: "Disposition", variables: variables,
                           rows: rows.sorted(byKeys: keys).numberedPerSubject(subjectColumn: 2, sequenceColumn: 3))
    }
}
