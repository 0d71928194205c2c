#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// SPEC §10 end to end, as a coordinator and a PI live it: the real ltfud under faketime with
/// a real journald; a finding goes out at once, repeats every morning until acknowledged, and
/// survives `kill -9` without being lost or sent twice.
@Suite struct SafetySignalTests {
    static func lines(_ daemon: DaemonHarness, _ day: String) -> [NotificationLine] {
        ((try? NotificationTests.files(daemon)) ?? [:])["\(day).jsonl"] ?? []
    }

    /// Enrolls an integrating subject and records M3 done on 2025-04-10.
    static func subjectWithM3Done(_ daemon: DaemonHarness) throws {
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "1961-07-04").status == 0)
        #expect(try daemon.ctl("record", "S01-001", "M3", "--on", "2025-04-10").status == 0)
    }

    @Test func rclPositive_reachesFilesJournalAndCalendarAtOnce_andRepeatsDailyUntilAcknowledged() throws {
        try HostRequirement.root("a private journald in a mount namespace")
        let daemon = try DaemonHarness(today: "2025-04-20", journal: true)
        try daemon.start()
        try Self.subjectWithM3Done(daemon)
        let recorded = try daemon.ctl("result", "S01-001", "M3", "rcl-test", "positive", "--note", "SECRET-NOTE-4711", "--json")
        #expect(recorded.status == 0, "\(recorded.stderr)")

        // The calendar: a confirmation visit two weeks after the result, archives become tests.
        let shown = try recorded.json(ShowResponse.self)
        let u1 = try #require(shown.visits.first { $0.code == "U1" })
        #expect(u1.purpose == .rclConfirmation)
        #expect(["\(u1.target)", "\(u1.windowOpen)", "\(u1.windowClose)"] == ["2025-04-24", "2025-04-11", "2025-05-08"])
        #expect(u1.status == .due)
        #expect(u1.mode == .inPerson)
        #expect(u1.assessments == [.rclTest])
        let m3 = try #require(shown.visits.first { $0.code == "M3" })
        #expect(m3.results.map { "\($0.assessment.rawValue) \($0.value) \($0.on)" } == ["rcl-test positive 2025-04-10"])
        #expect(m3.purpose == nil)
        let later = shown.visits.filter { ["M24", "M36", "M48", "M60"].contains($0.code) }
        #expect(later.count == 4)
        #expect(later.allSatisfy { $0.assessments.contains(.rclTest) && !$0.assessments.contains(.rclArchive) })
        // The JSON contract: each visit has `results`, each result its five keys (and `corrected`).
        let object = try #require(try recorded.jsonObject() as? [String: Any])
        let visits = try #require(object["visits"] as? [[String: Any]])
        let result = try #require((visits.first { $0["code"] as? String == "M3" }?["results"] as? [[String: Any]])?.first)
        #expect(Set(result.keys) == ["assessment", "value", "on", "sample", "percent", "corrected"])
        #expect(visits.first { $0["code"] as? String == "U1" }?["purpose"] as? String == "rcl-confirmation")
        #expect(object["events"] as? [Any] != nil)

        // Without asking: the notification file within seconds, and the worklists.
        #expect(waitUntil(seconds: 20) { Self.lines(daemon, "2025-04-20").contains { $0.kind == .safetySignal } })
        let signal = try #require(Self.lines(daemon, "2025-04-20").first { $0.kind == .safetySignal })
        #expect(signal.signal == .rcl)
        #expect(signal.assessment == .rclTest)
        #expect(signal.value == "positive")
        #expect(signal.product == "CD19-CART")
        #expect(signal.visit == "M3")
        #expect("\(signal.date)" == "2025-04-10")
        #expect(signal.message.contains("rcl-confirmation visit U1 planned, window 2025-04-11 to 2025-05-08"))
        #expect(waitUntil { Self.lines(daemon, "2025-04-20").contains { $0.kind == .scheduleChanged } })
        #expect(waitUntil { Self.lines(daemon, "2025-04-20").contains { $0.visit == "U1" && $0.purpose == .rclConfirmation } })
        let due = try daemon.ctl("due", "--json").json([VisitDue].self)
        #expect(due.contains { $0.visit == "U1" && $0.purpose == .rclConfirmation })
        let status = try daemon.ctl("status", "--json").json(StatusResponse.self)
        #expect(status.openSignals == 1)
        #expect(try daemon.ctl("status").stdout.hasPrefix("OPEN SAFETY SIGNALS: 1"))
        let open = try daemon.ctl("signals", "--json").json([SignalEntry].self)
        #expect(open.map(\.id) == [signal.id])
        #expect(open.first?.acknowledged == false)
        #expect(daemon.stop() == 0)

        // The next two mornings: one escalation each, naming the signal.
        for day in ["2025-04-21", "2025-04-22"] {
            daemon.fakeTime = "\(day) 02:00:00"
            try daemon.start()
            #expect(waitUntil { Self.lines(daemon, day).contains { $0.kind == .safetyEscalation } }, "\(day)")
            let escalations = Self.lines(daemon, day).filter { $0.kind == .safetyEscalation }
            #expect(escalations.map(\.signalId) == [signal.id])
            #expect(escalations.first?.signal == .rcl)
            #expect(daemon.stop() == 0)
        }

        // The PI acknowledges it; the repeat stops.
        daemon.fakeTime = "2025-04-22 03:00:00"
        try daemon.start()
        let ack = try daemon.ctl("ack", signal.id, "--note", "SECRET-NOTE-4711 sponsor told")
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("Acknowledged the rcl signal of S01-001"))
        let again = try daemon.ctl("ack", signal.id)
        #expect(again.status == 65)
        #expect(again.stderr.contains("already acknowledged by root"))
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).openSignals == 0)
        #expect(try daemon.ctl("signals", "--json").json([SignalEntry].self).isEmpty)
        let all = try daemon.ctl("signals", "--all", "--json").json([SignalEntry].self)
        #expect(all.map { "\($0.id) \($0.acknowledged) \($0.acknowledgedBy ?? "-")" } == ["\(signal.id) true root"])
        #expect(try daemon.ctl("audit", "S01-001", "--json").json([AuditEntry].self).last?.action == "ack")
        #expect(daemon.stop() == 0)
        daemon.fakeTime = "2025-04-23 02:00:00"
        try daemon.start()   // returns after the first scheduling pass
        #expect(!Self.lines(daemon, "2025-04-23").contains { $0.kind == .safetyEscalation })
        #expect(daemon.stop() == 0)

        // journald: the fields of SPEC §10, at crit.
        let journal = try JournalSandbox.entries(in: daemon.journalDirectory, matching: "LTFU_SUBJECT=S01-001")
        let critical = try #require(journal.first { $0["LTFU_EVENT"] == "safety-signal" })
        #expect(critical["PRIORITY"] == "2")
        #expect(critical["MESSAGE_ID"] == "8f2b1f0e6c1a4d55a3a0c1d2e3f40107")
        #expect(critical["LTFU_SIGNAL"] == "rcl")
        #expect(critical["LTFU_ASSESSMENT"] == "rcl-test")
        #expect(critical["LTFU_VALUE"] == "positive")
        #expect(critical["LTFU_PRODUCT"] == "CD19-CART")
        #expect(critical["LTFU_VISIT"] == "M3")
        #expect(critical["LTFU_NOTIFICATION_ID"] == signal.id)
        let escalations = journal.filter { $0["LTFU_EVENT"] == "safety-escalation" }
        #expect(escalations.count == 2)
        #expect(escalations.allSatisfy { $0["PRIORITY"] == "2" && $0["LTFU_SIGNAL_ID"] == signal.id
                && $0["MESSAGE_ID"] == "8f2b1f0e6c1a4d55a3a0c1d2e3f40108" })
        #expect(journal.first { $0["LTFU_EVENT"] == "schedule-changed" }?["PRIORITY"] == "5")
        #expect(journal.contains { $0["LTFU_VISIT"] == "U1" && $0["LTFU_PURPOSE"] == "rcl-confirmation" })
        let explained = try MessageCatalog.explain(daemon.journalDirectory, ["LTFU_EVENT=safety-signal"])
        #expect(explained.contains("Safety signal rcl for subject S01-001"), "\(explained)")
        #expect(explained.contains("ltfuctl ack"))

        // Privacy: neither the note nor the birth date reached the journal or the files.
        let everything = try BuiltBinaries.run(path: "/bin/journalctl", ["-D", daemon.journalDirectory.path, "-o", "export", "--no-pager"]).stdout
        let sent = everything.split(separator: "\n").filter { !$0.hasPrefix("_") }
        #expect(!sent.contains { $0.contains("SECRET-NOTE") || $0.contains(/\b1961\b/) })
        let files = try NotificationTests.files(daemon).values.flatMap { $0 }
        #expect(!files.contains { $0.message.contains("SECRET-NOTE") || $0.message.contains("1961") })
    }

    /// The signal is committed with its result; here the notification file cannot be written,
    /// so it waits, recorded but not emitted, when ltfud is killed.
    @Test func aSignalRecordedButNotYetEmitted_survivesKill9_andGoesOutExactlyOnce() throws {
        try HostRequirement.root("a private journald in a mount namespace")
        let daemon = try DaemonHarness(today: "2025-04-20", journal: true)
        try daemon.start()
        try Self.subjectWithM3Done(daemon)
        let folder = daemon.stateDirectory.appendingPathComponent("notifications")
        try FileManager.default.removeItem(at: folder)
        FileManager.default.createFile(atPath: folder.path, contents: Data("in the way\n".utf8))
        #expect(try daemon.ctl("result", "S01-001", "M3", "rcl-test", "indeterminate").status == 0)
        #expect(waitUntil { daemon.log.contains("cannot create \(folder.path)") || daemon.log.contains("cannot open") }, "\(daemon.log)")
        let listed = try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
        #expect(!listed.contains { $0.kind == .safetySignal }, "not emitted while the file cannot be written")
        #expect(try daemon.ctl("signals", "--json").json([SignalEntry].self).count == 1, "but recorded")
        daemon.kill9()

        try FileManager.default.removeItem(at: folder)
        try daemon.start()
        #expect(waitUntil { Self.lines(daemon, "2025-04-20").contains { $0.kind == .safetySignal } })
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(daemon.stop() == 0)
        let signals = Self.lines(daemon, "2025-04-20").filter { $0.kind == .safetySignal }
        #expect(signals.count == 1)
        let journal = try JournalSandbox.entries(in: daemon.journalDirectory, matching: "LTFU_EVENT=safety-signal")
        #expect(journal.map { $0["LTFU_NOTIFICATION_ID"] } == signals.map(\.id), "once in the journal too")
    }
}

