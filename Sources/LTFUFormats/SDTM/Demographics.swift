import LTFUCore

/// SDTM DM (SDTMIG 3.4, Demographics), SPEC §14: one row per enrolled subject. Every
/// Required and Expected variable of SDTMIG 3.4 is a column; those ltfu does not hold stay null
/// (`RACE`, `ARMNRS`, `ACTARMUD`) or take the codelist's "unknown" (`SEX` `U`), and the README
/// says which and why. `BRTHDTC` is never written (SPEC §5): the birth date gives `AGE` only.
public enum Demographics {
    static let variables: [SDTMDataset.Variable] = [
        .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
        .init("USUBJID", "Unique Subject Identifier", key: 2), .init("SUBJID", "Subject Identifier for the Study"),
        .init("RFSTDTC", "Subject Reference Start Date/Time", .date), .init("RFENDTC", "Subject Reference End Date/Time", .date),
        .init("RFXSTDTC", "Date/Time of First Study Treatment", .date), .init("RFXENDTC", "Date/Time of Last Study Treatment", .date),
        .init("RFICDTC", "Date/Time of Informed Consent", .date), .init("RFPENDTC", "Date/Time of End of Participation", .date),
        .init("DTHDTC", "Date/Time of Death", .date), .init("DTHFL", "Subject Death Flag"),
        .init("SITEID", "Study Site Identifier"), .init("AGE", "Age", .integer), .init("AGEU", "Age Units"),
        .init("SEX", "Sex"), .init("RACE", "Race"),
        .init("ARMCD", "Planned Arm Code"), .init("ARM", "Description of Planned Arm"),
        .init("ACTARMCD", "Actual Arm Code"), .init("ACTARM", "Description of Actual Arm"),
        .init("ARMNRS", "Reason Arm and/or Actual Arm is Null"), .init("ACTARMUD", "Description of Unplanned Actual Arm"),
        .init("COUNTRY", "Country"),
    ]

    /// SDTMIG 3.4 DM `ARMCD` (and `ACTARMCD`): "limited to 20 characters". ltfu's arm is the
    /// product, so a product id longer than that cannot be an arm code as it is.
    static let armCodeLimit = 20

    public static func dataset(_ subjects: [SponsorSubject], study: SponsorStudy) throws(LTFUError) -> SDTMDataset {
        var rows: [[SDTMDataset.Value?]] = []
        for subject in subjects {
            guard subject.productId.count <= armCodeLimit else {
                throw LTFUError(.data, code: "arm-code-too-long",
                                "product id `{product}` (subject `{subject}`) is longer than the 20 characters SDTM allows for ARMCD; give the product a shorter id",
                                ["product": subject.productId, "subject": subject.code])
            }
            let died = subject.endReason == .death ? subject.endedOn : nil
            let age = subject.birthDate.flatMap { birth in subject.firstInfusion.flatMap { Self.age(bornOn: birth, on: $0) } }
            let arm = SDTMDataset.Value.text(subject.productId), armName = SDTMDataset.Value.text(subject.productName)
            rows.append([
                .text(study.study), .text("DM"), .text(study.usubjid(subject.code)), .text(subject.code),
                // SPEC §14: the reference period is the treatment's: first and latest infusion.
                subject.firstInfusion.map(SDTMDataset.Value.date), subject.infusions.last.map(SDTMDataset.Value.date),
                subject.firstInfusion.map(SDTMDataset.Value.date), subject.infusions.last.map(SDTMDataset.Value.date),
                subject.consents.map(\.on).min().map(SDTMDataset.Value.date),
                subject.endedOn.map(SDTMDataset.Value.date),
                died.map(SDTMDataset.Value.date), died == nil ? nil : .text("Y"),
                .text(study.site),
                age.map(SDTMDataset.Value.number), age == nil ? nil : .text("YEARS"),
                .text(unknownSex), nil,
                arm, armName, arm, armName, nil, nil,
                .text(study.country),
            ])
        }
        // SDTMIG 3.4 DM keys: STUDYID, USUBJID (one record per subject).
        return SDTMDataset(name: "DM", label: "Demographics", variables: variables, rows: rows.sorted(byKeys: [0, 2]))
    }

    /// SDTM CT codelist SEX (C66731): `U` is "Unknown". ltfu records no sex (it keeps no more
    /// about a person than follow-up needs), so the sponsor fills it from its own records.
    static let unknownSex = "U"

    /// SDTMIG 3.4 DM `AGE`: the age at the reference start (`RFSTDTC`, the first infusion), in
    /// completed years (`AGEU` `YEARS`). A birthday on 29 February falls on 28 February in other
    /// years, as SPEC §4 clamps the 18th birthday. `nil` for a birth date after `date`.
    public static func age(bornOn birth: CalendarDate, on date: CalendarDate) -> Int? {
        guard birth <= date else { return nil }
        var years = date.year - birth.year
        if birth.adding(years: years) > date { years -= 1 }
        return years
    }
}
