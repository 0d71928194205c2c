#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// Issue #13: `kill -9` at a random moment, again and again, while ltfuctl writes (enroll, import,
/// record, result, event), the scheduler records and emits the notifications they raise, and
/// the mail sender hands a message per notification to sendmail. After each restart every
/// acknowledged write is there; every few cycles and at the end the audit chain verifies, no
/// notification id is twice in the files, the journal has each at most twice (SPEC §6: once
/// more after a crash between emitting and marking), no mail is lost, and each kill makes
/// at most one message be handed off again, with the same Message-ID.
///
/// `LTFU_CRASH_SEED` and `LTFU_CRASH_CYCLES` repeat or widen a run; the seed is printed.
@Suite struct CrashLoopTests {
    init() throws {
        try HostRequirement.root("a private journald in a mount namespace")
        try HostRequirement.program("/usr/bin/sqlite3", package: "sqlite3")
    }

    @Test func killNineAtRandomMoments_losesNoAcknowledgedWrite_noNotificationAndNoMail() throws {
        let started = Date()
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["LTFU_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
        let cycles = environment["LTFU_CRASH_CYCLES"].flatMap(Int.init) ?? 100
        var random = SplitMix64(seed: seed)

        let daemon = try DaemonHarness(today: "2025-04-20", journal: true)
        let mta = try MaildirMTA(in: daemon.root)
        let config = try String(contentsOf: daemon.configFile, encoding: .utf8) + """

            [mail]
            enabled = true
            sendmail = "\(mta.program.path)"
            from = "ltfu@localhost"
            to = ["coordinator@localhost"]
            mode = "each"
            """
        try config.write(to: daemon.configFile, atomically: true, encoding: .utf8)
        // sendmail's stderr files of a killed daemon stay in its own folder, removed with it.
        daemon.environment["TMPDIR"] = daemon.root.path
        // The fake clock goes on from where the killed daemon left it, never back.
        let clockStart = Date(timeIntervalSince1970: 1_745_114_400)  // 2025-04-20 02:00:00 UTC, 10:00 in Shanghai
        func setClock() { daemon.fakeTime = FakeClock.string(clockStart.addingTimeInterval(Date().timeIntervalSince(started))) }

        let writers = (0..<3).map { Writer(index: $0) }
        var figures = Figures()
        setClock()
        try daemon.start()
        for cycle in 1...cycles {
            // A burst of writes from three coordinators, and the kill at a random moment in it.
            let killAfter = 60 + Int(random.next() % 540)
            let group = DispatchGroup()
            for writer in writers {
                let writerSeed = random.next()
                DispatchQueue.global().async(group: group) { writer.burst(daemon, cycle: cycle, seed: writerSeed) }
            }
            usleep(useconds_t(killAfter * 1000))
            daemon.kill9()
            figures.kills += 1
            group.wait()

            setClock()
            try daemon.start()
            // Every write ltfuctl reported done is there.
            for writer in writers {
                let (checked, lost) = try writer.verify(daemon)
                figures.checked += checked
                figures.lost += lost
            }
            if cycle % 10 == 0 || cycle == cycles {
                let verify = try daemon.ctl("audit", "--verify", "--json").json(AuditVerifyResponse.self)
                #expect(verify.ok, "cycle \(cycle), seed \(seed): \(verify.problem ?? "")")
                let ids = try Self.fileIDs(daemon)
                #expect(ids.count == Set(ids).count, "cycle \(cycle), seed \(seed): an id twice in the files")
            }
        }

        // Let the last daemon finish what is due, then count everything.
        let settled = waitUntil(seconds: 60) {
            guard let listed = try? daemon.ctl("notifications", "--json").json([NotificationEntry].self),
                  let queue = try? daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self) else { return false }
            return listed.allSatisfy { $0.emittedAt != nil } && queue.isEmpty
        }
        #expect(settled, "every notification emitted and the mail queue empty")
        let emitted = try daemon.ctl("notifications", "--json").json([NotificationEntry].self).filter { $0.emittedAt != nil }.map(\.id)
        let stored = Set(try daemon.ctl("list", "--json").json([SubjectSummary].self).map(\.code))
        let enrolled = writers.reduce(into: Set<String>()) { $0.formUnion($1.subjects.keys) }
        #expect(enrolled.isSubset(of: stored), "every acknowledged enrollment, at the end: \(enrolled.subtracting(stored).sorted())")
        #expect(daemon.stop() == 0)
        let check = try BuiltBinaries.run(path: "/usr/bin/sqlite3", [daemon.stateDirectory.appendingPathComponent("ltfu.sqlite").path, "PRAGMA quick_check"])
        #expect(check.stdout == "ok\n", "\(check.stdout)\(check.stderr)")

        let inFiles = try Self.fileIDs(daemon)
        let notificationsLost = Set(emitted).subtracting(inFiles).count
        #expect(Set(inFiles) == Set(emitted), "the files hold every emitted notification")
        #expect(inFiles.count == Set(inFiles).count, "no id twice in the files")
        let journaled = try JournalSandbox.entries(in: daemon.journalDirectory).compactMap { $0["LTFU_NOTIFICATION_ID"] }
        let journalCopies = Dictionary(journaled.map { ($0, 1) }, uniquingKeysWith: +)
        let journalMissing = Set(emitted).subtracting(journaled)
        // Issue #13: no id twice in the journal. The file line is the witness the journal is
        // sent after, so a kill in the instant between the two leaves that one notification
        // only in the file and the database: at most one per kill (the files hold them all).
        #expect(journalCopies.values.allSatisfy { $0 == 1 }, "no id twice in the journal: \(journalCopies.filter { $0.value > 1 })")
        #expect(journalMissing.count <= cycles, "at most one notification left out of the journal per kill: \(journalMissing.count)")
        let mailed = mta.messageIDs()
        let mailCopies = Dictionary(mailed.map { ($0, 1) }, uniquingKeysWith: +)
        let mailLost = Set(emitted.map { "<\($0)@ltfu.s01>" }).subtracting(mailed)
        #expect(mailLost.isEmpty, "no mail lost: \(mailLost.sorted().prefix(5))")
        // The sender hands off one message at a time, so a kill can cut off at most one between
        // the MTA taking it and ltfud marking it sent: at most one redelivery per kill (a message
        // caught so by two kills in a row comes a third time).
        let redeliveries = mailCopies.values.reduce(0) { $0 + $1 - 1 }
        #expect(redeliveries <= figures.kills, "at most one redelivery per kill: \(mailCopies.filter { $0.value > 1 })")
        #expect(Set(mailed).isSubset(of: Set(emitted.map { "<\($0)@ltfu.s01>" })), "no mail for a notification never emitted")
        #expect(figures.lost == 0, "seed \(seed)")
        #expect(figures.checked > cycles * 3, "the bursts got going")

        let kinds = writers.reduce(into: [String: Int]()) { total, writer in total.merge(writer.acknowledgedByKind) { $0 + $1 } }
        let journalRepeats = journalCopies.values.reduce(0) { $0 + $1 - 1 }
        print("""
            crash loop: \(cycles) cycles, seed \(seed), \(figures.kills) kill -9, \(kinds.values.reduce(0, +)) acknowledged writes \
            (\(kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))), \
            \(figures.checked) checks after restarts, \(figures.lost) lost, \
            \(emitted.count) notifications, \(notificationsLost) lost, \(inFiles.count - Set(inFiles).count) twice in the files, \
            \(journalRepeats) repeated and \(journalMissing.count) missing in the journal, \
            \(Set(mailed).count) mails, \(mailLost.count) lost, \(redeliveries) redeliveries (at most \(mailCopies.values.max() ?? 0) copies of one), \
            quick_check \(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), \(Int(Date().timeIntervalSince(started))) s
            """)
    }

