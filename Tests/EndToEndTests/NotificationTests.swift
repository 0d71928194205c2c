#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// SPEC §6 end to end: the real ltfud under faketime, restarted at later dates, with a real
/// journald in a private mount namespace; checks the exact notifications in the `.jsonl`
/// files, in the journal and through `ltfuctl notifications`.
@Suite struct NotificationTests {
    init() throws {
        try HostRequirement.root("mount namespaces for a private journald")
    }

    /// The lines of every notification file, by file name.
    static func files(_ daemon: DaemonHarness) throws -> [String: [NotificationLine]] {
        let folder = daemon.stateDirectory.appendingPathComponent("notifications")
        var result: [String: [NotificationLine]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            result[name] = try text.split(separator: "\n").map { try JSONDecoder().decode(NotificationLine.self, from: Data($0.utf8)) }
        }
        return result
    }

    static func describe(_ lines: [NotificationLine]) -> [String] {
        lines.map { "\($0.subject) \($0.visit ?? "-") \($0.kind.rawValue) \($0.date)" }.sorted()
    }

    @Test func restartsAtLaterDates_emitExactlyTheNewestDueEvents() throws {
        let daemon = try DaemonHarness(today: "2025-01-15", journal: true)
        try daemon.start()
        // CIK (non-modified): M1 window 2025-02-03…02-17, M3 03-27…04-24, M6 06-10…08-09, M12 2025-12-11….
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "1961-07-04").status == 0)
        #expect(try Self.files(daemon).isEmpty, "nothing is due on 2025-01-15")
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-01-20 08:00")
        #expect(daemon.stop() == 0)

        // Inside M1's window: window-open (the upcoming of 01-20 is superseded).
        daemon.fakeTime = "2025-02-05 02:00:00"
        try daemon.start()
        #expect(try Self.describe(Self.files(daemon)["2025-02-05.jsonl"] ?? []) == ["S01-001 M1 window-open 2025-02-03"])
        #expect(try daemon.ctl("record", "S01-001", "M1", "--on", "2025-02-05").status == 0)
        #expect(daemon.stop() == 0)

        // After M3's window closed: overdue only; nothing more for the recorded M1.
        daemon.fakeTime = "2025-04-26 02:00:00"
        try daemon.start()
        #expect(try Self.describe(Self.files(daemon)["2025-04-26.jsonl"] ?? []) == ["S01-001 M3 overdue 2025-04-25"])
        #expect(daemon.stop() == 0)

        // Months later: M3's latest escalation and M6's overdue; then the subject ends.
        daemon.fakeTime = "2025-09-01 02:00:00"
        try daemon.start()
        #expect(try Self.describe(Self.files(daemon)["2025-09-01.jsonl"] ?? []) == [
            "S01-001 M3 escalation 2025-08-23", "S01-001 M6 overdue 2025-08-10",
        ])
        #expect(try daemon.ctl("end", "S01-001", "--reason", "withdrawn", "--on", "2025-09-01").status == 0)
        #expect(waitUntil { (try? Self.files(daemon)["2025-09-01.jsonl"]?.count) == 3 })
        #expect(daemon.stop() == 0)

        // Everything, once: files, ltfuctl and the journal agree.
        let all = try Self.files(daemon).values.flatMap { $0 }
        #expect(Set(all.map(\.id)).count == all.count, "no id twice in the files")
        #expect(Self.describe(all) == [
            "S01-001 - subject-ended 2025-09-01", "S01-001 M1 window-open 2025-02-03", "S01-001 M3 escalation 2025-08-23",
            "S01-001 M3 overdue 2025-04-25", "S01-001 M6 overdue 2025-08-10",
        ])
        try daemon.start()
        let listed = try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
        #expect(Set(listed.map(\.id)) == Set(all.map(\.id)))
        #expect(try daemon.ctl("notifications", "--since", "2025-09-01", "--json").json([NotificationEntry].self).count == 3)
        #expect(daemon.stop() == 0)

        let journal = try JournalSandbox.entries(in: daemon.journalDirectory, matching: "LTFU_SUBJECT=S01-001")
        #expect(journal.compactMap { $0["LTFU_NOTIFICATION_ID"] }.sorted() == all.map(\.id).sorted())
        let overdue = try #require(journal.first { $0["LTFU_EVENT"] == "overdue" && $0["LTFU_VISIT"] == "M3" })
        #expect(overdue["PRIORITY"] == "4")
        #expect(overdue["MESSAGE_ID"] == "8f2b1f0e6c1a4d55a3a0c1d2e3f40104")
        #expect(overdue["SYSLOG_IDENTIFIER"] == "ltfud")
        #expect(overdue["LTFU_TARGET"] == "2025-04-10")
        #expect(overdue["LTFU_WINDOW_OPEN"] == "2025-03-27")
        #expect(overdue["LTFU_WINDOW_CLOSE"] == "2025-04-24")
        #expect(overdue["LTFU_TIER"] == "non-modified")
        #expect(overdue["LTFU_SITE"] == "S01")
        #expect(overdue["MESSAGE"]?.contains("visit M3 is overdue") == true)
        #expect(overdue["_COMM"] == "ltfud", "a trusted field, stamped by journald")
        #expect(journal.first { $0["LTFU_EVENT"] == "escalation" }?["PRIORITY"] == "3")
        #expect(journal.first { $0["LTFU_EVENT"] == "subject-ended" }?["PRIORITY"] == "5")
        // journalctl -x explains the entry from systemd/ltfu.catalog, installed as an admin would.
        let explained = try MessageCatalog.explain(daemon.journalDirectory, ["LTFU_EVENT=overdue", "LTFU_VISIT=M3"])
        #expect(explained.contains("Follow-up visit M3 of subject S01-001 is overdue"), "\(explained)")
        #expect(explained.contains("has a gap until this is resolved"))

        // Privacy: the birth date never reaches the journal or the files.
        let everything = try BuiltBinaries.run(path: "/bin/journalctl", ["-D", daemon.journalDirectory.path, "-o", "export", "--no-pager"]).stdout
        // Every field the daemon sent (trusted `_` fields hold cursors and timestamps, whose
        // digits may run "1961" by chance); not the date, nor the year as a word.
        let sent = everything.split(separator: "\n").filter { !$0.hasPrefix("_") }
        #expect(!sent.contains { $0.contains(/\b1961\b/) }, "\(sent.filter { $0.contains("1961") })")
        #expect(try !Self.files(daemon).values.flatMap { $0 }.contains { $0.message.contains("1961") })
    }

    @Test func leftRunning_firesAtTheConfiguredTimeOfDay() throws {
        // Enrolled at 07:00 in Shanghai on the day M1's window opens, with an hour to spare,
        // so a loaded machine never races the clock (issue #27).
        let daemon = try DaemonHarness(today: "2025-02-03", journal: false)
        daemon.fakeTime = "2025-02-02 23:00:00"
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        // Enrolled before 08:00: only what fired up to yesterday, the upcoming of 01-20, goes out at once.
        #expect(waitUntil { (try? Self.files(daemon)["2025-02-03.jsonl"]?.count) == 1 })
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-02-03 08:00",
                "still before 08:00, with the window-open of today next")
        #expect(try Self.describe(Self.files(daemon)["2025-02-03.jsonl"] ?? []) == ["S01-001 M1 upcoming 2025-01-20"])
        // Started again at 07:59 with nothing left to do but wait: only ltfud's own start races
        // the minute, and the status it answers proves it was up before 08:00.
        #expect(daemon.stop() == 0)
        daemon.fakeTime = "2025-02-02 23:59:00"
        try daemon.start()
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-02-03 08:00",
                "up again before 08:00")
        #expect((try? Self.files(daemon)["2025-02-03.jsonl"]?.count) == 1)
        // At 08:00 the window-open of today fires without any prompt.
        #expect(waitUntil(seconds: 180) { (try? Self.files(daemon)["2025-02-03.jsonl"]?.count) == 2 })
        #expect(try Self.describe(Self.files(daemon)["2025-02-03.jsonl"] ?? []).contains("S01-001 M1 window-open 2025-02-03"))
    }

    @Test func systemdHearsReadyWatchdogReloadingAndStopping() throws {
        let daemon = try DaemonHarness(today: "2025-02-05")
        let listener = try NotifyListener(path: daemon.root.appendingPathComponent("notify.sock").path)
        daemon.environment = ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "1000000", "JOURNAL_STREAM": "8:12345"]
        try daemon.start()
        #expect(listener.wait(for: "READY=1"))
        let ready = try #require(listener.messages.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS=0 subjects · 0 due · 0 overdue"))
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(listener.wait(for: "STATUS=1 subjects · 1 due · 0 overdue · next reminder 2025-02-10 08:00"))
        // The watchdog keeps being pinged (every half interval; that the pings keep ltfud alive
        // under a real 4 s watchdog, and stop when it hangs, is checked in the VM).
        let pings = listener.messages.filter { $0.contains("WATCHDOG=1") }.count
        #expect(waitUntil(seconds: 10) { listener.messages.filter { $0.contains("WATCHDOG=1") }.count >= pings + 3 })
        // SIGHUP: RELOADING=1 with a monotonic timestamp, then READY=1 again.
        let readies = listener.messages.filter { $0.contains("READY=1") }.count
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(listener.wait(for: "RELOADING=1"))
        #expect(listener.messages.first { $0.contains("RELOADING=1") }?.contains("MONOTONIC_USEC=") == true)
        #expect(waitUntil { listener.messages.filter { $0.contains("READY=1") }.count == readies + 1 })
        #expect(daemon.stop() == 0)
        #expect(listener.wait(for: "STOPPING=1"))
        // Under journald's stdout stream, the daemon's own lines carry their priority.
        #expect(daemon.log.split(separator: "\n").contains { $0.hasPrefix("<6>") && $0.contains("ready") }, "\(daemon.log)")
    }

    @Test func sighupWithABrokenProductFile_keepsTheOldConfiguration() throws {
        let daemon = try DaemonHarness(today: "2025-02-05")
        try daemon.start()
        let products = daemon.configFile.deletingLastPathComponent().appendingPathComponent("products.d")
        try "id = \"NEW\"\nname = \"New\"\ncell_type = \"TIL\"\nmodification = \"lentivirus\"\n"
            .write(to: products.appendingPathComponent("new.toml"), atomically: true, encoding: .utf8)
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.contains("reload refused") })
        #expect(daemon.log.contains("new.toml: key `modification`"))
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("enroll", "S01-002", "--product", "NEW", "--infused", "2025-01-10").status == 65)
        // Fixed, and reloaded: the new product is in force.
        try """
            id = "NEW"
            name = "New TIL"
            cell_type = "TIL"
            modification = "none"
            exogenous_gene_expression = false
            alters_survival_or_differentiation = false
            """.write(to: products.appendingPathComponent("new.toml"), atomically: true, encoding: .utf8)
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.contains("reloaded") })
        #expect(try daemon.ctl("enroll", "S01-002", "--product", "NEW", "--infused", "2025-01-10").status == 0)
    }

    /// A reload that widens `upcoming_days` plans every open visit again: M1's reminder comes
    /// on its new date, not on the day the old setting had booked.
    @Test func sighupWithNewDayCounts_plansOpenVisitsAgain() throws {
        let daemon = try DaemonHarness(today: "2025-01-15", extraConfig: "[notify]\nupcoming_days = 14\n")
        try daemon.start()
        // CD19-CART: M1's window opens 2025-02-03, so its reminder is booked for 2025-01-20.
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10").status == 0)
        let config = try String(contentsOf: daemon.configFile, encoding: .utf8)
        try config.replacingOccurrences(of: "upcoming_days = 14", with: "upcoming_days = 18")
            .write(to: daemon.configFile, atomically: true, encoding: .utf8)
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.contains("[notify] day counts changed: 18 open visits planned again") }, "\(daemon.log)")
        #expect(daemon.stop() == 0)
        daemon.fakeTime = "2025-01-16 02:00:00"
        try daemon.start()
        let upcoming = try daemon.ctl("notifications", "--json").json([NotificationEntry].self).filter { $0.kind == .upcoming }
        #expect(upcoming.map(\.visit) == ["M1"])
        #expect(upcoming.first?.date.description == "2025-01-16")
    }

    @Test func kill9DuringABurstOfDueNotifications_everyIdOnceInTheFiles() throws {
        let daemon = try DaemonHarness(today: "2025-01-15")
        try daemon.start()
        let count = 400
        for index in 0..<count {
            #expect(try daemon.ctl("enroll", "B\(index)", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        }
        #expect(daemon.stop() == 0)
        // On 2025-02-05 each subject's M1 window-open is due at start.
        daemon.fakeTime = "2025-02-05 02:00:00"
        let file = daemon.stateDirectory.appendingPathComponent("notifications/2025-02-05.jsonl")
        var killedAt = 0
        for attempt in 0..<5 {
            try? daemon.startWithoutWaiting()
            // Kill it while the burst is being written: the file is polled every millisecond, and the
            // daemon is stopped (SIGSTOP) the moment it has a few lines, so the kill lands mid-burst
            // however fast the disk is.
            let pid = daemon.daemonPid
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, (try? Data(contentsOf: file))?.filter({ $0 == UInt8(ascii: "\n") }).count ?? 0 <= 3 * (attempt + 1) {
                usleep(1000)
            }
            if let pid { kill(pid, SIGSTOP) }
            daemon.kill9()
            killedAt = (try? String(contentsOf: file, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if killedAt < count { break }
        }
        #expect(killedAt < count, "the kill came before the burst finished")
        try daemon.start()
        let lines = try Self.files(daemon)["2025-02-05.jsonl"] ?? []
        #expect(lines.count == count)
        #expect(Set(lines.map(\.id)).count == count, "every id once")
        #expect(try daemon.ctl("notifications", "--json").json([NotificationEntry].self).count == count)
    }
}

/// Polls `condition` until it holds or `seconds` pass.
func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
