import Foundation
import LTFUCore
import LTFUWire
import Testing

/// SPEC §12's import and CSV export through the real binaries: RFC 4180 files a spreadsheet
/// writes (BOM, CRLF, quoted commas and line breaks), a dry run, all or nothing, problems at
/// `FILE:LINE: column`, idempotent re-runs, catch-up, and the export → import round trip.
@Suite struct ImportTests {
    static let subjects = "\u{FEFF}" + [
        "code,product,infused,born,consent_on,consent_by,ended_on,end_reason",
        "A-1,CD19-CART,2025-01-10,1980-03-04,2025-01-05,subject,,",
        "B-2,CD19-CART,2024-02-01;2025-03-01,,,,,",
        "C-3,CIK-AUTO,2025-06-15,,,,2026-01-10,withdrawn",
    ].joined(separator: "\r\n") + "\r\n"

    static let visits = [
        "code,visit,outcome,on,reason,results",
        "A-1,M1,done,2025-02-11,,malignancy=none",
        "A-1,M3,missed,,\"moved away, then\r\ncame back\",",
        "A-1,M6,done,2025-07-12,,rcl-test=negative;persistence=detected(12.5)",
        // B-2's first calendar (day 0 2024-02-01), then the second (day 0 2025-03-01).
        "B-2,M1,done,2024-03-02,,",
        "B-2,M3,done,2024-05-02,,",
        "B-2,M1,done,2025-04-02,,",
        "C-3,M1,done,2025-07-16,,",
    ].joined(separator: "\r\n") + "\r\n"

    static func write(_ text: String, _ name: String, in daemon: DaemonHarness) throws -> String {
        let url = daemon.root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// What the database holds, as a coordinator can see it: subjects, their visits, the audit trail.
    static func snapshot(_ daemon: DaemonHarness) throws -> String {
        let list = try daemon.ctl("list", "--json").stdout
        let audit = try daemon.ctl("audit", "--json").stdout
        let shown = try ["A-1", "B-2", "C-3"].map { try daemon.ctl("show", $0, "--json").stdout }
        return ([list, audit] + shown).joined(separator: "\n")
    }

    @Test func spreadsheetFiles_dryRunThenImport_thenAgainChangesNothing() throws {
        let daemon = try DaemonHarness(today: "2026-06-01")
        try daemon.start()
        let subjects = try Self.write(Self.subjects, "subjects.csv", in: daemon)
        let visits = try Self.write(Self.visits, "visits.csv", in: daemon)
        let before = try Self.snapshot(daemon)

        let dry = try daemon.ctl("import", subjects, "--visits", visits, "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Dry run, nothing written. The import would make: 3 new subjects"), "\(dry.stdout)")
        #expect(try Self.snapshot(daemon) == before, "a dry run wrote something")

        let done = try daemon.ctl("import", subjects, "--visits", visits, "--json")
        #expect(done.status == 0, "\(done.stderr)")
        let answer = try done.json(ImportResponse.self)
        #expect(answer.subjectsCreated == 3 && answer.visitsRecorded == 7 && answer.resultsRecorded == 3, "\(answer)")
        let sha = try BuiltBinaries.run(path: "/usr/bin/sha256sum", [subjects]).stdout.prefix(64)
        #expect(answer.subjectsSHA256 == String(sha))

        // As by hand: B-2 has two calendars, the first's open visits cancelled by the re-infusion.
        let b2 = try daemon.ctl("show", "B-2", "--json").json(ShowResponse.self)
        #expect(b2.subject.infusions.map(\.description) == ["2024-02-01", "2025-03-01"] && b2.subject.dayZero?.description == "2025-03-01")
        let a1 = try daemon.ctl("show", "A-1", "--json").json(ShowResponse.self)
        #expect(a1.visits.first { $0.code == "M3" }?.status == .missed)
        #expect(a1.visits.flatMap(\.results).contains { $0.assessment == .persistence && $0.percent == 12.5 })
        let c3 = try daemon.ctl("show", "C-3", "--json").json(ShowResponse.self)
        #expect(c3.subject.status == .ended && c3.subject.endReason == .withdrawn)

        // One `import` entry per subject, with the file's SHA-256.
        let audit = try daemon.ctl("audit", "--json").json([AuditEntry].self).filter { $0.action == "import" }
        #expect(audit.count == 3 && audit.allSatisfy { $0.change.contains(answer.subjectsSHA256) })
        #expect(try daemon.ctl("audit", "--verify").status == 0)

        // Catch-up: at most one notification per visit, the newest due. A-1's M12 closed on
        // 2026-03-11: overdue 2026-03-12, escalations 2026-04-11 and 2026-05-11, the newest.
        #expect(waitUntil(seconds: 15) { (try? daemon.ctl("notifications", "--json").json([NotificationEntry].self).isEmpty) == false })
        let notes = try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
        let perVisit = Dictionary(grouping: notes.filter { $0.visit != nil }) { "\($0.subject) \($0.visit ?? "")" }
        #expect(perVisit.values.allSatisfy { $0.count == 1 }, "\(perVisit.filter { $0.value.count > 1 })")
        #expect(notes.contains { $0.subject == "A-1" && $0.visit == "M12" && $0.kind == .escalation && $0.date.description == "2026-05-11" })

        // Again: nothing changes, and it says so.
        let after = try Self.snapshot(daemon)
        let again = try daemon.ctl("import", subjects, "--visits", visits)
        #expect(again.status == 0 && again.stdout.contains("Nothing changed"), "\(again.stdout)\(again.stderr)")
        #expect(try Self.snapshot(daemon) == after)
    }