    /// The id of every line of every notification file.
    static func fileIDs(_ daemon: DaemonHarness) throws -> [String] {
        try NotificationTests.files(daemon).values.flatMap { $0.map(\.id) }
    }

    struct Figures {
        var kills = 0, checked = 0, lost = 0
    }
}

/// One coordinator: enrolls subjects of its own (so two writers never race on one subject)
/// and records visits, results and events for them; remembers what ltfuctl acknowledged.
private final class Writer: @unchecked Sendable {
    let index: Int
    /// Acknowledged: subject → product, M3 done, results, events.
    var subjects: [String: String] = [:]
    var recorded: Set<String> = []
    var results: [String: (assessment: String, value: String)] = [:]
    var events: [String: [String]] = [:]
    /// Subjects whose state is unsure (the daemon died before answering): left alone.
    var unsure: Set<String> = []
    /// What this cycle acknowledged, checked after the restart.
    var touched: Set<String> = []
    var acknowledgedByKind: [String: Int] = [:]
    /// Imports the daemon died in: each all written or none of it (SPEC §12, one transaction).
    var unsureImports: [[String]] = []
    private var enrolled = 0
    private var imports = 0

    init(index: Int) { self.index = index }

    func burst(_ daemon: DaemonHarness, cycle: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        touched = []
        while true {
            let usable = subjects.keys.filter { !unsure.contains($0) }.sorted()
            let roll = random.next() % 10
            let (kind, code, arguments): (String, String, [String])
            if roll == 9 {
                // A spreadsheet of three subjects, each with M3 done: one transaction.
                imports += 1
                let codes = (1...3).map { "W\(index)-I\(imports)-\($0)" }
                let subjectsFile = daemon.root.appendingPathComponent("import-\(index)-\(imports).csv").path
                let visitsFile = daemon.root.appendingPathComponent("import-\(index)-\(imports)-visits.csv").path
                let subjectRows = codes.map { "\($0),CD19-CART,2025-01-10,,,,," }
                let visitRows = codes.map { "\($0),M3,done,2025-04-10,," }
                try? (["code,product,infused,born,consent_on,consent_by,ended_on,end_reason"] + subjectRows).joined(separator: "\n")
                    .write(toFile: subjectsFile, atomically: true, encoding: .utf8)
                try? (["code,visit,outcome,on,reason,results"] + visitRows).joined(separator: "\n")
                    .write(toFile: visitsFile, atomically: true, encoding: .utf8)
                guard let result = try? daemon.ctl(["import", subjectsFile, "--visits", visitsFile]) else { return }
                if result.status == 0 {
                    acknowledgedByKind["import", default: 0] += 1
                    for code in codes {
                        subjects[code] = "CD19-CART"
                        recorded.insert(code)
                        touched.insert(code)
                    }
                    continue
                }
                if result.status == 70 { Issue.record("import: \(result.stderr)") }
                unsure.formUnion(codes)
                unsureImports.append(codes)
                if [69, 74].contains(result.status) || result.stderr.contains("ltfud") { return }
                continue
            }
            if roll < 4 || usable.isEmpty {
                enrolled += 1
                let product = random.next() % 2 == 0 ? "CD19-CART" : "CIK-AUTO"
                // Infused 2025-01-10: on 2025-04-20 M1 is escalated and M3's window open, at once.
                (kind, code) = ("enroll", "W\(index)-\(enrolled)")
                arguments = ["enroll", code, "--product", product, "--infused", "2025-01-10"]
            } else {
                let subject = usable[Int(random.next() % UInt64(usable.count))]
                if !recorded.contains(subject) {
                    (kind, code, arguments) = ("record", subject, ["record", subject, "M3", "--on", "2025-04-10"])
                } else if results[subject] == nil, roll < 7 {
                    // An RCL finding: a safety signal, a confirmation visit, a schedule change, at once.
                    let assessment = subjects[subject] == "CD19-CART" ? "rcl-test" : "survival"
                    let value = assessment == "rcl-test" ? "positive" : "done"
                    (kind, code, arguments) = ("result", subject, ["result", subject, "M3", assessment, value])
                } else {
                    let day = String(format: "2025-04-%02d", 11 + (events[subject]?.count ?? 0))
                    guard day <= "2025-04-20" else { continue }
                    (kind, code, arguments) = ("event", subject, ["event", subject, "serious-infection", "--on", day])
                }
            }
            guard let result = try? daemon.ctl(arguments) else { return }
            if result.status == 0 {
                acknowledgedByKind[kind, default: 0] += 1
                touched.insert(code)
                switch kind {
                case "enroll": subjects[code] = arguments[3]
                case "record": recorded.insert(code)
                case "result": results[code] = (arguments[3], arguments[4])
                default: events[code, default: []].append(arguments[4])
                }
            } else {
                // Killed mid-request: it may or may not have been written.
                if result.status == 70 { Issue.record("\(arguments): \(result.stderr)") }
                unsure.insert(code)
                if [69, 74].contains(result.status) || result.stderr.contains("ltfud") { return }
            }
        }
    }

