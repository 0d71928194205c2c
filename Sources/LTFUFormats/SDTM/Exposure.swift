import LTFUCore

/// SDTM EX (SDTMIG 3.4, Exposure): a row per infusion of the product. Not named in SPEC §14, but
/// SDTMIG's conformance rules want it wherever a study gives a protocol-specified treatment
/// (CORE-000739: "EX is not present"; CORE-000885: every treated subject has an EX record), and
/// DM's `RFXSTDTC`/`RFXENDTC` are defined by it. ltfu knows the product and the day of each
/// infusion; dose, unit and form are the treating study's and stay null for the sponsor.
public enum Exposure {
    static let variables: [SDTMDataset.Variable] = [
        .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
        .init("USUBJID", "Unique Subject Identifier", key: 2), .init("EXSEQ", "Sequence Number", .integer),
        .init("EXTRT", "Name of Treatment", key: 3), .init("EXDOSE", "Dose", .float), .init("EXDOSU", "Dose Units"),
        .init("EXDOSFRM", "Dose Form"), Epoch.variable,
        .init("EXSTDTC", "Start Date/Time of Treatment", .date, key: 4), .init("EXENDTC", "End Date/Time of Treatment", .date),
        .init("EXSTDY", "Study Day of Start of Treatment", .integer), .init("EXENDY", "Study Day of End of Treatment", .integer),
    ]

    public static func dataset(_ subjects: [SponsorSubject], study: SponsorStudy) -> SDTMDataset {
        var rows: [[SDTMDataset.Value?]] = []
        for subject in subjects {
            guard let first = subject.firstInfusion else { continue }
            for infusion in subject.infusions {
                // An infusion is given on one day: it starts and ends then.
                let day = SDTMDataset.Value.number(StudyDay.of(infusion, from: first))
                rows.append([.text(study.study), .text("EX"), .text(study.usubjid(subject.code)), nil, .text(subject.productName),
                             nil, nil, nil, Epoch.value(infusion, of: subject), .date(infusion), .date(infusion), day, day])
            }
        }
        // SDTMIG 3.4 EX keys: STUDYID, USUBJID, EXTRT, EXSTDTC.
        let keys = SDTMDataset.positions(of: ["STUDYID", "USUBJID", "EXTRT", "EXSTDTC"], in: variables)
        return SDTMDataset(name: "EX", label: "Exposure", variables: variables,
                           rows: rows.sorted(byKeys: keys).numberedPerSubject(subjectColumn: 2, sequenceColumn: 3))
    }
}
