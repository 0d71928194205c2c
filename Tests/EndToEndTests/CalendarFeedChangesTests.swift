import Foundation
import Testing

/// SPEC §12's calendar feed over time: `SEQUENCE` as visits change, a UID kept for ever, and
/// done, missed and cancelled visits kept for 90 days after the change, then left out.
///
/// Every change ltfu makes to a visit ends it (done, missed or cancelled: none is undone, and
/// no command moves a window), so a visit's SEQUENCE goes from 0 to 1 once and stays there;
/// what happens to a resolved visit later (a result, a restart) is no change a client sees.
@Suite struct CalendarFeedChangesTests {
    /// Each event as `SUMMARY | STATUS | SEQUENCE | DTSTART–DTEND`.
    static func lines(_ feed: String) -> [String] {
        CalendarFeedTests.events(feed).map {
            "\($0["SUMMARY"] ?? "-") | \($0["STATUS"] ?? "-") | \($0["SEQUENCE"] ?? "-") | \($0["DTSTART;VALUE=DATE"] ?? "-")–\($0["DTEND;VALUE=DATE"] ?? "-")"
        }.sorted()
    }

    static func event(_ daemon: DaemonHarness, uid: String?) throws -> [String: String]? {
        CalendarFeedTests.events(try daemon.ctl("calendar").stdout).first { $0["UID"] == uid }
    }

    /// An open unscheduled visit is no calendar visit: a re-infusion moves it into the new series
    /// (FollowUpStore.reinfuse), unchanged, and clients must see the same event.
    @Test func anOpenUnscheduledVisit_keepsItsUIDAndSequenceThroughAReinfusion_andRisesOnceWhenDone() throws {
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "C-1", "--product", "CD19-CART", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("record", "C-1", "M1", "--on", "2025-02-10").status == 0)
        #expect(try daemon.ctl("event", "C-1", "new-malignancy", "--on", "2025-02-20", "--related", "no").status == 0)
        let before = CalendarFeedTests.events(try daemon.ctl("calendar").stdout)
        let m1 = try #require(CalendarFeedTests.event(before, "C-1", "M1"))
        let m3 = try #require(CalendarFeedTests.event(before, "C-1", "M3"))
        let u1 = try #require(CalendarFeedTests.event(before, "C-1", "U1"))
        #expect(u1["SUMMARY"] == "LTFU C-1 U1 (integrating) tumor-sample" && u1["STATUS"] == "CONFIRMED" && u1["SEQUENCE"] == "0")
        // Event 2025-02-20 + 14 days, target 2025-03-06, window ±14: 2025-02-20 … 2025-03-20, DTEND the day after.
        #expect(u1["DTSTART;VALUE=DATE"] == "20250220" && u1["DTEND;VALUE=DATE"] == "20250321")

        #expect(try daemon.ctl("infuse", "C-1", "--on", "2025-02-25").status == 0)
        let moved = try #require(try Self.event(daemon, uid: u1["UID"]), "the tumour sample's event lost its UID in the re-infusion")
        #expect(moved["SUMMARY"] == u1["SUMMARY"] && moved["STATUS"] == "CONFIRMED" && moved["SEQUENCE"] == "0")
        #expect(moved["DTSTART;VALUE=DATE"] == "20250220" && moved["DTEND;VALUE=DATE"] == "20250321")
        #expect(CalendarFeedTests.events(try daemon.ctl("calendar").stdout).filter { $0["SUMMARY"]?.hasPrefix("LTFU C-1 U1 ") == true }.count == 1)
        #expect(try Self.event(daemon, uid: m3["UID"])?["STATUS"] == "CANCELLED")
        #expect(try Self.event(daemon, uid: m3["UID"])?["SEQUENCE"] == "1")

        // Done: the same event, one change later.
        #expect(try daemon.ctl("record", "C-1", "U1", "--on", "2025-03-01").status == 0)
        let done = try #require(try Self.event(daemon, uid: u1["UID"]))
        #expect(done["SUMMARY"] == "LTFU C-1 U1 (integrating) tumor-sample done 2025-03-01" && done["STATUS"] == "CONFIRMED" && done["SEQUENCE"] == "1")
        // A result on a done visit, and a restart, change nothing a client shows.
        #expect(try daemon.ctl("result", "C-1", "U1", "tumor-vector-analysis", "done").status == 0)
        #expect(try daemon.ctl("result", "C-1", "M1", "malignancy", "none").status == 0)
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(try Self.event(daemon, uid: u1["UID"]) == done)
        #expect(try Self.event(daemon, uid: m1["UID"]) == m1)
    }

    /// Resolved visits stay in the feed (file and `ltfuctl calendar`) for 90 days after the
    /// change, so clients learn of it, then drop out; open visits stay. The daemon's clock is
    /// moved by restarting it under faketime 89 and 91 days on.
    @Test func doneMissedAndCancelledVisits_leaveTheFeed90DaysAfterTheChange() throws {
        let daemon = try DaemonHarness(today: "2025-05-01")
        try daemon.start()
        // CIK-AUTO, day 0 2025-01-10: M1 2025-02-03 … 02-17, M3 03-27 … 04-24, M6 06-10 … 08-09, M12 2025-12-11 … 2026-03-11.
        for code in ["C-2", "C-3"] {
            #expect(try daemon.ctl("enroll", code, "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        }
        #expect(try daemon.ctl("record", "C-2", "M1", "--on", "2025-02-10").status == 0)
        #expect(try daemon.ctl("miss", "C-2", "M3", "--reason", "travel").status == 0)
        #expect(try daemon.ctl("end", "C-3", "--reason", "withdrawn", "--on", "2025-04-30").status == 0)
        let open = [
            "LTFU C-2 M12 (non-modified) | CONFIRMED | 0 | 20251211–20260312",
            "LTFU C-2 M6 (non-modified) | CONFIRMED | 0 | 20250610–20250810",
        ]
        let resolved = [
            "LTFU C-2 M1 (non-modified) done 2025-02-10 | CONFIRMED | 1 | 20250203–20250218",
            "LTFU C-2 M3 (non-modified) missed | CONFIRMED | 1 | 20250327–20250425",
            "LTFU C-3 M1 (non-modified) | CANCELLED | 1 | 20250203–20250218",
            "LTFU C-3 M12 (non-modified) | CANCELLED | 1 | 20251211–20260312",
            "LTFU C-3 M3 (non-modified) | CANCELLED | 1 | 20250327–20250425",
            "LTFU C-3 M6 (non-modified) | CANCELLED | 1 | 20250610–20250810",
        ]
        #expect(Self.lines(try daemon.ctl("calendar").stdout) == (open + resolved).sorted())

        let file = daemon.stateDirectory.appendingPathComponent("calendar/ltfu.ics")
        for (day, expected) in [("2025-07-29", (open + resolved).sorted()), ("2025-07-31", open)] {
            #expect(daemon.stop() == 0)
            daemon.fakeTime = "\(day) 02:00:00"
            try daemon.start()
            #expect(try daemon.ctl("status", "--json").json(StatusResponseToday.self).today == day)
            #expect(Self.lines(try daemon.ctl("calendar").stdout) == expected, "\(day)")
            // The file is written anew at start, with the same events.
            var written: [String] = []
            #expect(waitUntil {
                written = Self.lines((try? String(contentsOf: file, encoding: .utf8)) ?? "")
                return written == expected
            }, "\(day): the feed file holds \(written)")
        }
    }
}

/// Only `status`'s day, to see the clock the daemon runs on.
private struct StatusResponseToday: Decodable {
    var today: String
}