    /// Checks every subject this cycle touched; returns the writes checked and how many are missing.
    func verify(_ daemon: DaemonHarness) throws -> (checked: Int, lost: Int) {
        var checked = 0, lost = 0
        for code in touched.sorted() {
            let shown = try? daemon.ctl("show", code, "--json").json(ShowResponse.self)
            let m3 = shown?.visits.first { $0.code == "M3" && $0.series == 1 }
            var expected: [(String, Bool)] = [("enrolled", shown != nil)]
            if recorded.contains(code) { expected.append(("M3 done", m3?.doneOn?.description == "2025-04-10")) }
            if let result = results[code] {
                expected.append(("result", m3?.results.contains { $0.assessment.rawValue == result.assessment && $0.value == result.value } == true))
            }
            for day in events[code] ?? [] {
                expected.append(("event \(day)", shown?.events.contains { $0.kind == .seriousInfection && $0.on.description == day } == true))
            }
            checked += expected.count
            for (what, present) in expected where !present {
                lost += 1
                Issue.record("acknowledged, then lost after kill -9: \(code) \(what)")
            }
        }
        for codes in unsureImports {
            let present = codes.filter { (try? daemon.ctl("show", $0, "--json").status) == 0 }
            checked += 1
            if !present.isEmpty && present.count != codes.count {
                lost += 1
                Issue.record("an import killed midway is half written: \(present) of \(codes)")
            }
        }
        unsureImports = []
        return (checked, lost)
    }
}

/// The site MTA, reduced to what matters here: a message is taken (sendmail exits 0) once it
/// has been renamed into `maildir/new`, as a maildir delivery is.
private struct MaildirMTA {
    let folder: URL
    let program: URL

    init(in root: URL) throws {
        folder = root.appendingPathComponent("maildir")
        program = root.appendingPathComponent("sendmail")
        for name in ["tmp", "new"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try """
            #!/bin/sh
            f='\(folder.path)/tmp/'$$
            cat > "$f" && mv "$f" '\(folder.path)/new/'$$.$(date +%s%N)
            """.write(to: program, atomically: true, encoding: .utf8)
        chmod(program.path, 0o755)
    }

    /// The Message-ID of every message taken, once per copy.
    func messageIDs() -> [String] {
        let new = folder.appendingPathComponent("new")
        return ((try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []).compactMap { name in
            let text = (try? String(contentsOf: new.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").first { $0.lowercased().hasPrefix("message-id:") }
                .map { $0.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces) }
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, as `faketime` takes it.
private enum FakeClock {
    static func string(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}

/// A small seeded generator (SplitMix64), so a run's kill moments and choices can be repeated.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