/// What `systemctl status` shows: open signals and met stopping rules lead the STATUS= line.
@Suite struct SafetyStatusLineTests {
    @Test func statusLine_namesOpenSignalsAndMetStoppingRulesFirst() throws {
        let daemon = try DaemonHarness(today: "2025-04-20")
        let listener = try NotifyListener(path: daemon.root.appendingPathComponent("notify.sock").path)
        daemon.environment = ["NOTIFY_SOCKET": listener.path]
        try daemon.start()
        try SafetySignalTests.subjectWithM3Done(daemon)
        #expect(try daemon.ctl("event", "S01-001", "new-malignancy", "--on", "2025-04-15").status == 0)
        #expect(listener.wait(for: "STATUS=STOPPING RULE MET (CD19-CART related-malignancy) · 1 OPEN SAFETY SIGNAL · 1 subjects"),
                "\(listener.messages.suffix(3))")
        let rule = try #require(try daemon.ctl("signals", "--json").json([SignalEntry].self).first { $0.kind == .stoppingRule })
        #expect(try daemon.ctl("ack", rule.id).status == 0)
        #expect(listener.wait(for: "STATUS=1 OPEN SAFETY SIGNAL · 1 subjects"), "\(listener.messages.suffix(3))")
    }
}

/// `journalctl -x` with `systemd/ltfu.catalog` installed as an admin would, in a private
/// mount namespace over the catalog folders, so the host's catalog is never touched.
enum MessageCatalog {
    /// What `journalctl -D DIRECTORY -x MATCHES…` prints with ltfu's catalog installed.
    static func explain(_ directory: URL, _ matches: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-e2e-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["usr", "var"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("systemd/ltfu.catalog"),
                                         to: folder.appendingPathComponent("usr/ltfu.catalog"))
        let script = """
            set -e
            mkdir -p /usr/lib/systemd/catalog /var/lib/systemd/catalog
            mount --bind '\(folder.path)/usr' /usr/lib/systemd/catalog
            mount --bind '\(folder.path)/var' /var/lib/systemd/catalog
            journalctl --update-catalog
            exec journalctl -D "$0" -x --no-pager "$@"
            """
        let result = try BuiltBinaries.run(path: "/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/bash", "-c", script,
                                                                       directory.path] + matches)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }
}
