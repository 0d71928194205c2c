import Foundation
import LTFUWire
import Testing

/// SPEC §6 on the days clocks change, with the real daemon under faketime: a notify time the
/// spring change skips fires as much later as the gap, one the autumn change repeats fires
/// at its first occurrence and not again at the second, each once, on its day. Load never
/// races the fake clock: the subject is enrolled two hours early, and ltfud is started again
/// just before the instant with nothing left to do but wait.
@Suite(.serialized) struct DaylightSavingEndToEndTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let zone: String, day: String, time: String, infused: String
        /// The instant it must fire, worked out by hand, as faketime takes it (UTC).
        let fires: String
        var testDescription: String { "\(zone) \(day) \(time)" }
    }

    // CIK-AUTO: M1 is a month after the infusion, its window opening a week before.
    static let cases = [
        Case(zone: "Europe/Berlin", day: "2025-03-30", time: "02:30", infused: "2025-03-06", fires: "2025-03-30 01:30:00"),     // 03:30 CEST
        Case(zone: "Europe/Berlin", day: "2025-10-26", time: "02:30", infused: "2025-10-02", fires: "2025-10-26 00:30:00"),     // 02:30 CEST
        Case(zone: "America/New_York", day: "2025-03-09", time: "02:30", infused: "2025-02-16", fires: "2025-03-09 07:30:00"),  // 03:30 EDT
        Case(zone: "America/New_York", day: "2025-11-02", time: "01:30", infused: "2025-10-09", fires: "2025-11-02 05:30:00"),  // 01:30 EDT
    ]

    static func utc(_ text: String, plus seconds: TimeInterval = 0) throws -> (Date, String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let instant = try #require(formatter.date(from: text)).addingTimeInterval(seconds)
        return (instant, formatter.string(from: instant))
    }

    @Test(arguments: cases) func aNotifyTimeTheChangeSkipsOrRepeats_firesOnce_onItsDay(_ c: Case) throws {
        let daemon = try DaemonHarness(timezone: c.zone, extraConfig: "[notify]\ntime = \"\(c.time)\"")
        let (fires, _) = try Self.utc(c.fires)
        daemon.fakeTime = try Self.utc(c.fires, plus: -7200).1
        try daemon.start()
        #expect(try daemon.ctl("enroll", "A", "--product", "CIK-AUTO", "--infused", c.infused).status == 0)
        #expect(waitUntil { (try? NotificationTests.files(daemon).values.joined().count) == 1 }, "the past upcoming reminder, at once")
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "\(c.day) \(c.time)")
        #expect(daemon.stop() == 0)

        daemon.fakeTime = try Self.utc(c.fires, plus: -15).1
        try daemon.start()
        #expect(waitUntil(seconds: 180) { (try? NotificationTests.files(daemon)["\(c.day).jsonl"]?.contains { $0.kind == .windowOpen }) == true },
                "the window-open of \(c.day) fires in its own day's file")
        let emitted = try daemon.ctl("notifications", "--json").json([NotificationEntry].self).filter { $0.kind == .windowOpen }
        #expect(emitted.count == 1)
        let at = try #require(emitted.first?.emittedAt.flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
            ?? emitted.first?.emittedAt.flatMap { try? Date($0, strategy: .iso8601) })
        #expect(at >= fires.addingTimeInterval(-1) && at < fires.addingTimeInterval(180), "fired at \(at), due \(fires)")
        #expect(daemon.stop() == 0)

        // Past the repeated hour's second occurrence (and two hours past a skipped one): nothing again.
        daemon.fakeTime = try Self.utc(c.fires, plus: 3600 + 120).1
        try daemon.start()   // returns after its first scheduling pass
        let again = try daemon.ctl("notifications", "--json").json([NotificationEntry].self)
        #expect(again.filter { $0.kind == .windowOpen }.count == 1, "\(again.map { "\($0.kind) \($0.date)" })")
        #expect(Set(again.map(\.id)).count == again.count)
        #expect(daemon.stop() == 0)
    }
}
