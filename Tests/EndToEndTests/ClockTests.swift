import Foundation
import LTFUWire
import Testing

/// Issue #16: the site's clock as it really moves. A notification left running fires at the
/// local notify time on both sides of a daylight-saving change, and a clock stepping back
/// (and forward again) sends nothing twice.
@Suite struct ClockTests {
    static func lines(_ daemon: DaemonHarness) -> [String] {
        ((try? NotificationTests.files(daemon)) ?? [:]).flatMap { file, lines in lines.map { "\(file) \($0.subject) \($0.kind.rawValue) \($0.date)" } }.sorted()
    }

    @Test func firesAtEightLocal_onBothSidesOfSpringForward_andNothingTwiceWhenTheClockStepsBack() throws {
        // Berlin moves to summer time on 2025-03-30 at 02:00: 08:00 is 07:00 UTC the day
        // before and 06:00 UTC that day.
        let daemon = try DaemonHarness(timezone: "Europe/Berlin")
        daemon.fakeTime = "2025-03-29 06:59:00"   // 07:59 CET
        try daemon.start()
        // A's M1 window opens 2025-03-29, B's on 2025-03-30; both upcoming reminders are past.
        #expect(try daemon.ctl("enroll", "A", "--product", "CIK-AUTO", "--infused", "2025-03-05").status == 0)
        #expect(try daemon.ctl("enroll", "B", "--product", "CIK-AUTO", "--infused", "2025-03-06").status == 0)
        #expect(waitUntil { Self.lines(daemon).count == 2 })
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-03-29 08:00")
        #expect(waitUntil(seconds: 120) { Self.lines(daemon).count == 3 }, "A's window opens at 08:00 CET")
        #expect(daemon.stop() == 0)

        daemon.fakeTime = "2025-03-30 05:59:00"   // 07:59 CEST, the first morning of summer time
        try daemon.start()
        #expect(Self.lines(daemon).count == 3, "nothing before 08:00")
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-03-30 08:00")
        #expect(waitUntil(seconds: 120) { Self.lines(daemon).count == 4 }, "B's window opens at 08:00 CEST")
        #expect(daemon.stop() == 0)
        let fired = Self.lines(daemon)
        #expect(fired == [
            "2025-03-29.jsonl A upcoming 2025-03-15", "2025-03-29.jsonl A window-open 2025-03-29",
            "2025-03-29.jsonl B upcoming 2025-03-16", "2025-03-30.jsonl B window-open 2025-03-30",
        ])

        // The clock steps back a day, then forward again: nothing is sent twice.
        for time in ["2025-03-29 12:00:00", "2025-03-30 12:00:00"] {
            daemon.fakeTime = time
            try daemon.start()   // returns after the first scheduling pass
            #expect(daemon.stop() == 0)
            #expect(Self.lines(daemon) == fired, "at \(time)")
        }
        try daemon.start()
        let listed = try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
        #expect(listed.count == 4)
        #expect(Set(listed.map(\.id)).count == 4)
    }
}
