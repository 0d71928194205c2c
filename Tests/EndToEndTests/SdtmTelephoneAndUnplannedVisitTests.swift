import Foundation
import Testing

/// SPEC §12 and §14, SV rows ``SponsorScenario`` has none of: a remote visit recorded by a
/// reached telephone contact (`SVCNTMOD` `TELEPHONE CALL`), and unplanned visits that happened,
/// one in person and one remote (the re-consent at majority, done by the subject's consent).
@Suite struct SdtmTelephoneAndUnplannedVisitTests {
    /// Both subjects' day 0 is 2025-01-10 (Day 1); a date's study day is (date − 2025-01-10) + 1.
    static let sv = [
        "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,SVPRESP,SVOCCUR,SVREASOC,SVCNTMOD,VISITDY,SVSTDTC,SVENDTC,SVSTDY,SVENDY,SVUPDES",
        // The re-consent U1 (remote) on the 18th birthday 2030-05-06, done by the subject's own
        // consent of 2030-06-01: 1968 days → Day 1969. Unplanned: no SVPRESP, SVOCCUR or VISITDY.
        "LTFU-01,SV,LTFU-01-S01-K-3,9001,U1,,,,TELEPHONE CALL,,2030-06-01,2030-06-01,1969,1969,re-consent",
        // M72 (remote) targets 2031-01-10, 2191 days → Day 2192; reached by phone 2031-01-12, Day 2194.
        "LTFU-01,SV,LTFU-01-S01-T-1,72,M72,Y,Y,,TELEPHONE CALL,2192,2031-01-12,2031-01-12,2194,2194,",
        // The tumour sample after the malignancy of 2031-01-20, done in person 2031-02-01: Day 2214.
        "LTFU-01,SV,LTFU-01-S01-T-1,9001,U1,,,,IN PERSON,,2031-02-01,2031-02-01,2214,2214,tumor-sample",
    ]

    @Test func aVisitReachedByTelephone_andUnplannedVisitsThatHappened_haveTheirSVRows() throws {
        let daemon = try DaemonHarness(today: "2031-03-01")
        try daemon.start()
        try daemon.ok("enroll", "T-1", "--product", "CD19-CART", "--infused", "2025-01-10", "--consent-on", "2025-01-05", "--consent-by", "subject")
        // A call nobody answered records nothing; the one that reached the subject records M72.
        try daemon.ok("contact", "T-1", "--on", "2030-12-01", "--by", "phone", "--outcome", "no-answer", "--visit", "M72")
        try daemon.ok("contact", "T-1", "--on", "2031-01-12", "--by", "phone", "--outcome", "reached", "--visit", "M72")
        // M60 is in person: a call leaves it open, so it is no row.
        try daemon.ok("contact", "T-1", "--on", "2031-01-13", "--by", "phone", "--outcome", "reached", "--visit", "M60")
        try daemon.ok("event", "T-1", "new-malignancy", "--on", "2031-01-20", "--related", "no")
        try daemon.ok("record", "T-1", "U1", "--on", "2031-02-01")
        try daemon.ok("enroll", "K-3", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "2012-05-06",
               "--consent-on", "2025-01-05", "--consent-by", "guardian")
        try daemon.ok("consent", "K-3", "--on", "2030-06-01", "--by", "subject")

        let out = daemon.root.appendingPathComponent("sdtm")
        let exported = try SponsorScenario.export(daemon, to: out)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout == "Wrote the SDTM data set of 2 subjects (AE 1, DM 2, DS 3, EX 2, SV 3) to \(out.path)\n")
        let csv = try String(contentsOf: out.appendingPathComponent("sv.csv"), encoding: .utf8)
        #expect(csv == Self.sv.joined(separator: "\r\n") + "\r\n", "sv.csv:\n\(csv)")
        let (columns, rows) = try SponsorScenario.jsonRows(out.appendingPathComponent("sv.json"))
        #expect(columns.compactMap { $0["name"] as? String } == SponsorScenario.fields(Self.sv[0]))
        #expect(rows == Self.sv.dropFirst().map(SponsorScenario.fields), "sv.json rows: \(rows)")
        // An unplanned visit has no planned study day: VISITDY is null in Dataset-JSON, not 0.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sv.json"))) as? [String: Any])
        let raw = try #require(document["rows"] as? [[Any]])
        #expect(raw.map { $0[9] is NSNull } == [true, false, true])
    }
}
