import Foundation
import LTFUWire
import Testing

/// SPEC §10: a stopping rule "trips again each time the count rises past the acknowledged
/// count". In this product (FollowUpStore+Signals, `tripStoppingRules`) that means: one open
/// trip per product and rule at a time; once it is acknowledged, a new `stopping-rule`
/// notification as soon as the count is above the highest count a trip has named, naming the
/// count then. A finding that does not count (related `no`) trips nothing.
@Suite struct StoppingRuleTripsAgainTests {
    /// Each stopping-rule trip, newest first: count/threshold, the latest subject, its date, acknowledged.
    static func trips(_ daemon: DaemonHarness) throws -> [String] {
        try daemon.ctl("signals", "--all", "--json").json([SignalEntry].self).filter { $0.kind == .stoppingRule }.map {
            "\($0.product ?? "-") \($0.rule?.rawValue ?? "-") \($0.count ?? 0)/\($0.threshold ?? 0) \($0.subject) \($0.date) \($0.acknowledged ? "acknowledged" : "open")"
        }
    }

    /// The safety notifications ltfud emitted, sorted (a signal and the trip it completes may
    /// go out in one pass or in two).
    static func safetyNotifications(_ daemon: DaemonHarness) throws -> [String] {
        try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
            .filter { [.safetySignal, .stoppingRule].contains($0.kind) && $0.emittedAt != nil }
            .map { "\($0.kind.rawValue) \($0.signal?.rawValue ?? "-") \($0.subject) \($0.date)" }.sorted()
    }

    static func rules(_ daemon: DaemonHarness) throws -> [String] {
        try daemon.ctl("status", "--json").json(StatusResponse.self).stoppingRules.map {
            "\($0.product) \($0.rule.rawValue) \($0.count)/\($0.threshold) \($0.met ? "met" : "not met")"
        }
    }

    /// Waits until the scheduler has emitted the death signal of `subject`: its pass trips the
    /// stopping rules first (NotificationScheduler.runPass), so after it a trip is there or never.
    static func passed(_ daemon: DaemonHarness, _ subject: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(waitUntil { ((try? safetyNotifications(daemon)) ?? []).contains { $0.hasPrefix("safety-signal death \(subject) ") } },
                "the death of \(subject) was never emitted", sourceLocation: sourceLocation)
    }

    @Test func relatedDeaths_tripAgainAfterTheAck_onlyWhenTheCountRisesPastTheAcknowledgedCount() throws {
        // Default [safety] stop_on_related_deaths = 2. CIK-AUTO is not modified: a death plans no tissue sample.
        let daemon = try DaemonHarness(today: "2025-06-01")
        try daemon.start()
        for code in ["D1", "D2", "D3", "D4", "D5"] {
            try daemon.ok("enroll", code, "--product", "CIK-AUTO", "--infused", "2025-01-10")
        }
        try daemon.ok("event", "D1", "death", "--on", "2025-05-01", "--related", "yes")
        Self.passed(daemon, "D1")
        #expect(try Self.trips(daemon) == [], "1 of 2 is below the threshold")
        try daemon.ok("event", "D2", "death", "--on", "2025-05-02", "--related", "unknown")
        #expect(waitUntil { (try? Self.trips(daemon)) == ["CIK-AUTO related-deaths 2/2 D2 2025-05-02 open"] }, "\((try? Self.trips(daemon)) ?? [])")
        let first = try #require(try daemon.ctl("signals", "--json").json([SignalEntry].self).first { $0.kind == .stoppingRule })
        try daemon.ok("ack", first.id, "--note", "DSMB reviewed")
        #expect(try Self.rules(daemon) == ["CIK-AUTO related-deaths 2/2 not met"])
        #expect(try !daemon.ctl("status").stdout.contains("STOPPING RULE MET"))

        // An unrelated death does not count: the count stays at the acknowledged 2, nothing trips.
        try daemon.ok("event", "D3", "death", "--on", "2025-05-03", "--related", "no")
        Self.passed(daemon, "D3")
        #expect(try Self.trips(daemon) == ["CIK-AUTO related-deaths 2/2 D2 2025-05-02 acknowledged"])
        #expect(try Self.rules(daemon) == ["CIK-AUTO related-deaths 2/2 not met"])

        // A third related death rises past it: raised again, naming 3 and the death that made it.
        try daemon.ok("event", "D4", "death", "--on", "2025-05-04", "--related", "yes")
        #expect(waitUntil { (try? Self.trips(daemon))?.count == 2 }, "\((try? Self.trips(daemon)) ?? [])")
        #expect(try Self.trips(daemon) == ["CIK-AUTO related-deaths 3/2 D4 2025-05-04 open", "CIK-AUTO related-deaths 2/2 D2 2025-05-02 acknowledged"])
        #expect(try Self.rules(daemon) == ["CIK-AUTO related-deaths 3/2 met"])
        let second = try #require(try daemon.ctl("signals", "--json").json([SignalEntry].self).first { $0.kind == .stoppingRule })
        #expect(try daemon.ctl("status").stdout.hasPrefix(
            "STOPPING RULE MET: product CIK-AUTO, related-deaths 3 (threshold 2); acknowledge: ltfuctl ack \(second.id)\n"))

        // While that trip is open, a fourth counts but trips nothing more: one alarm at a time.
        try daemon.ok("event", "D5", "death", "--on", "2025-05-05", "--related", "unknown")
        Self.passed(daemon, "D5")
        #expect(try Self.trips(daemon).count == 2)
        #expect(try Self.rules(daemon) == ["CIK-AUTO related-deaths 4/2 met"])
        // Acknowledged at 3 with 4 counted: the count is already past it, so it trips at once.
        try daemon.ok("ack", second.id)
        #expect(waitUntil { (try? Self.trips(daemon))?.count == 3 }, "\((try? Self.trips(daemon)) ?? [])")
        #expect(try Self.trips(daemon) == ["CIK-AUTO related-deaths 4/2 D5 2025-05-05 open", "CIK-AUTO related-deaths 3/2 D4 2025-05-04 acknowledged",
                                           "CIK-AUTO related-deaths 2/2 D2 2025-05-02 acknowledged"])
        #expect(try Self.rules(daemon) == ["CIK-AUTO related-deaths 4/2 met"])

        // Every signal and every trip went out as a notification of its own.
        #expect(waitUntil { ((try? Self.safetyNotifications(daemon)) ?? []).count == 8 })
        #expect(try Self.safetyNotifications(daemon) == [
            "safety-signal death D1 2025-05-01", "safety-signal death D2 2025-05-02", "safety-signal death D3 2025-05-03",
            "safety-signal death D4 2025-05-04", "safety-signal death D5 2025-05-05",
            "stopping-rule - D2 2025-05-02", "stopping-rule - D4 2025-05-04", "stopping-rule - D5 2025-05-05",
        ])
        #expect(try daemon.ctl("audit", "--json").json([AuditEntry].self).filter { $0.action == "ack" }.count == 2)
        #expect(try daemon.ctl("audit", "--verify").status == 0)
    }
}
