import Foundation
import LTFUWire
import Testing

/// SPEC §12's calendar feed through the real binaries: the file ltfud keeps, `ltfuctl
/// calendar`, a strict parser (python's icalendar from PyPI) and two real clients from Debian
/// (calcurse and khal) importing it.
@Suite struct CalendarFeedTests {
    /// The feed's events, unfolded, each as its property lines by name.
    static func events(_ text: String) -> [[String: String]] {
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        var events: [[String: String]] = []
        var current: [String: String]?
        var inAlarm = false
        for line in unfolded.components(separatedBy: "\r\n") {
            switch line {
            case "BEGIN:VEVENT": current = [:]
            case "END:VEVENT": current.map { events.append($0) }; current = nil
            case "BEGIN:VALARM": inAlarm = true; current?["VALARM"] = "yes"
            case "END:VALARM": inAlarm = false
            default:
                guard !inAlarm, let colon = line.firstIndex(of: ":") else { continue }
                current?[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
        }
        return events
    }

    static func event(_ events: [[String: String]], _ subject: String, _ visit: String) -> [String: String]? {
        events.first { $0["SUMMARY"]?.hasPrefix("LTFU \(subject) \(visit) ") == true }
    }

    /// Parses the feed with icalendar and prints `events=N`, or fails with every problem.
    static let strictParse = #"""
        import sys, datetime, icalendar
        data = open(sys.argv[1], "rb").read()
        calendar = icalendar.Calendar.from_ical(data)
        problems, count = [], 0
        for component in calendar.walk():
            problems += [f"{component.name}: {e}" for e in getattr(component, "errors", [])]
            if component.name != "VEVENT":
                continue
            count += 1
            start, end = component.decoded("DTSTART"), component.decoded("DTEND")
            if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date) or not end > start:
                problems.append(f"{component['UID']}: not an all-day event over its window")
            for name in ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "SUMMARY"):
                if name not in component:
                    problems.append(f"{component.get('UID')}: no {name}")
        for number, line in enumerate(data.split(b"\r\n"), 1):
            if len(line) > 75:
                problems.append(f"line {number} is {len(line)} octets")
        if b"\n" in data.replace(b"\r\n", b""):
            problems.append("a line ends without CR")
        print("\n".join(problems) if problems else f"events={count}")
        sys.exit(1 if problems else 0)
        """#

    @Test func theFeed_isKeptCurrent_parsesStrictly_importsIntoCalcurseAndKhal_andKeepsItsUIDs() throws {
        try HostRequirement.program("/usr/bin/python3", package: "python3")
        try HostRequirement.program("/usr/bin/calcurse", package: "calcurse")
        try HostRequirement.program("/usr/bin/khal", package: "khal")
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        #expect(try daemon.ctl(["enroll", "C-1", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "-"], input: "2015-03-04").status == 0)
        #expect(try daemon.ctl(["record", "C-1", "M1", "--on", "2025-02-10", "--note", "-"], input: "seen at home; Dr. Li, Room 5").status == 0)
        #expect(try daemon.ctl("enroll", "C-2", "--product", "CIK-AUTO", "--infused", "2025-02-01").status == 0)
        #expect(try daemon.ctl("miss", "C-2", "M1", "--reason", "travel").status == 0)

        // ltfud rewrites its file after the change.
        let file = daemon.stateDirectory.appendingPathComponent("calendar/ltfu.ics")
        var text = ""
        #expect(waitUntil {
            text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return text.contains("LTFU C-2 M1 (non-modified) missed")
        }, "the feed file never showed the missed visit")
        let printed = try daemon.ctl("calendar")
        #expect(printed.status == 0, "\(printed.stderr)")
        func withoutStamps(_ text: String) -> String {
            text.components(separatedBy: "\r\n").filter { !$0.hasPrefix("DTSTAMP:") }.joined(separator: "\r\n")
        }
        #expect(withoutStamps(printed.stdout) == withoutStamps(text), "`ltfuctl calendar` and the file differ")

        // The rules of §12, on hand-checked visits.
        let events = Self.events(text)
        let m1 = try #require(Self.event(events, "C-1", "M1"))
        #expect(m1["SUMMARY"] == "LTFU C-1 M1 (integrating) done 2025-02-10")
        #expect(m1["DTSTART;VALUE=DATE"] == "20250203" && m1["DTEND;VALUE=DATE"] == "20250218", "M1 window 2025-02-03 … 2025-02-17, DTEND exclusive")
        #expect(m1["SEQUENCE"] == "1" && m1["STATUS"] == "CONFIRMED" && m1["VALARM"] == nil)
        let m3 = try #require(Self.event(events, "C-1", "M3"))
        #expect(m3["SEQUENCE"] == "0" && m3["STATUS"] == "CONFIRMED" && m3["VALARM"] == "yes")
        #expect(Self.event(events, "C-2", "M1")?["SUMMARY"] == "LTFU C-2 M1 (non-modified) missed")
        // No birth date, no note, no miss reason.
        for secret in ["2015-03-04", "20150304", "Dr. Li", "Room 5", "travel"] {
            #expect(!text.contains(secret), "the feed shows \(secret)")
        }

        // A strict parser and two real calendar clients take it.
        let scratch = daemon.root.appendingPathComponent("clients")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("khal/ltfu"), withIntermediateDirectories: true)
        let script = scratch.appendingPathComponent("parse.py")
        try Self.strictParse.write(to: script, atomically: true, encoding: .utf8)
        let parsed = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", script.path, file.path])
        #expect(parsed.status == 0 && parsed.stdout == "events=\(events.count)\n", "\(parsed.stdout)\(parsed.stderr)")
        let calcurse = try BuiltBinaries.run(path: "/usr/bin/calcurse", ["-D", scratch.appendingPathComponent("calcurse").path, "-i", file.path])
        #expect(calcurse.status == 0)
        #expect(calcurse.stdout.contains("0 apps / \(events.count) events / 0 todos / 0 skipped"), "\(calcurse.stdout)\(calcurse.stderr)")
        try """
            [calendars]
            [[ltfu]]
            path = \(scratch.path)/khal/ltfu
            type = calendar
            [locale]
            timeformat = %H:%M
            dateformat = %Y-%m-%d
            longdateformat = %Y-%m-%d
            datetimeformat = %Y-%m-%d %H:%M
            longdatetimeformat = %Y-%m-%d %H:%M
            """.write(to: scratch.appendingPathComponent("khal.conf"), atomically: true, encoding: .utf8)
        let khalEnvironment = ["XDG_DATA_HOME": scratch.path, "XDG_CONFIG_HOME": scratch.path, "HOME": scratch.path]
        let khal = try BuiltBinaries.run(path: "/usr/bin/khal", ["-c", scratch.appendingPathComponent("khal.conf").path, "import", "--batch", "-a", "ltfu", file.path],
                                         environment: khalEnvironment)
        #expect(khal.status == 0, "\(khal.stdout)\(khal.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("khal/ltfu").path).count == events.count)
        let listed = try BuiltBinaries.run(path: "/usr/bin/khal", ["-c", scratch.appendingPathComponent("khal.conf").path, "list", "2025-04-01", "2025-04-02"],
                                           environment: khalEnvironment)
        #expect(listed.stdout.contains("LTFU C-1 M3 (integrating)"), "khal does not show M3's window: \(listed.stdout)\(listed.stderr)")

        // UIDs survive a restart; a re-infusion cancels the old open visits under the same UID
        // with a higher SEQUENCE, and the new series brings new UIDs.
        #expect(daemon.stop() == 0)
        try daemon.start()
        let before = Dictionary(uniqueKeysWithValues: events.map { ($0["SUMMARY"] ?? "", $0["UID"] ?? "") })
        let restarted = Self.events(try daemon.ctl("calendar").stdout)
        #expect(Dictionary(uniqueKeysWithValues: restarted.map { ($0["SUMMARY"] ?? "", $0["UID"] ?? "") }) == before)
        #expect(try daemon.ctl("infuse", "C-1", "--on", "2025-02-20").status == 0)
        let reinfused = Self.events(try daemon.ctl("calendar", "--subject", "C-1").stdout)
        let oldM3 = try #require(reinfused.first { $0["UID"] == m3["UID"] })
        #expect(oldM3["STATUS"] == "CANCELLED" && oldM3["SEQUENCE"] == "1" && oldM3["VALARM"] == nil)
        let open = reinfused.filter { $0["STATUS"] == "CONFIRMED" && $0["SEQUENCE"] == "0" }
        #expect(!open.isEmpty && open.allSatisfy { before.values.contains($0["UID"] ?? "") == false })
        #expect(reinfused.allSatisfy { $0["SUMMARY"]?.hasPrefix("LTFU C-1 ") == true })
        #expect(try daemon.ctl("calendar", "--subject", "NOPE").status == 65)
    }
}
