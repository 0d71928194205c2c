import Foundation
import LTFUCore
import Testing

/// SPEC §6 on the days clocks change: a notify time the spring change skips fires as much later
/// as the gap, one the autumn change repeats fires at its first occurrence, and every day's
/// events fire once, on their day. Instants worked out by hand from the zones' rules
/// (EU: last Sunday of March and October at 01:00 UTC; US: second Sunday of March and first of
/// November at 02:00 local).
@Suite struct DaylightSavingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let zone: String, day: String, time: String, utc: String
        var testDescription: String { "\(zone) \(day) \(time)" }
    }

    static let cases = [
        Case(zone: "Europe/Berlin", day: "2025-03-30", time: "02:30", utc: "2025-03-30T01:30:00Z"),     // skipped: 03:30 CEST
        Case(zone: "Europe/Berlin", day: "2025-10-26", time: "02:30", utc: "2025-10-26T00:30:00Z"),     // repeated: the CEST one
        Case(zone: "America/New_York", day: "2025-03-09", time: "02:30", utc: "2025-03-09T07:30:00Z"),  // skipped: 03:30 EDT
        Case(zone: "America/New_York", day: "2025-11-02", time: "01:30", utc: "2025-11-02T05:30:00Z"),  // repeated: the EDT one
        Case(zone: "Europe/Berlin", day: "2025-10-26", time: "08:00", utc: "2025-10-26T07:00:00Z"),     // the autumn day itself, CET
        Case(zone: "America/New_York", day: "2025-11-02", time: "08:00", utc: "2025-11-02T13:00:00Z"),  // the autumn day itself, EST
    ]

    static func fireTime(_ c: Case) throws -> (FireTime, CalendarDate) {
        let zone = try #require(TimeZone(identifier: c.zone))
        let parts = c.time.split(separator: ":").compactMap { Int($0) }
        return (FireTime(minuteOfDay: parts[0] * 60 + parts[1], zone: zone), try CalendarDate(parsing: c.day))
    }

    @Test(arguments: cases) func theFireInstant_isTheHandWorkedOne(_ c: Case) throws {
        let (fire, day) = try Self.fireTime(c)
        #expect(fire.instant(of: day) == (try Date(c.utc, strategy: .iso8601)))
        #expect(CalendarDate(fire.instant(of: day), in: fire.zone) == day, "it falls on its own day")
    }

    /// Walking the clock from before the day before to after the day after, a minute at a time, the last fired
    /// day moves on exactly once a day: never twice (a repeated hour), never skipped (a gap).
    @Test(arguments: cases) func eachDayFiresOnce(_ c: Case) throws {
        let (fire, day) = try Self.fireTime(c)
        let start = fire.instant(of: day.adding(days: -1)).addingTimeInterval(-3600)
        var fired: [CalendarDate] = []
        var last = fire.lastFiredDay(at: start)
        let end = fire.instant(of: day.adding(days: 1)).addingTimeInterval(1800)
        for minute in 1...Int(end.timeIntervalSince(start) / 60) {
            let now = start.addingTimeInterval(TimeInterval(minute * 60))
            let day = fire.lastFiredDay(at: now)
            #expect(day >= last, "the fired day went back at \(now)")
            if day != last {
                #expect(day == last.adding(days: 1), "a day skipped at \(now)")
                #expect(now >= fire.instant(of: day) && now.timeIntervalSince(fire.instant(of: day)) < 60, "fired late at \(now)")
                fired.append(day)
            }
            last = day
        }
        #expect(fired == [day.adding(days: -1), day, day.adding(days: 1)])
    }
}
