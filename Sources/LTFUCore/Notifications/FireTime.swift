import Foundation

/// The local time of day notifications fire (SPEC §6: "in the site's time zone, fired at the
/// configured time of day"). An event dated D fires at D's fire time.
public struct FireTime: Sendable, Hashable {
    public var minuteOfDay: Int
    public var zone: TimeZone

    public init(minuteOfDay: Int, zone: TimeZone) {
        self.minuteOfDay = minuteOfDay
        self.zone = zone
    }

    /// The instant events dated `day` fire.
    public func instant(of day: CalendarDate) -> Date {
        day.instant(atMinute: minuteOfDay, in: zone)
    }

    /// The latest day whose events have fired by `now`: today once the fire time has passed,
    /// else yesterday.
    public func lastFiredDay(at now: Date) -> CalendarDate {
        let today = CalendarDate(now, in: zone)
        return now >= instant(of: today) ? today : today.adding(days: -1)
    }

    /// `2027-03-01 08:00`, for status lines.
    public func describe(_ day: CalendarDate) -> String {
        Self.describe(day, minuteOfDay: minuteOfDay)
    }

    /// An instant as the site's local `YYYY-MM-DD HH:MM`.
    public func describe(instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return Self.describe(CalendarDate(instant, in: zone), minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    static func describe(_ day: CalendarDate, minuteOfDay: Int) -> String {
        let hours = minuteOfDay / 60, minutes = minuteOfDay % 60
        return "\(day) \(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
    }
}
