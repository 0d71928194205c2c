#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// Issue #22 with the real binaries: `[site] language = "zh-CN"` puts what ltfud writes for
/// people into Chinese (journald `MESSAGE=`, the day file's `message`, mail), a reload changes
/// it for what comes after, and nothing a machine reads changes with the language.
@Suite(.serialized)
final class LanguageEndToEndTests: Sendable {
    static func hasChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    /// A daemon on 2025-04-26 with a CIK subject infused 2025-01-10: M1 escalated, M3 overdue.
    static func daemon(language: String, today: String = "2025-04-26", extraConfig: String = "", journal: Bool = false) throws -> DaemonHarness {
        let daemon = try DaemonHarness(today: today, extraConfig: extraConfig, journal: journal)
        let text = try String(contentsOf: daemon.configFile, encoding: .utf8)
        try text.replacingOccurrences(of: "timezone = \"Asia/Shanghai\"", with: "timezone = \"Asia/Shanghai\"\nlanguage = \"\(language)\"")
            .write(to: daemon.configFile, atomically: true, encoding: .utf8)
        return daemon
    }

    static func dayLines(_ daemon: DaemonHarness) -> [[String: Any]] {
        let file = daemon.stateDirectory.appendingPathComponent("notifications/2025-04-26.jsonl")
        return ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func chineseSite_writesChineseMessages_andTheSameMachineFields() throws {
        var lines: [String: [[String: Any]]] = [:]
        for language in ["en", "zh-CN"] {
            let daemon = try Self.daemon(language: language, journal: language == "zh-CN")
            try daemon.start()
            #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
            #expect(waitUntil(seconds: 30) { Self.dayLines(daemon).count >= 2 })
            lines[language] = Self.dayLines(daemon)
            if language == "zh-CN" {
                #expect(daemon.stop() == 0)
                let messages = try JournalSandbox.entries(in: daemon.journalDirectory).filter { $0["LTFU_NOTIFICATION_ID"] != nil }
                #expect(messages.count >= 2)
                for entry in messages {
                    #expect(Self.hasChinese(entry["MESSAGE"] ?? ""), "journald MESSAGE in Chinese: \(entry["MESSAGE"] ?? "")")
                    #expect(entry["LTFU_SUBJECT"] == "S01-001", "fields other than MESSAGE stay as they are")
                }
            } else {
                #expect(daemon.stop() == 0)
            }
        }
        let english = try #require(lines["en"]), chinese = try #require(lines["zh-CN"])
        #expect(english.count == chinese.count)
        for (en, zh) in zip(english, chinese) {
            #expect(!Self.hasChinese(en["message"] as? String ?? "x"))
            #expect(Self.hasChinese(zh["message"] as? String ?? ""), "\(zh)")
            var en = en, zh = zh
            en["message"] = nil
            zh["message"] = nil
            let a = try JSONSerialization.data(withJSONObject: en, options: .sortedKeys)
            let b = try JSONSerialization.data(withJSONObject: zh, options: .sortedKeys)
            #expect(a == b, "every field but `message` is the same in both languages")
        }
    }

    @Test func ltfuctlJSON_isByteForByteTheSameInEveryLocale_andTheTableFollowsLANG() throws {
        let daemon = try Self.daemon(language: "en")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        let ctl = BuiltBinaries.url("ltfuctl").path
        func run(_ arguments: [String], _ lang: String) throws -> CommandResult {
            try BuiltBinaries.run(path: ctl, arguments + ["--socket", daemon.socket], environment: ["LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""])
        }
        for arguments in [["due", "--json"], ["overdue", "--json"], ["show", "S01-001", "--json"], ["list", "--json"], ["audit", "--json"]] {
            let english = try run(arguments, "C"), chinese = try run(arguments, "zh_CN.UTF-8")
            #expect(english.status == 0 && chinese.status == 0)
            #expect(english.stdout == chinese.stdout, "\(arguments) differs between LANG=C and LANG=zh_CN.UTF-8")
        }
        let missing = try run(["show", "NOBODY"], "C"), missingZh = try run(["show", "NOBODY"], "zh_CN.UTF-8")
        #expect(missing.status == missingZh.status, "exit codes never change with the language")
        let table = try run(["status"], "zh_CN.UTF-8")
        #expect(table.status == 0)
        #expect(table.stdout.contains("在访受试者") || Self.hasChinese(table.stdout), "\(table.stdout)")
        // Labels line up in display columns (two a CJK character), not in characters.
        let starts = table.stdout.split(separator: "\n").dropFirst().compactMap { row -> Int? in
            let line = String(row)
            guard let colon = line.firstIndex(of: "：") else { return nil }
            let rest = line[line.index(after: colon)...]
            let value = rest.firstIndex { $0 != " " } ?? rest.endIndex
            return String(line[..<value]).displayColumns
        }
        #expect(starts.count >= 6 && Set(starts).count == 1, "values start at one column: \(starts)\n\(table.stdout)")
        #expect(try run(["status"], "C").stdout.contains("Active subjects:"))
        #expect(daemon.stop() == 0)
    }

    /// Where each cell of a table starts, in terminal columns: cells are two spaces or more apart.
    static func cellStarts(_ line: String) -> [Int] {
        var starts: [Int] = [], column = 0, spaces = 2
        for character in line {
            let width = String(character).displayColumns
            if character == " " { spaces += 1 } else {
                if spaces >= 2 { starts.append(column) }
                spaces = 0
            }
            column += width
        }
        return starts
    }

    /// Issue #22: a write prints its confirmation and the rows it changed, not the calendar;
    /// in Chinese the table's columns still line up in a terminal (two columns a character).
    @Test func writes_printTheirConfirmationAndTheRowsTheyChanged_andChineseTablesLineUp() throws {
        let daemon = try Self.daemon(language: "en")
        try daemon.start()
        let ctl = BuiltBinaries.url("ltfuctl").path
        func run(_ arguments: [String], _ lang: String = "C") throws -> CommandResult {
            try BuiltBinaries.run(path: ctl, arguments + ["--socket", daemon.socket], environment: ["LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""])
        }
        let enrolled = try run(["enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "2015-02-01"])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stdout.hasPrefix("Enrolled S01-001.\n\nVISIT"), "a new subject's rows are all new: \(enrolled.stdout)")
        let recorded = try run(["record", "S01-001", "M1", "--on", "2025-02-10"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let rows = recorded.stdout.split(separator: "\n").filter { $0.hasPrefix("M") }
        #expect(rows.count == 1 && rows[0].hasPrefix("M1 "), "only the visit recorded: \(recorded.stdout)")
        #expect(recorded.stdout.contains("Recorded M1 of S01-001 as done on 2025-02-10."))
        #expect(recorded.stdout.contains("The whole calendar: `ltfuctl show S01-001`"))
        let json = try run(["show", "S01-001", "--json"])
        let answer = try run(["contact", "S01-001", "--on", "2025-04-20", "--by", "phone", "--outcome", "no-answer", "--json"])
        #expect(try answer.json(ShowResponse.self).visits == (try json.json(ShowResponse.self)).visits, "--json is the daemon's whole answer, as before")
        let ended = try run(["end", "S01-001", "--reason", "withdrawn", "--on", "2025-04-26"])
        #expect(ended.status == 0, "\(ended.stderr)")
        #expect(!ended.stdout.contains("\nM180 "), "the cancelled visits are counted, not listed: \(ended.stdout)")
        #expect(ended.stdout.contains(" open visits cancelled (M3 … M180)."), "\(ended.stdout)")
        #expect(try run(["show", "S01-001"]).stdout.contains("M180"), "show gives the rest")

        let shown = try run(["show", "S01-001"], "zh_CN.UTF-8")
        #expect(shown.status == 0 && Self.hasChinese(shown.stdout))
        #expect(shown.stdout.contains("已取消") && shown.stdout.contains("S01-001") && shown.stdout.contains("M180"), "\(shown.stdout)")
        let table = shown.stdout.components(separatedBy: "\n").drop { !$0.hasPrefix("访视") }
        let header = Self.cellStarts(try #require(table.first, "the visit table: \(shown.stdout)"))
        #expect(header.count == 9, "\(table.first ?? "")")
        for row in table.dropFirst().prefix { !$0.isEmpty } {
            #expect(Set(Self.cellStarts(row)).isSubset(of: Set(header)), "a cell off its column:\n\(table.first ?? "")\n\(row)")
        }
        let enrolledZh = try run(["enroll", "S01-002", "--product", "CIK-AUTO", "--infused", "2025-01-10"], "zh_CN.UTF-8")
        #expect(enrolledZh.stdout.hasPrefix("受试者 S01-002 已入组。"), "\(enrolledZh.stdout)")
        #expect(daemon.stop() == 0)
    }

    /// `--help` speaks the reader's language as the rest of ltfuctl does; the options stay.
    @Test func help_followsLANG() throws {
        let ctl = BuiltBinaries.url("ltfuctl").path
        let chinese = try BuiltBinaries.run(path: ctl, ["record", "--help"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""])
        #expect(chinese.status == 0)
        #expect(chinese.stdout.contains("将访视记录为已完成") && chinese.stdout.contains("--on <date>"), "\(chinese.stdout)")
        let english = try BuiltBinaries.run(path: ctl, ["record", "--help"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "C", "LC_MESSAGES": ""])
        #expect(english.stdout.contains("Record a visit as done.") && !Self.hasChinese(english.stdout), "LC_ALL wins: \(english.stdout)")
    }

    @Test func reload_changesTheLanguageOfWhatComesAfter() throws {
        let daemon = try Self.daemon(language: "en")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(waitUntil(seconds: 30) { Self.dayLines(daemon).count >= 2 })
        let text = try String(contentsOf: daemon.configFile, encoding: .utf8)
        try text.replacingOccurrences(of: "language = \"en\"", with: "language = \"zh-CN\"").write(to: daemon.configFile, atomically: true, encoding: .utf8)
        let reloads = daemon.log.components(separatedBy: "reloaded").count
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.components(separatedBy: "reloaded").count > reloads })
        let before = Self.dayLines(daemon).count
        #expect(try daemon.ctl("end", "S01-001", "--reason", "withdrawn", "--on", "2025-04-26").status == 0)
        #expect(waitUntil(seconds: 30) { Self.dayLines(daemon).count > before })
        let lines = Self.dayLines(daemon)
        #expect(lines.prefix(before).allSatisfy { !Self.hasChinese($0["message"] as? String ?? "") }, "what was written stays as it was")
        #expect(lines.dropFirst(before).allSatisfy { Self.hasChinese($0["message"] as? String ?? "") }, "what comes after the reload is Chinese")
        #expect(daemon.stop() == 0)
    }

    /// A real message through exim4, read back and decoded by Python's `email` package.
    @Test func chineseMail_throughExim_hasAnEncodedSubject_andAUTF8Body() throws {
        let box = try LocalMailbox(role: "zh")
        let recipient = box.user, mailbox = box.path
        defer { withExtendedLifetime(box) {} }
        let daemon = try Self.daemon(language: "zh-CN", extraConfig: """
            [mail]
            enabled = true
            to = ["\(recipient)@localhost"]
            mode = "each"
            """)
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(waitUntil(seconds: 60) { ((try? String(contentsOfFile: mailbox, encoding: .utf8)) ?? "").contains("Message-ID") })
        let script = """
            import mailbox, sys
            from email.header import decode_header, make_header
            for message in mailbox.mbox(sys.argv[1]):
                raw = message['Subject']
                assert raw.isascii() and '=?UTF-8?B?' in raw, raw
                print('SUBJECT', str(make_header(decode_header(raw))))
                assert message.get_content_charset() == 'utf-8', message.get_content_charset()
                print('BODY', message.get_payload(decode=True).decode('utf-8').splitlines()[0])
            """
        let read = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", "-c", script, mailbox])
        #expect(read.status == 0, "\(read.stderr)")
        let subjects = read.stdout.split(separator: "\n").filter { $0.hasPrefix("SUBJECT ") }
        #expect(!subjects.isEmpty)
        for subject in subjects { #expect(Self.hasChinese(String(subject)) && subject.contains("S01-001"), "\(subject)") }
        for body in read.stdout.split(separator: "\n").filter({ $0.hasPrefix("BODY ") }) {
            #expect(Self.hasChinese(String(body)), "\(body)")
        }
        #expect(daemon.stop() == 0)
    }
}

extension String {
    /// Terminal columns, two for a CJK character (as a terminal draws them).
    var displayColumns: Int {
        unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
    }
}
