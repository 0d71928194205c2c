import Foundation
import LTFUWire
import Testing

/// SPEC §12's SDTM export through the real binaries: rows and study days against values
/// worked out by hand (a visit on a leap day, a re-infusion), sv.json checked against
/// CDISC's own Dataset-JSON 1.1 schema, and free text only when asked for.
@Suite struct SdtmExportTests {
    static let validate = #"""
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        document = json.load(open(sys.argv[2]))
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
        assert document["records"] == len(document["rows"])
        names = [c["name"] for c in document["columns"]]
        assert all(len(row) == len(names) for row in document["rows"])
        print("valid", document["records"])
        """#

    @Test func svRows_andStudyDays_matchHandComputedValues() throws {
        try HostRequirement.program("/usr/bin/python3", package: "python3")
        let daemon = try DaemonHarness(today: "2028-06-01")
        try daemon.start()
        func ok(_ arguments: String...) throws {
            let result = try daemon.ctl(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        // A: day 0 2028-01-31; M1 is due 2028-02-29 (the month clamped on a leap year) and done that day.
        try ok("enroll", "A-1", "--product", "CD19-CART", "--infused", "2028-01-31")
        try ok("record", "A-1", "M1", "--on", "2028-02-29")
        try ok("miss", "A-1", "M3", "--reason", "moved to Hangzhou")
        // B: day 0 2027-11-10, M1 done two days late; re-infused 2028-01-15, whose M1 is done a day late.
        try ok("enroll", "B-1", "--product", "CD19-CART", "--infused", "2027-11-10")
        try ok("record", "B-1", "M1", "--on", "2027-12-12")
        try ok("infuse", "B-1", "--on", "2028-01-15")
        try ok("record", "B-1", "M1", "--on", "2028-02-16")

        let out = daemon.root.appendingPathComponent("sdtm")
        let exported = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("Wrote sv.json and sv.csv (4 visits of 2 subjects)"))
        let csv = try String(contentsOf: out.appendingPathComponent("sv.csv"), encoding: .utf8)
        // VISITDY and SVSTDY: (date − first infusion) + 1.
        //   A M1: 2028-02-29 − 2028-01-31 = 29 days → Day 30.
        //   A M3: target 2028-04-30 (clamped) − 2028-01-31 = 90 days → Day 91; missed, no date.
        //   B M1: target 2027-12-10 → Day 31; done 2027-12-12 → Day 33.
        //   B M1 of the second infusion: target 2028-02-15 − 2027-11-10 = 97 days → Day 98; done → Day 99.
        #expect(csv == [
            "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,VISITDY,SVPRESP,SVOCCUR,SVREASOC,SVCNTMOD,SVSTDTC,SVENDTC,SVSTDY,SVUPDES",
            "LTFU-01,SV,LTFU-01-S01-A-1,1,M1,30,Y,Y,,IN PERSON,2028-02-29,2028-02-29,30,",
            "LTFU-01,SV,LTFU-01-S01-A-1,3,M3,91,Y,N,,IN PERSON,,,,",
            "LTFU-01,SV,LTFU-01-S01-B-1,1,M1,31,Y,Y,,IN PERSON,2027-12-12,2027-12-12,33,",
            "LTFU-01,SV,LTFU-01-S01-B-1,1001,M1 INFUSION 2,98,Y,Y,,IN PERSON,2028-02-16,2028-02-16,99,",
        ].joined(separator: "\r\n") + "\r\n", "\(csv)")
        #expect(!csv.contains("Hangzhou"), "a miss reason left without --include-text")

        let script = daemon.root.appendingPathComponent("validate.py")
        try Self.validate.write(to: script, atomically: true, encoding: .utf8)
        let schema = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/dataset-json-1.1.schema.json")
        let valid = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", script.path, schema.path, out.appendingPathComponent("sv.json").path])
        #expect(valid.status == 0 && valid.stdout == "valid 4\n", "\(valid.stdout)\(valid.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sv.json"))) as? [String: Any]
        let rows = json?["rows"] as? [[Any]]
        #expect(rows?[3].map { "\($0)" } == ["LTFU-01", "SV", "LTFU-01-S01-B-1", "1001", "M1 INFUSION 2", "98", "Y", "Y", "<null>",
                                          "IN PERSON", "2028-02-16", "2028-02-16", "99", "<null>"])

        // With --include-text the reason is there, quoted as RFC 4180 asks when needed.
        let withText = daemon.root.appendingPathComponent("sdtm-text")
        #expect(try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", withText.path, "--include-text").status == 0)
        #expect(try String(contentsOf: withText.appendingPathComponent("sv.csv"), encoding: .utf8)
            .contains("LTFU-01,SV,LTFU-01-S01-A-1,3,M3,91,Y,N,moved to Hangzhou,IN PERSON,,,,\r\n"))

        let bad = try daemon.ctl("export", "sdtm", "--study", "bad id!", "--out", out.path)
        #expect(bad.status == 64 && bad.stderr.contains("`bad id!` is not a study id"))
    }
}