    /// Each bad file: exit 65 (64 for usage), the problem at FILE:LINE: column, nothing written.
    @Test func badFiles_areRefusedByLineAndColumn_andWriteNothing() throws {
        let daemon = try DaemonHarness(today: "2026-06-01")
        try daemon.start()
        // One subject stored first, for the conflicts.
        #expect(try daemon.ctl("enroll", "S-1", "--product", "CD19-CART", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("record", "S-1", "M1", "--on", "2025-02-10").status == 0)
        let before = try Self.snapshot(daemon)
        let header = "code,product,infused,born,consent_on,consent_by,ended_on,end_reason\n"
        let good = header + "N-1,CD19-CART,2025-01-10,,,,,\n"
        let visitsHeader = "code,visit,outcome,on,reason,results\n"

        func refused(_ subjects: String, visits: String? = nil, status: Int32 = 65, _ expected: String...,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = try Self.write(subjects, "s.csv", in: daemon)
            var arguments = ["import", path]
            if let visits { arguments += ["--visits", try Self.write(visits, "v.csv", in: daemon)] }
            let result = try daemon.ctl(arguments)
            #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
            for text in expected {
                #expect(result.stderr.contains(text), "wanted \(text) in: \(result.stderr)", sourceLocation: sourceLocation)
            }
            #expect(try Self.snapshot(daemon) == before, "something was written", sourceLocation: sourceLocation)
        }

        let s = daemon.root.appendingPathComponent("s.csv").path
        let v = daemon.root.appendingPathComponent("v.csv").path
        try refused("code,product,infused,born,consent_on,consent_by,ended_on,end_reason,ward\n", "\(s):1: ward: unknown column")
        try refused("code,product,infused,born,consent_on,consent_by,ended_on\n", "\(s):1: end_reason: the column is missing")
        try refused(header + "N-1,CD19-CART,2025-02-30,,,,,\n", "\(s):2: infused:", "2025-02-30")
        try refused(header + "N-1,CD19-CART,2025-01-10,,,,,\nN-2,NO-SUCH,2025-01-10,,,,,\n", "\(s):3: product: no product `NO-SUCH`")
        try refused(header + "N-1,CD19-CART,2025-01-10,2025-03-01,,,,\n", "\(s):2: born: birth date 2025-03-01 is after the infusion")
        try refused(header + "N-1,CD19-CART,2025-01-10,,,,,\nN-1,CD19-CART,2025-01-10,,,,,\n", "\(s):3: code: subject `N-1` is also on line 2")
        try refused(header + "S-1,CIK-AUTO,2025-01-10,,,,,\n", "\(s):2: product: subject `S-1` is already enrolled with product CD19-CART")
        try refused(good, visits: visitsHeader + "N-1,M2,done,2025-02-10,,\n", "\(v):2: visit:", "has no visit `M2`")
        try refused(good, visits: visitsHeader + "N-1,M1,done,2024-12-01,,\n", "\(v):2: on: visit date 2024-12-01 is before day 0")
        try refused(good, visits: visitsHeader + "N-1,M1,done,2026-07-01,,\n", "\(v):2: on: visit date 2026-07-01 is in the future")
        try refused(good, visits: visitsHeader + "N-1,M1,missed,,,\n", "\(v):2: outcome: a reason is required")
        try refused(good, visits: visitsHeader + "S-1,M1,done,2025-02-12,,\n", "\(v):2: outcome: visit M1 of subject `S-1` is stored as done on 2025-02-10")
        try refused(good, visits: visitsHeader + "X-9,M1,done,2025-02-12,,\n", "\(v):2: code: no subject `X-9`")
        try refused(good, visits: visitsHeader + "N-1,M1,done,2025-02-12,,rcl-test=maybe\n", "\(v):2: results:")
        try refused(header + "N-1,CD19-CART,\"2025-01-10,,,,,\n", "\(s):2: file: a quoted field opened on this line is never closed")
        try refused(header + "N-1,CD19-CART,2025-01-10,,,,,,\n", "\(s):2: file: this record has 9 fields, the header has 8")
        try refused("", "\(s):1: file: the file is empty")
        // Several problems: all listed, and still nothing written.
        try refused(header + "N-1,CD19-CART,2025-01-10,,,,,\nN-2,NO-SUCH,2025-01-10,,,,,\nN-3,CD19-CART,someday,,,,,\n",
                    "\(s):3: product:", "\(s):4: infused:", "nothing was imported: 2 problems")

        // Not UTF-8 (Latin-1 é), and a 200 MB file: refused by the CLI before sending.
        let latin = daemon.root.appendingPathComponent("latin1.csv")
        try Data(header.utf8 + [0x4E, 0x2D, 0xE9] + Array(",CD19-CART,2025-01-10,,,,,\n".utf8)).write(to: latin)
        let notUTF8 = try daemon.ctl("import", latin.path)
        #expect(notUTF8.status == 65 && notUTF8.stderr.contains("\(latin.path):2: file: the file is not UTF-8"), "\(notUTF8.stderr)")
        let huge = daemon.root.appendingPathComponent("huge.csv")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 200 * 1_000_000)
        try handle.close()
        let tooLarge = try daemon.ctl("import", huge.path)
        #expect(tooLarge.status == 65 && tooLarge.stderr.contains("\(huge.path): the file is 190 MiB; an import takes files up to 64 MiB"),
                "\(tooLarge.stderr)")
        let missing = try daemon.ctl("import", daemon.root.appendingPathComponent("nope.csv").path)
        #expect(missing.status == 64 && missing.stderr.contains("nope.csv: No such file"), "\(missing.stderr)")
        #expect(try Self.snapshot(daemon) == before)
    }

    /// SPEC §12: importing an export into an empty database reproduces every subject and
    /// visit outcome; the second export is the first, byte for byte.
    @Test func exportThenImportIntoAnEmptyDatabase_reproducesEverySubjectAndVisit() throws {
        let first = try DaemonHarness(today: "2026-06-01")
        try first.start()
        // Every visit state: open, done (with results, one a deviation), missed, cancelled by a re-infusion.
        try first.ok("enroll", "A-1", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "2010-05-06",
               "--consent-on", "2025-01-05", "--consent-by", "guardian")
        try first.ok("record", "A-1", "M1", "--on", "2025-02-20")
        try first.ok("result", "A-1", "M1", "malignancy", "none")
        try first.ok("miss", "A-1", "M3", "--reason", "family moved, \"far\" away")
        // A result on the first calendar's M1, none on the second's.
        try first.ok("enroll", "B-2", "--product", "CD19-CART", "--infused", "2024-02-01")
        try first.ok("record", "B-2", "M1", "--on", "2024-03-02")
        try first.ok("result", "B-2", "M1", "persistence", "detected", "--percent", "12.5", "--sample", "S-7")
        try first.ok("infuse", "B-2", "--on", "2025-03-01")
        try first.ok("record", "B-2", "M1", "--on", "2025-04-01")
        try first.ok("enroll", "C-3", "--product", "CIK-AUTO", "--infused", "2025-06-15")
        try first.ok("record", "C-3", "M1", "--on", "2025-07-16")
        try first.ok("end", "C-3", "--reason", "transferred", "--on", "2026-01-10")
        // SPEC §10: an RCL finding at M3 turns the later archives into tests and adds the
        // confirmation visit U1; M24 is then done with its RCL test. Only in that order.
        try first.ok("enroll", "D-4", "--product", "CD19-CART", "--infused", "2024-01-10")
        try first.ok("record", "D-4", "M3", "--on", "2024-04-10")
        try first.ok("result", "D-4", "M3", "rcl-test", "positive")
        try first.ok("record", "D-4", "M24", "--on", "2026-01-10")
        try first.ok("result", "D-4", "M24", "rcl-test", "negative")

        let out = first.root.appendingPathComponent("export")
        let exported = try first.ctl("export", "csv", "--out", out.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        let subjectsFile = out.appendingPathComponent("subjects.csv")
        let mode = try FileManager.default.attributesOfItem(atPath: subjectsFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "an export with birth dates is for its owner only")
        let subjectsText = try String(contentsOf: subjectsFile, encoding: .utf8)
        let visitsText = try String(contentsOf: out.appendingPathComponent("visits.csv"), encoding: .utf8)
        #expect(subjectsText.contains("A-1,CD19-CART,2025-01-10,2010-05-06,2025-01-05,guardian,,,active\r\n"), "\(subjectsText)")
        #expect(visitsText.contains("A-1,M3,missed,,\"family moved, \"\"far\"\" away\",,missed,"), "\(visitsText)")
        #expect(visitsText.contains(",cancelled,"))

        let second = try DaemonHarness(today: "2026-06-01")
        try second.start()
        let imported = try second.ctl("import", subjectsFile.path, "--visits", out.appendingPathComponent("visits.csv").path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = second.root.appendingPathComponent("export")
        #expect(try second.ctl("export", "csv", "--out", again.path).status == 0)
        #expect(try String(contentsOf: again.appendingPathComponent("subjects.csv"), encoding: .utf8) == subjectsText)
        #expect(try String(contentsOf: again.appendingPathComponent("visits.csv"), encoding: .utf8) == visitsText)
        for code in ["A-1", "B-2", "C-3", "D-4"] {
            let before = try first.ctl("show", code, "--json").json(ShowResponse.self)
            let after = try second.ctl("show", code, "--json").json(ShowResponse.self)
            #expect(before.subject.lastContact == after.subject.lastContact, "\(code): last contact")
            #expect(before.visits.map(\.results.count) == after.visits.map(\.results.count), "\(code): results per visit")
            func outcomes(_ shown: ShowResponse) -> [String] {
                shown.visits.map { "\($0.series) \($0.code) \($0.status) \($0.doneOn?.description ?? "-") \($0.deviation)" }
            }
            #expect(outcomes(before) == outcomes(after), "\(code)")
        }
        // The export read back into the database it came from changes nothing.
        let back = try first.ctl("import", subjectsFile.path, "--visits", out.appendingPathComponent("visits.csv").path)
        #expect(back.status == 0 && back.stdout.contains("Nothing changed"), "\(back.stdout)\(back.stderr)")
    }

    /// Issue #11's "done when": a coordinator moves 40 spreadsheet subjects in with a dry run
    /// first, then one command; every open window is in the calendar a strict RFC 5545 parser
    /// reads; the sponsor's SV dataset has a row for every visit the spreadsheet recorded.
    @Test func fortySpreadsheetSubjects_inTheCalendarAndTheSDTMExport() throws {
        try HostRequirement.program("/usr/bin/python3", package: "python3")
        let daemon = try DaemonHarness(today: "2026-06-01")
        try daemon.start()
        var subjects = "code,product,infused,born,consent_on,consent_by,ended_on,end_reason\r\n"
        var visits = "code,visit,outcome,on,reason,results\r\n"
        var recorded = 0
        let products = ["CD19-CART", "CIK-AUTO", "MSLN-CARNK-MRNA"]
        for index in 1...40 {
            let code = String(format: "SITE-%03d", index)
            // Infusions from 2024-02-05 to 2025-11-26, a child every fifth.
            let infused = FileDates.date(2024, 2, 5, plusDays: index * 16)
            let born = index % 5 == 0 ? FileDates.date(2014, 3, 1, plusDays: index) : ""
            subjects += "\(code),\(products[index % 3]),\(infused),\(born),,,,\r\n"
            if index % 4 != 0 {
                visits += "\(code),M1,done,\(FileDates.date(infused, months: 1)),,\r\n"
                recorded += 1
            }
            if index % 7 == 0 {
                visits += "\(code),M3,missed,,\"away, for work\",\r\n"
                recorded += 1
            }
        }
        let subjectsPath = try Self.write(subjects, "site-subjects.csv", in: daemon)
        let visitsPath = try Self.write(visits, "site-visits.csv", in: daemon)
        let dry = try daemon.ctl("import", subjectsPath, "--visits", visitsPath, "--dry-run", "--json").json(ImportResponse.self)
        #expect(dry.dryRun && dry.subjectsCreated == 40 && dry.visitsRecorded == recorded)
        #expect(try daemon.ctl("list", "--json").json([SubjectSummary].self).isEmpty)
        let done = try daemon.ctl("import", subjectsPath, "--visits", visitsPath)
        #expect(done.status == 0 && done.stdout.contains("Imported: 40 new subjects"), "\(done.stdout)\(done.stderr)")

        // Every open window is an event of the calendar feed, which parses strictly.
        let feed = daemon.root.appendingPathComponent("feed.ics")
        let calendar = try daemon.ctl("calendar")
        #expect(calendar.status == 0)
        try Data(calendar.stdout.utf8).write(to: feed)
        let script = daemon.root.appendingPathComponent("parse.py")
        try CalendarFeedTests.strictParse.write(to: script, atomically: true, encoding: .utf8)
        let parsed = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", script.path, feed.path])
        #expect(parsed.status == 0, "\(parsed.stdout)\(parsed.stderr)")
        var open = 0
        for index in 1...40 {
            let code = String(format: "SITE-%03d", index)
            let shown = try daemon.ctl("show", code, "--json").json(ShowResponse.self)
            for visit in shown.visits where [.upcoming, .due, .overdue].contains(visit.status) {
                open += 1
                #expect(calendar.stdout.contains("SUMMARY:LTFU \(code) \(visit.code) ("), "\(code) \(visit.code) is not in the calendar")
            }
        }
        #expect(open > 40)

        // The sponsor's dataset: a row per visit the spreadsheet recorded, done or missed.
        let out = daemon.root.appendingPathComponent("sdtm")
        let sdtm = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out.path)
        #expect(sdtm.status == 0 && sdtm.stdout.contains("SDTM data set of 40 subjects (") && sdtm.stdout.contains(", SV \(recorded)) to "),
                "\(sdtm.stdout)\(sdtm.stderr)")
    }
}

/// Dates for building files, without the test depending on the code under test.
private enum FileDates {
    static func date(_ year: Int, _ month: Int, _ day: Int, plusDays: Int) -> String {
        var components = DateComponents(year: year, month: month, day: day)
        components.timeZone = TimeZone(identifier: "UTC")
        var gregorian = Foundation.Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let start = gregorian.date(from: components) ?? Date()
        return gregorian.date(byAdding: .day, value: plusDays, to: start).map(iso) ?? ""
    }

    /// `day` plus `months`, clamped to the month's end as SPEC §4 does.
    static func date(_ day: String, months: Int) -> String {
        var gregorian = Foundation.Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let start = ISO8601DateFormatter().date(from: day + "T00:00:00Z") ?? Date()
        return gregorian.date(byAdding: .month, value: months, to: start).map(iso) ?? ""
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
