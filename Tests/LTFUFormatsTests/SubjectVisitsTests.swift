import Foundation
import LTFUCore
@testable import LTFUFormats
import LTFUWire
import Testing

/// SDTM's study days (SDTMIG 3.4 §4.4.4): the reference day is Day 1 and there is no Day 0.
/// And SV as SDTMIG 3.4 wants it (issue #24): an end day wherever there is an end date, and
/// unplanned visits without pre-specification or occurrence. And the one EPOCH rule AE, DS and
/// EX share.
@Suite struct SubjectVisitsTests {
    @Test func studyDays_skipDayZero_acrossALeapDay() throws {
        let reference = try CalendarDate(parsing: "2028-02-28")
        func day(_ text: String) throws -> Int { StudyDay.of(try CalendarDate(parsing: text), from: reference) }
        #expect(try day("2028-02-28") == 1)
        #expect(try day("2028-02-29") == 2)
        #expect(try day("2028-03-01") == 3)
        #expect(try day("2028-02-27") == -1)
        #expect(try day("2027-02-28") == -365)
    }

    static func visit(_ code: String, target: String, status: VisitStatus, doneOn: String? = nil, missReason: String? = nil,
                      note: String? = nil, purpose: VisitPurpose? = nil, mode: VisitMode = .inPerson) throws -> ShowResponse.Visit
    {
        let target = try CalendarDate(parsing: target)
        return ShowResponse.Visit(code: code, series: 1, target: target, windowOpen: target, windowClose: target, mode: mode, assessments: [],
                                  status: status, doneOn: try doneOn.map { try CalendarDate(parsing: $0) }, deviation: false,
                                  missReason: missReason, note: note, purpose: purpose)
    }

    static func subject(_ visits: [ShowResponse.Visit]) throws -> SponsorSubject {
        SponsorSubject(code: "A-1", productId: "CD19-CART", productName: "Anti-CD19 CAR-T", birthDate: nil,
                       infusions: [try CalendarDate(parsing: "2028-01-31")], consents: [], endReason: nil, endedOn: nil, events: [],
                       visits: visits)
    }

