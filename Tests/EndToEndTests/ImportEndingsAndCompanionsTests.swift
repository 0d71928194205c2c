import Foundation
import LTFUWire
import Testing

/// SPEC §12's import of what ``ImportTests`` leaves out: a death and a lost-to-follow-up end
/// in the subjects file, and the companions of a result (`rcl-archive`'s sample id,
/// `persistence`'s percent and sample) in the visits file; each subject as `show --json` has
/// it afterwards, key by key.
@Suite struct ImportEndingsAndCompanionsTests {
    /// A JSON value as one line, keys sorted: what a literal below is compared with.
    static func line(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// `show CODE --json` by part; each visit without its `assessments` (the plan's, which an
    /// import does not touch).
    static func shown(_ daemon: DaemonHarness, _ code: String) throws -> (subject: String, visits: [String], rest: String) {
        let result = try daemon.ctl("show", code, "--json")
        let object = try #require(try result.jsonObject() as? [String: Any], "\(result.stderr)")
        let visits = try #require(object["visits"] as? [[String: Any]])
        let rest = ["consents", "contacts", "events"].map { (object[$0] as? [Any]) ?? ["missing"] }
        return (try line(object["subject"] ?? "missing"),
                try visits.map { visit in try line(visit.filter { $0.key != "assessments" }) },
                try line(rest))
    }

    @Test func aDeathAndALostToFollowUpEnd_endTheSubjectsAsByHand() throws {
        let daemon = try DaemonHarness(today: "2026-06-01")
        try daemon.start()
        let subjects = try ImportTests.write("""
            code,product,infused,born,consent_on,consent_by,ended_on,end_reason
            D-1,MSLN-CARNK-MRNA,2025-01-10,,2025-01-05,subject,2026-03-15,death
            L-2,CIK-AUTO,2025-06-15,,,,2026-04-01,lost-to-follow-up

            """, "subjects.csv", in: daemon)
        let visits = try ImportTests.write("""
            code,visit,outcome,on,reason,results
            D-1,M1,done,2025-02-11,,
            D-1,M3,missed,,away,
            L-2,M1,done,2025-07-16,,

            """, "visits.csv", in: daemon)
        let imported = try daemon.ctl("import", subjects, "--visits", visits)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "Imported: 2 new subjects, 0 updated, 0 unchanged; 3 visit outcomes recorded, 0 unchanged; 0 results.\n")

        // A death is the event `death` (related unknown: the file cannot say), on the end date:
        // it ends follow-up, cancels the open visits, and a modified product's tissue sample
        // (window 0/+30 from the death) stays open; overdue on 2026-06-01. Visits by target.
        let d1 = try Self.shown(daemon, "D-1")
        #expect(d1.subject == #"{"ageKnown":false,"code":"D-1","dayZero":"2025-01-10","endedOn":"2026-03-15","endReason":"death","followUpEnds":"2030-01-10","infusions":["2025-01-10"],"lastContact":"2025-02-11","pediatric":false,"product":"MSLN-CARNK-MRNA","status":"ended","tier":"non-integrating","tierOverride":false}"#)
        #expect(d1.visits == [
            #"{"code":"M1","deviation":false,"doneOn":"2025-02-11","mode":"in-person","results":[],"series":1,"status":"done","target":"2025-02-10","windowClose":"2025-02-17","windowOpen":"2025-02-03"}"#,
            #"{"code":"M3","deviation":false,"doneOn":null,"missReason":"away","mode":"in-person","results":[],"series":1,"status":"missed","target":"2025-04-10","windowClose":"2025-04-24","windowOpen":"2025-03-27"}"#,
            #"{"code":"M6","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2025-07-10","windowClose":"2025-08-09","windowOpen":"2025-06-10"}"#,
            #"{"code":"M12","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2026-01-10","windowClose":"2026-03-11","windowOpen":"2025-12-11"}"#,
            #"{"code":"U1","deviation":false,"doneOn":null,"mode":"in-person","purpose":"tissue-sample","results":[],"series":1,"status":"overdue","target":"2026-03-15","windowClose":"2026-04-14","windowOpen":"2026-03-15"}"#,
            #"{"code":"M24","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2027-01-10","windowClose":"2027-03-11","windowOpen":"2026-12-11"}"#,
            #"{"code":"M36","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2028-01-10","windowClose":"2028-03-10","windowOpen":"2027-12-11"}"#,
            #"{"code":"M48","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2029-01-10","windowClose":"2029-03-11","windowOpen":"2028-12-11"}"#,
            #"{"code":"M60","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2030-01-10","windowClose":"2030-03-11","windowOpen":"2029-12-11"}"#,
        ])
        #expect(d1.rest == #"[[{"by":"subject","form":null,"on":"2025-01-05"}],[],[{"kind":"death","on":"2026-03-15","related":"unknown"}]]"#)

        // Lost to follow-up: ended as `end --force` would, without the retention rule's attempts.
        let l2 = try Self.shown(daemon, "L-2")
        #expect(l2.subject == #"{"ageKnown":false,"code":"L-2","dayZero":"2025-06-15","endedOn":"2026-04-01","endReason":"lost-to-follow-up","followUpEnds":"2026-06-15","infusions":["2025-06-15"],"lastContact":"2025-07-16","pediatric":false,"product":"CIK-AUTO","status":"ended","tier":"non-modified","tierOverride":false}"#)
        #expect(l2.visits == [
            #"{"code":"M1","deviation":false,"doneOn":"2025-07-16","mode":"in-person","results":[],"series":1,"status":"done","target":"2025-07-15","windowClose":"2025-07-22","windowOpen":"2025-07-08"}"#,
            #"{"code":"M3","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2025-09-15","windowClose":"2025-09-29","windowOpen":"2025-09-01"}"#,
            #"{"code":"M6","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2025-12-15","windowClose":"2026-01-14","windowOpen":"2025-11-15"}"#,
            #"{"code":"M12","deviation":false,"doneOn":null,"mode":"in-person","results":[],"series":1,"status":"cancelled","target":"2026-06-15","windowClose":"2026-08-14","windowOpen":"2026-05-16"}"#,
        ])
        #expect(l2.rest == "[[],[],[]]")

        // The death is the one signal; it counts toward the product's related deaths (1 of 2).
        let signals = try daemon.ctl("signals", "--json").json([SignalEntry].self)
        #expect(signals.map { "\($0.kind.rawValue) \($0.signal?.rawValue ?? "-") \($0.subject) \($0.date) \($0.detail ?? "-")" } == [
            "safety-signal death D-1 2026-03-15 follow-up ended; tissue-sample visit U1 planned, window 2026-03-15 to 2026-04-14",
        ])
        let rules = try daemon.ctl("status", "--json").json(StatusResponse.self).stoppingRules
        #expect(rules.map { "\($0.product) \($0.rule.rawValue) \($0.count) \($0.threshold) \($0.met)" } == ["MSLN-CARNK-MRNA related-deaths 1 2 false"])
        // The audit trail says how each ended, and that the lost-to-follow-up came without evidence.
        let audit = try daemon.ctl("audit", "--json").json([AuditEntry].self).filter { $0.action == "import" }
        let endings = try audit.map { entry -> String in
            let change = try #require(try JSONSerialization.jsonObject(with: Data(entry.change.utf8)) as? [String: Any])
            return "\(entry.subject ?? "-") \(change["ended"] as? String ?? "-") \((change["forcedWithoutEvidence"] as? Bool).map(String.init) ?? "-")"
        }
        #expect(endings == ["D-1 death 2026-03-15 -", "L-2 lost-to-follow-up 2026-04-01 true"])

        // Again: the ended subjects are as the file has them, so nothing changes.
        let again = try daemon.ctl("import", subjects, "--visits", visits)
        #expect(again.status == 0 && again.stdout.hasPrefix("Nothing changed"), "\(again.stdout)\(again.stderr)")
        #expect(try Self.shown(daemon, "D-1").visits == d1.visits)
    }

    /// `persistence=detected(P)` or `(P,SAMPLE)`, `rcl-archive=archived(SAMPLE)`: the values
    /// `ltfuctl result --percent/--sample` would give, and the findings they make (SPEC §10).
    /// A sample id may be all digits (a lab's barcode), as `ltfuctl result --sample` takes it.
    @Test func resultCompanions_percentAndSample_areStoredAsGiven_andSurviveTheExportRoundTrip() throws {
        let daemon = try DaemonHarness(today: "2026-06-01")
        try daemon.start()
        let subjects = try ImportTests.write("""
            code,product,infused,born,consent_on,consent_by,ended_on,end_reason
            A-3,CD19-CART,2023-01-10,,,,,

            """, "subjects.csv", in: daemon)
        let visits = try ImportTests.write("""
            code,visit,outcome,on,reason,results
            A-3,M12,done,2024-01-15,,persistence=detected(1.5)
            A-3,M24,done,2025-01-12,,"rcl-archive=archived(S-24);persistence=detected(0.4,S-25)"
            A-3,M36,done,2026-01-12,,rcl-archive=archived(20260112);persistence=not-detected(S-36)

            """, "visits.csv", in: daemon)
        let imported = try daemon.ctl("import", subjects, "--visits", visits)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "Imported: 1 new subjects, 0 updated, 0 unchanged; 3 visit outcomes recorded, 0 unchanged; 5 results.\n")

        let a3 = try Self.shown(daemon, "A-3")
        #expect(a3.subject == #"{"ageKnown":false,"code":"A-3","dayZero":"2023-01-10","endedOn":null,"endReason":null,"followUpEnds":"2038-01-10","infusions":["2023-01-10"],"lastContact":"2026-01-12","pediatric":false,"product":"CD19-CART","status":"active","tier":"integrating","tierOverride":false}"#)
        // 1.5 % is at or above the default threshold of 1.0: an integration-site analysis 30
        // days after the result (window −30/+30), overdue now; 0.4 % is below it.
        #expect(a3.visits.filter { $0.contains(#""doneOn":"20"#) || $0.contains(#""purpose""#) } == [
            #"{"code":"M12","deviation":false,"doneOn":"2024-01-15","mode":"in-person","results":[{"assessment":"persistence","corrected":false,"on":"2024-01-15","percent":1.5,"sample":null,"value":"detected"}],"series":1,"status":"done","target":"2024-01-10","windowClose":"2024-03-10","windowOpen":"2023-12-11"}"#,
            #"{"code":"U1","deviation":false,"doneOn":null,"mode":"in-person","purpose":"integration-site-analysis","results":[],"series":1,"status":"overdue","target":"2024-02-14","windowClose":"2024-03-15","windowOpen":"2024-01-15"}"#,
            #"{"code":"M24","deviation":false,"doneOn":"2025-01-12","mode":"in-person","results":[{"assessment":"rcl-archive","corrected":false,"on":"2025-01-12","percent":null,"sample":"S-24","value":"archived"},{"assessment":"persistence","corrected":false,"on":"2025-01-12","percent":0.4,"sample":"S-25","value":"detected"}],"series":1,"status":"done","target":"2025-01-10","windowClose":"2025-03-11","windowOpen":"2024-12-11"}"#,
            #"{"code":"M36","deviation":false,"doneOn":"2026-01-12","mode":"in-person","results":[{"assessment":"rcl-archive","corrected":false,"on":"2026-01-12","percent":null,"sample":"20260112","value":"archived"},{"assessment":"persistence","corrected":false,"on":"2026-01-12","percent":null,"sample":"S-36","value":"not-detected"}],"series":1,"status":"done","target":"2026-01-10","windowClose":"2026-03-11","windowOpen":"2025-12-11"}"#,
        ])
        let signals = try daemon.ctl("signals", "--json").json([SignalEntry].self)
        #expect(signals.map { "\($0.signal?.rawValue ?? "-") \($0.subject) \($0.visit ?? "-") \($0.date) \($0.assessment?.rawValue ?? "-") \($0.value ?? "-")" } == [
            "persistence A-3 M12 2024-01-15 persistence detected",
        ])

        // The CSV export writes the companions back in the same form (results by assessment),
        // and reading that export into the database it came from finds everything already there.
        let out = daemon.root.appendingPathComponent("export")
        #expect(try daemon.ctl("export", "csv", "--out", out.path).status == 0)
        let exported = try String(contentsOf: out.appendingPathComponent("visits.csv"), encoding: .utf8)
        #expect(exported.components(separatedBy: "\r\n").filter { $0.contains(",done,20") } == [
            "A-3,M12,done,2024-01-15,,persistence=detected(1.5),done,2024-01-10,2023-12-11,2024-03-10,",
            #"A-3,M24,done,2025-01-12,,"persistence=detected(0.4,S-25);rcl-archive=archived(S-24)",done,2025-01-10,2024-12-11,2025-03-11,"#,
            "A-3,M36,done,2026-01-12,,persistence=not-detected(S-36);rcl-archive=archived(20260112),done,2026-01-10,2025-12-11,2026-03-11,",
        ])
        let back = try daemon.ctl("import", out.appendingPathComponent("subjects.csv").path, "--visits", out.appendingPathComponent("visits.csv").path)
        #expect(back.status == 0 && back.stdout.hasPrefix("Nothing changed"), "\(back.stdout)\(back.stderr)")
        #expect(try Self.shown(daemon, "A-3").visits == a3.visits)
    }
}
