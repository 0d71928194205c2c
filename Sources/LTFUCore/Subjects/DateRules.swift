/// The date checks SPEC §7 asks of every recorded event, in one place.
public enum DateRules {
    /// Nothing is recorded as having happened after today (the site's local date).
    public static func notInFuture(_ date: CalendarDate, today: CalendarDate, what: String) throws(LTFUError) {
        guard date <= today else {
            throw LTFUError(.data, code: "date-in-future", "\(what) \(date) is in the future (today is \(today))")
        }
    }

    /// Nothing of a series happens before its day 0.
    public static func notBeforeDayZero(_ date: CalendarDate, dayZero: CalendarDate, what: String) throws(LTFUError) {
        guard date >= dayZero else {
            throw LTFUError(.data, code: "date-before-day-zero", "\(what) \(date) is before day 0 (\(dayZero), the latest infusion)")
        }
    }
}