    @Test func sv_givesEndDays_andUnplannedVisitsAsSDTMIGWantsThem() throws {
        let subject = try Self.subject([
            try Self.visit("M1", target: "2028-02-29", status: .done, doneOn: "2028-03-02", note: "well"),
            try Self.visit("M3", target: "2028-04-30", status: .missed, missReason: "moved away"),
            try Self.visit("U1", target: "2028-03-16", status: .done, doneOn: "2028-03-15", purpose: .rclConfirmation),
            try Self.visit("U2", target: "2028-04-01", status: .missed, missReason: "no sample", purpose: .tumorSample),
            try Self.visit("M6", target: "2028-07-31", status: .upcoming),
        ])
        let study = SponsorStudy(study: "S", site: "S01", country: "CHN", includeText: false)
        let (sv, comments) = SubjectVisits.dataset([subject], study: study)
        #expect(sv.variables.map(\.name) == ["STUDYID", "DOMAIN", "USUBJID", "VISITNUM", "VISIT", "SVPRESP", "SVOCCUR", "SVREASOC",
                                             "SVCNTMOD", "VISITDY", "SVSTDTC", "SVENDTC", "SVSTDY", "SVENDY", "SVUPDES"])
        #expect(sv.csv() == [
            "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,SVPRESP,SVOCCUR,SVREASOC,SVCNTMOD,VISITDY,SVSTDTC,SVENDTC,SVSTDY,SVENDY,SVUPDES",
            "S,SV,S-S01-A-1,1,M1,Y,Y,,IN PERSON,30,2028-03-02,2028-03-02,32,32,",
            "S,SV,S-S01-A-1,3,M3,Y,N,,IN PERSON,91,,,,,",
            "S,SV,S-S01-A-1,9001,U1,,,,IN PERSON,,2028-03-15,2028-03-15,45,45,rcl-confirmation",
        ].joined(separator: "\r\n") + "\r\n")
        #expect(comments.isEmpty, "no notes without --include-text")

        let (withText, notes) = SubjectVisits.dataset([subject], study: SponsorStudy(study: "S", site: "S01", country: "CHN", includeText: true))
        #expect(withText.rows.map { withText.value("SVREASOC", in: $0)?.description } == [nil, "moved away", nil])
        #expect(notes == [Comment(usubjid: "S-S01-A-1", domain: "SV", idvar: "VISITNUM", idvarval: "1", text: "well")])
    }

    /// EPOCH (CT C99079) by a record's date: before the first infusion SCREENING, on any infusion
    /// day TREATMENT, after the first infusion otherwise FOLLOW-UP; no infusion, no EPOCH.
    @Test func epoch_screeningBeforeTheFirstInfusion_treatmentOnEveryInfusionDay_followUpAfter() throws {
        let infusions = try ["2027-06-10", "2027-03-05"].map { try CalendarDate(parsing: $0) }
        func epoch(_ date: String, _ infusions: [CalendarDate]) throws -> String? {
            Epoch.of(try CalendarDate(parsing: date), infusions: infusions)?.rawValue
        }
        #expect(try epoch("2027-03-01", infusions) == "SCREENING")
        #expect(try epoch("2027-03-04", infusions) == "SCREENING")
        #expect(try epoch("2027-03-05", infusions) == "TREATMENT")
        #expect(try epoch("2027-03-06", infusions) == "FOLLOW-UP")
        #expect(try epoch("2027-06-10", infusions) == "TREATMENT")
        #expect(try epoch("2027-06-11", infusions) == "FOLLOW-UP")
        #expect(try epoch("2027-06-10", []) == nil)
        // A safety event on the day of a re-infusion is in the treatment epoch, in AE as in EX.
        var subject = try Self.subject([])
        subject.infusions = infusions.sorted()
        subject.events = [.init(kind: .otherSAE, on: infusions[0], related: .unknown, note: nil)]
        let study = SponsorStudy(study: "S", site: "S01", country: "CHN", includeText: false)
        let (ae, _) = AdverseEvents.dataset([subject], study: study)
        #expect(ae.rows.map { ae.value("EPOCH", in: $0) } == [.text("TREATMENT")])
        #expect(ae.rows.map { ae.value("AESER", in: $0) } == [nil], "no seriousness criterion on record")
        let ex = Exposure.dataset([subject], study: study)
        #expect(ex.rows.map { ex.value("EPOCH", in: $0) } == [.text("TREATMENT"), .text("TREATMENT")])
    }

    @Test func age_isCompletedYearsAtTheFirstInfusion_aLeapDayBirthdayOn28February() throws {
        func age(_ born: String, _ on: String) throws -> Int? {
            Demographics.age(bornOn: try CalendarDate(parsing: born), on: try CalendarDate(parsing: on))
        }
        #expect(try age("2000-02-29", "2018-02-27") == 17)
        #expect(try age("2000-02-29", "2018-02-28") == 18)
        #expect(try age("1980-05-20", "2027-01-15") == 46)
        #expect(try age("2015-03-01", "2027-03-01") == 12)
        #expect(try age("2027-03-02", "2027-03-01") == nil)
    }

    @Test func dm_neverHoldsTheBirthDate_andRefusesAnArmCodeSDTMCannotTake() throws {
        var subject = try Self.subject([])
        subject.birthDate = try CalendarDate(parsing: "1980-05-20")
        let study = SponsorStudy(study: "S", site: "S01", country: "CHN", includeText: true)
        let dm = try Demographics.dataset([subject], study: study)
        #expect(!dm.variables.contains { $0.name == "BRTHDTC" })
        #expect(!dm.csv().contains("1980"))
        #expect(dm.value("AGE", in: dm.rows[0]) == .number(47))
        subject.productId = "A-PRODUCT-ID-OF-21-CH"
        #expect(throws: LTFUError.self) { try Demographics.dataset([subject], study: study) }
    }

    @Test func datasetJSON_carriesLabelsTypesLengthsAndKeys() throws {
        let subject = try Self.subject([try Self.visit("M1", target: "2028-02-29", status: .done, doneOn: "2028-02-29")])
        let (sv, _) = SubjectVisits.dataset([subject], study: SponsorStudy(study: "S", site: "S01", country: "CHN", includeText: false))
        let data = try sv.datasetJSON(.init(study: "S", site: "S01", created: "2028-06-01T10:00:00+08:00", version: "0.2.0"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let columns = try #require(document["columns"] as? [[String: Any]])
        let visitNumber = try #require(columns.first { $0["name"] as? String == "VISITNUM" })
        #expect(visitNumber["label"] as? String == "Visit Number" && visitNumber["dataType"] as? String == "float")
        #expect(visitNumber["keySequence"] as? Int == 3 && visitNumber["length"] == nil)
        let usubjid = try #require(columns.first { $0["name"] as? String == "USUBJID" })
        #expect(usubjid["length"] as? Int == 9 && usubjid["keySequence"] as? Int == 2)
        let start = try #require(columns.first { $0["name"] as? String == "SVSTDTC" })
        #expect(start["dataType"] as? String == "date" && start["length"] as? Int == 10)
        #expect(columns.allSatisfy { ($0["label"] as? String).map { $0.count <= 40 } == true })
        #expect(document["records"] as? Int == 1 && document["datasetJSONVersion"] as? String == "1.1.0")
        // The same rows give the same bytes.
        #expect(try sv.datasetJSON(.init(study: "S", site: "S01", created: "2028-06-01T10:00:00+08:00", version: "0.2.0")) == data)
    }
}
