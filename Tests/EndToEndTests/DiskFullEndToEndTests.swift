#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// Issue #13: the state directory on a 4 MiB tmpfs in ltfud's private mount namespace, filled
/// while ltfuctl writes. Writes are refused with 507 / exit 74 and change nothing, reads go
/// on, journald hears it at err, and once space is freed everything resumes without a restart:
/// the notifications that came due meanwhile go out once each, and `quick_check` is clean.
@Suite struct DiskFullEndToEndTests {
    init() throws {
        try HostRequirement.root("a tmpfs and a journald in a private mount namespace")
        try HostRequirement.program("/usr/bin/sqlite3", package: "sqlite3")
        try HostRequirement.program("/usr/bin/curl", package: "curl")
    }

    /// Every line of every notification file; a line that is not whole JSON is kept as nil.
    static func lines(_ daemon: DaemonHarness) -> [NotificationLine?] {
        let folder = daemon.namespacePath(daemon.stateDirectory.appendingPathComponent("notifications"))
        var result: [NotificationLine?] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            result += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
                try? JSONDecoder().decode(NotificationLine.self, from: Data($0.utf8))
            }
            if !text.isEmpty, !text.hasSuffix("\n") { result.append(nil) }  // a cut-off last line
        }
        return result
    }

    /// What a subject's notifications say, without their ids.
    static func describe(_ lines: [NotificationLine], subject: String) -> [String] {
        lines.filter { $0.subject == subject }.map { "\($0.visit ?? "-") \($0.kind.rawValue) \($0.date)" }.sorted()
    }

    /// A CIK subject infused 2025-03-27: M1's window opens 2025-04-20, the test's day, so its
    /// upcoming reminder (2025-04-06) goes out at once and its window-open at 08:00.
    static func enroll(_ daemon: DaemonHarness, _ code: String) throws -> CommandResult {
        try daemon.ctl("enroll", code, "--product", "CIK-AUTO", "--infused", "2025-03-27")
    }

    static let windowOpen = "M1 window-open 2025-04-20"

    /// What ltfud told journald at err.
    static func errors(_ daemon: DaemonHarness) -> [String] {
        ((try? JournalSandbox.entries(in: daemon.journalDirectory, matching: "PRIORITY=3")) ?? [])
            .filter { $0["SYSLOG_IDENTIFIER"] == "ltfud" && $0["LTFU_NOTIFICATION_ID"] == nil }.compactMap { $0["MESSAGE"] }
    }

    @Test func fullStateDisk_refusesWrites_keepsReads_andResumesWithoutARestart() throws {
        let started = Date()
        let daemon = try DaemonHarness(today: "2025-04-20", journal: true)
        // 07:57:30 in Shanghai: the disk fills before 08:00, when the window-open of every
        // subject comes due. Two and a half minutes: filling it takes about 30 s here and a
        // loaded machine three or more times that (issue #27).
        daemon.fakeTime = "2025-04-19 23:57:30"
        daemon.stateOnTmpfs = 4
        daemon.logToJournal = true
        daemon.environment["TMPDIR"] = daemon.root.path
        try daemon.start()
        let state = daemon.stateDirectory.path

        #expect(try Self.enroll(daemon, "F-0").status == 0)
        #expect(waitUntil(seconds: 20) { Self.lines(daemon).count == 1 })
        #expect(Self.describe(Self.lines(daemon).compactMap { $0 }, subject: "F-0") == ["M1 upcoming 2025-04-06"])

        // Fill the disk while a writer enrolls, until five writes in a row are refused.
        let outcomes = Locked<[(code: String, result: CommandResult)]>([])
        let writer = Thread {
            var refusedInARow = 0, index = 1
            let deadline = Date().addingTimeInterval(90)
            while refusedInARow < 5, Date() < deadline {
                let code = "F-\(index)"
                guard let result = try? Self.enroll(daemon, code) else { break }
                outcomes.withLock { $0.append((code, result)) }
                refusedInARow = result.status == 74 ? refusedInARow + 1 : 0
                index += 1
            }
        }
        writer.start()
        #expect(waitUntil(seconds: 30) { outcomes.withLock { $0.count } >= 10 })
        _ = try daemon.inNamespace(["/bin/sh", "-c", "dd if=/dev/zero of='\(state)/filler' bs=16k 2>/dev/null; exit 0"])
        #expect(waitUntil(seconds: 100) { writer.isFinished })
        let all = outcomes.withLock { $0 }
        let acknowledged = all.filter { $0.result.status == 0 }.map(\.code)
        let refused = all.filter { $0.result.status == 74 }
        #expect(all.allSatisfy { [0, 74].contains($0.result.status) },
                "\(all.filter { ![0, 74].contains($0.result.status) }.map { "\($0.code): \($0.result.status) \($0.result.stderr)" })")
        #expect(refused.count >= 5, "the disk filled up")
        for refusal in refused {
            #expect(refusal.result.stderr.contains("the disk holding the database is full"), "\(refusal.result.stderr)")
            #expect(!refusal.result.stderr.contains("SQLite"), "\(refusal.result.stderr)")
        }

        // Still full: every kind of write is refused with 507, reads go on.
        let http = try BuiltBinaries.run(path: "/usr/bin/curl", [
            "-s", "-w", "\n%{http_code}", "--unix-socket", daemon.socket, "-H", "Content-Type: application/json",
            "-d", #"{"code":"F-HTTP","product":"CIK-AUTO","infused":["2025-01-10"]}"#, "http://localhost/v1/subjects",
        ])
        #expect(http.stdout.hasSuffix("\n507"), "\(http.stdout)")
        #expect(http.stdout.contains(#""code":"disk-full""#), "\(http.stdout)")
        let record = try daemon.ctl("record", "F-0", "M3", "--on", "2025-04-10")
        #expect(record.status == 74, "\(record.stderr)")
        for read in [["status"], ["show", "F-0"], ["due"], ["overdue"], ["list"], ["notifications"], ["audit"], ["signals"]] {
            let result = try daemon.ctl(read)
            #expect(result.status == 0, "\(read): \(result.stderr)")
        }
        let subjects = ["F-0"] + acknowledged
        let outBefore08 = Self.lines(daemon).count
        #expect(!Self.lines(daemon).compactMap { $0 }.contains { $0.kind == .windowOpen }, "the disk was full before 08:00")

        // 08:00 comes with the disk still full: the scheduling pass cannot record, and says so.
        #expect(waitUntil(seconds: 240) { daemon.log.contains("scheduling pass failed") || Self.errors(daemon).contains { $0.contains("scheduling pass failed") } },
                "\(Self.errors(daemon))")
        #expect(Self.lines(daemon).count == outBefore08, "nothing half-emitted while full")

        // Space returns: with no restart and no write to prompt it, what came due goes out.
        #expect(try daemon.inNamespace(["/bin/rm", "-f", "\(state)/filler"]).status == 0)
        let freed = Date()
        // A failed pass retries in a minute; a loaded machine runs that pass slowly too.
        let caughtUp = waitUntil(seconds: 300) {
            Set(Self.lines(daemon).compactMap { $0 }.filter { $0.kind == .windowOpen }.map(\.subject)) == Set(subjects)
        }
        let catchUpSeconds = Date().timeIntervalSince(freed)
        #expect(caughtUp, "every window-open out \(Int(catchUpSeconds)) s after space returned")
        let heldWhileFull = Self.lines(daemon).count - outBefore08
        let after = try Self.enroll(daemon, "F-AFTER")
        #expect(after.status == 0, "writes resume without a restart: \(after.stderr)")

        // Nothing lost, nothing half-written, nothing twice.
        let lines = Self.lines(daemon)
        let whole = lines.compactMap { $0 }
        #expect(whole.count == lines.count, "every notification line is whole JSON")
        #expect(Set(whole.map(\.id)).count == whole.count, "no id twice in the files")
        for code in subjects {
            // Its upcoming reminder, unless it was held back past 08:00 and superseded (README: after downtime only the newest).
            #expect(Self.describe(whole, subject: code).filter { $0 != "M1 upcoming 2025-04-06" } == [Self.windowOpen], "\(code)")
        }
        let listed = try daemon.ctl("list", "--json").json([SubjectSummary].self).map(\.code)
        #expect(Set(listed) == Set(["F-0", "F-AFTER"] + acknowledged), "every acknowledged enrollment and no refused one")
        let verify = try daemon.ctl("audit", "--verify", "--json").json(AuditVerifyResponse.self)
        #expect(verify.ok, "\(verify.problem ?? "")")
        #expect(verify.rows == listed.count, "one audit row per enrollment: none for a refused one")
        let check = try daemon.inNamespace(["/usr/bin/sqlite3", "\(state)/ltfu.sqlite", "PRAGMA quick_check"])
        #expect(check.stdout == "ok\n", "\(check.stdout)\(check.stderr)")
        #expect(waitUntil(seconds: 20) { (try? daemon.ctl("notifications", "--json").json([NotificationEntry].self))?.allSatisfy { $0.emittedAt != nil } == true })

        let journaledIDs = try JournalSandbox.entries(in: daemon.journalDirectory).compactMap { $0["LTFU_NOTIFICATION_ID"] }
        #expect(Set(journaledIDs) == Set(whole.map(\.id)), "the journal has what the files have")
        #expect(journaledIDs.count == Set(journaledIDs).count, "no id twice in the journal")
        let errors = Self.errors(daemon)
        #expect(errors.contains { $0.contains("the disk holding the database is full") }, "journald told at err: \(errors)")
        #expect(daemon.stop() == 0)

        print("""
            disk full: 4 MiB tmpfs, \(acknowledged.count + 2) writes acknowledged, \(refused.count + 2) refused (507, exit 74), \
            \(lines.count - whole.count) half-written, \(heldWhileFull) notifications due while full, \
            all \(whole.count) out \(Int(catchUpSeconds.rounded())) s after space returned, \
            \(journaledIDs.count - Set(journaledIDs).count) duplicates, \(errors.count) err entries in the journal, \
            quick_check \(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), \(Int(Date().timeIntervalSince(started))) s
            """)
    }
}
