import Foundation

extension CalendarDate {
    /// The calendar date at `instant` in `zone`: the site's "today" (SPEC §4: dates are
    /// calendar dates in the site's time zone). Pure: the caller supplies the instant.
    public init(_ instant: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self = CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? CalendarDate(dayNumber: 0)
    }

    /// The instant `minuteOfDay` minutes after local midnight of this date in `zone`.
    /// On a DST gap the next valid instant is used.
    public func instant(atMinute minuteOfDay: Int, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400)
    }
}
