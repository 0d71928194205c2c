import Foundation
import LTFUWire
import Testing

/// SPEC §10's table row by row through the real binaries, dates to the day; and every bad
/// input of issue #9 refused with its exit code, changing nothing.
@Suite struct SafetyRulesEndToEndTests {
    static func visit(_ daemon: DaemonHarness, _ code: String, _ visit: String) throws -> ShowResponse.Visit? {
        try daemon.ctl("show", code, "--json").json(ShowResponse.self).visits.first { $0.code == visit }
    }

    static func window(_ visit: ShowResponse.Visit?) -> String {
        visit.map { "\($0.purpose?.rawValue ?? "-") \($0.target) \($0.windowOpen) \($0.windowClose) \($0.status.rawValue)" } ?? "none"
    }

    @Test func everyRowOfTheTable_toTheDay() throws {
        let daemon = try DaemonHarness(today: "2025-06-01", extraConfig: "[safety]\npersistence_percent = 2.5\n")
        try daemon.start()
        for (code, product) in [("R1", "CD19-CART"), ("P1", "CD19-CART"), ("P2", "CD19-CART"), ("M1", "CD19-CART"),
                                ("M2", "CIK-AUTO"), ("D1", "CD19-CART"), ("D2", "CIK-AUTO"), ("X1", "MSLN-CARNK-MRNA")] {
            try daemon.ok("enroll", code, "--product", product, "--infused", "2025-01-10")
        }

        // RCL not negative at M3: confirmation 14 days after the result, window −13/+14.
        try daemon.ok("record", "R1", "M3", "--on", "2025-04-10")
        try daemon.ok("result", "R1", "M3", "rcl-test", "positive")
        #expect(try Self.window(Self.visit(daemon, "R1", "U1")) == "rcl-confirmation 2025-04-24 2025-04-11 2025-05-08 overdue")
        // Positive again on the confirmation visit: rcl-confirmed, and the stopping rule (threshold 1).
        try daemon.ok("record", "R1", "U1", "--on", "2025-04-24")
        try daemon.ok("result", "R1", "U1", "rcl-test", "positive")
        #expect(try Self.visit(daemon, "R1", "U2") == nil, "no further visit after a confirmation")

        // Persistence below and at the threshold of 2.5 %: a month later, ±30 days.
        try daemon.ok("record", "P1", "M3", "--on", "2025-04-10")
        try daemon.ok("result", "P1", "M3", "persistence", "detected", "--percent", "2.4")
        #expect(try Self.visit(daemon, "P1", "U1") == nil)
        try daemon.ok("record", "P2", "M3", "--on", "2025-04-10")
        try daemon.ok("result", "P2", "M3", "persistence", "detected", "--percent", "2.5", "--on", "2025-04-12")
        #expect(try Self.window(Self.visit(daemon, "P2", "U1")) == "integration-site-analysis 2025-05-12 2025-04-12 2025-06-11 due")

        // A new malignancy: a tumour sample for a modified product only.
        try daemon.ok("event", "M1", "new-malignancy", "--on", "2025-05-20", "--related", "no")
        #expect(try Self.window(Self.visit(daemon, "M1", "U1")) == "tumor-sample 2025-06-03 2025-05-20 2025-06-17 due")
        try daemon.ok("event", "M2", "new-malignancy", "--on", "2025-05-20")
        #expect(try Self.visit(daemon, "M2", "U1") == nil)
        // `malignancy new` at a visit is the same event, on the result date.
        try daemon.ok("record", "X1", "M3", "--on", "2025-04-10")
        try daemon.ok("result", "X1", "M3", "malignancy", "new", "--on", "2025-04-11")
        let x1 = try daemon.ctl("show", "X1", "--json").json(ShowResponse.self)
        #expect(x1.events.map { "\($0.kind.rawValue) \($0.on) \($0.related.rawValue)" } == ["new-malignancy 2025-04-11 unknown"])
        #expect(try Self.window(Self.visit(daemon, "X1", "U1")) == "tumor-sample 2025-04-25 2025-04-11 2025-05-09 overdue")

        // Death through `end`, and as an event: the tissue sample stays open for a modified product.
        try daemon.ok("end", "D1", "--reason", "death", "--on", "2025-05-31")
        let d1 = try daemon.ctl("show", "D1", "--json").json(ShowResponse.self)
        #expect(d1.subject.status == .ended)
        #expect(d1.subject.endReason == .death)
        #expect(d1.events.map(\.kind) == [.death])
        #expect(d1.visits.filter { $0.status != .cancelled }.map { Self.window($0) } == ["tissue-sample 2025-05-31 2025-05-31 2025-06-30 due"])
        try daemon.ok("event", "D2", "death", "--on", "2025-05-31", "--related", "no")
        let d2 = try daemon.ctl("show", "D2", "--json").json(ShowResponse.self)
        #expect(d2.subject.endReason == .death)
        #expect(d2.visits.allSatisfy { $0.status == .cancelled })
        // The tissue sample of an ended subject is still recorded and takes its result.
        try daemon.ok("record", "D1", "U1", "--on", "2025-06-01")
        try daemon.ok("result", "D1", "U1", "tissue-sample", "done")

        // The signals, and the stopping rules they tripped (related yes or unknown only).
        let signals = try daemon.ctl("signals", "--json").json([SignalEntry].self)
        #expect(signals.filter { $0.kind == .safetySignal }.map { "\($0.subject) \($0.signal?.rawValue ?? "")" }.sorted() == [
            "D1 death", "D2 death", "M1 malignancy", "M2 malignancy", "P2 persistence", "R1 rcl", "R1 rcl-confirmed", "X1 malignancy",
        ])
        let rules = signals.filter { $0.kind == .stoppingRule }.map { "\($0.product ?? "") \($0.rule?.rawValue ?? "") \($0.count ?? 0)/\($0.threshold ?? 0)" }
        #expect(rules.sorted() == ["CD19-CART confirmed-rcl 1/1", "CIK-AUTO related-malignancy 1/1", "MSLN-CARNK-MRNA related-malignancy 1/1"])
        let status = try daemon.ctl("status", "--json").json(StatusResponse.self)
        #expect(status.openSignals == 8)
        #expect(status.stoppingRules.map { "\($0.product) \($0.rule.rawValue) \($0.count) \($0.threshold) \($0.met)" } == [
            "CD19-CART confirmed-rcl 1 1 true", "CD19-CART related-deaths 1 2 false", "CIK-AUTO related-malignancy 1 1 true",
            "MSLN-CARNK-MRNA related-malignancy 1 1 true",
        ])
        #expect(try daemon.ctl("status").stdout.contains("STOPPING RULE MET: product CD19-CART, confirmed-rcl 1 (threshold 1)"))
        let rcl = try #require(signals.first { $0.rule == .confirmedRCL })
        try daemon.ok("ack", rcl.id, "--note", "DSMB convened")
        #expect(try !daemon.ctl("status").stdout.contains("STOPPING RULE MET: product CD19-CART"))
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).stoppingRules.first?.met == false)
        #expect(try daemon.ctl("audit", "--verify").status == 0)
    }

    @Test func badFindings_areRefusedWithTheirExitCode_andChangeNothing() throws {
        let daemon = try DaemonHarness(today: "2025-04-20")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("record", "S01-001", "M3", "--on", "2025-04-10").status == 0)
        #expect(try daemon.ctl("result", "S01-001", "M3", "rcl-test", "negative").status == 0)
        #expect(try daemon.ctl("enroll", "S01-002", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("end", "S01-002", "--reason", "withdrawn", "--on", "2025-03-01").status == 0)
        #expect(waitUntil { ((try? daemon.ctl("notifications", "--json").json([NotificationEntry].self)) ?? []).contains { $0.kind == .escalation } })
        let reminder = try #require(try daemon.ctl("notifications", "--json").json([NotificationEntry].self).first { $0.kind == .escalation })
        let before = try daemon.ctl("audit", "--json").stdout
        let shownBefore = try ["S01-001", "S01-002"].map { try daemon.ctl("show", $0, "--json").stdout }

        let cases: [([String], Int32, String)] = [
            (["result", "S01-001", "M1", "survival", "done"], 65, "visit M1 of subject `S01-001` is not done (it is open)"),
            (["result", "S01-001", "M3", "growth", "done"], 65, "visit M3 of subject `S01-001` does not list growth"),
            (["result", "S01-001", "M3", "rcl-test", "positive", "--on", "2025-04-09", "--note", "n"], 65, "result date 2025-04-09 is before visit M3"),
            (["result", "S01-001", "M3", "rcl-test", "positive", "--on", "2025-04-21", "--note", "n"], 65, "result date 2025-04-21 is in the future"),
            (["result", "S01-001", "M3", "rcl-test", "maybe"], 65, "`maybe` is not a result of rcl-test (one of: negative, positive, indeterminate)"),
            (["result", "S01-001", "M3", "persistence", "detected", "--percent", "101"], 65, "`percent` (ltfuctl result --percent) must be between 0 and 100"),
            (["result", "S01-001", "M3", "persistence", "detected"], 65, "needs the share of vector-positive cells"),
            (["result", "S01-001", "M3", "rcl-test", "positive"], 65, "already has rcl-test negative (2025-04-10); a correction needs --note"),
            (["result", "S01-001", "M3", "x-ray", "done"], 65, "`x-ray` is not an assessment"),
            (["result", "S01-001", "M9", "rcl-test", "positive"], 65, "subject `S01-001` has no visit `M9`"),
            (["result", "S01-001", "M3", "rcl-test", "positive", "--percent", "lots"], 64, ""),
            (["result", "S01-002", "M1", "survival", "done"], 65, "subject `S01-002` has ended follow-up (withdrawn on 2025-03-01)"),
            (["event", "S01-404", "death", "--on", "2025-04-01"], 65, "no subject `S01-404`"),
            (["event", "S01-002", "death", "--on", "2025-03-02"], 65, "already ended follow-up (withdrawn on 2025-03-01)"),
            (["event", "S01-002", "other-sae", "--on", "2025-03-02"], 65, "already ended follow-up (withdrawn on 2025-03-01)"),
            (["event", "S01-001", "sneeze", "--on", "2025-04-01"], 64, ""),
            (["event", "S01-001", "death", "--on", "2025-04-21"], 65, "event date 2025-04-21 is in the future"),
            (["event", "S01-001", "death", "--on", "2024-12-31"], 65, "before the first infusion"),
            (["event", "S01-001", "death", "--on", "2025-02-30"], 65, "event date `2025-02-30` is not a date"),
            (["event", "S01-001", "other-sae", "--on", "2025-04-01", "--related", "maybe"], 64, ""),
            (["ack", "0123456789abcdef0123456789abcdef"], 65, "no notification `0123456789abcdef0123456789abcdef`"),
            (["ack", "not-an-id"], 64, "is not a notification id"),
            (["ack", reminder.id], 65, "is a `escalation` notification; only safety signals and stopping rules are acknowledged"),
        ]
        for (arguments, status, message) in cases {
            let result = try daemon.ctl(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(message.isEmpty || result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        #expect(try daemon.ctl("audit", "--json").stdout == before, "nothing was audited, so nothing changed")
        #expect(try ["S01-001", "S01-002"].map { try daemon.ctl("show", $0, "--json").stdout } == shownBefore)
        #expect(try daemon.ctl("signals", "--all", "--json").json([SignalEntry].self).isEmpty)
    }
}
