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

    /// The instant this date's clocks in `zone` read `minuteOfDay` minutes after midnight.
    ///
    /// Daylight saving time (SPEC §6, a notification fires once, at the notify time, on its
    /// day): a time the spring change skips (02:30 in Berlin on its last Sunday of March) is
    /// the instant as much later as the gap, what the clocks read then (03:30); a time the
    /// autumn change repeats is its first occurrence, before the clocks go back. Either way
    /// the instant falls on this date, so each day's events fire once.
    public func instant(atMinute minuteOfDay: Int, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
        if let instant = calendar.date(from: components) { return instant }
        // Foundation resolves every wall time; should it not, the zone's offset at UTC noon of
        // the day gives the same instant outside a change.
        let noon = Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400 + 43_200)
        return Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400 + TimeInterval(minuteOfDay * 60 - zone.secondsFromGMT(for: noon)))
    }
}
