/// The date checks SPEC §7 asks of every recorded event, in one place.
public enum DateRules {
    /// Nothing is recorded as having happened after today (the site's local date).
    public static func notInFuture(_ date: CalendarDate, today: CalendarDate, what: LTFUError.Value) throws(LTFUError) {
        guard date <= today else {
            throw LTFUError(.data, code: "date-in-future", "{what} {date} is in the future (today is {today})",
                            ["what": what, "date": date, "today": today])
        }
    }

    /// Nothing of a series happens before its day 0.
    public static func notBeforeDayZero(_ date: CalendarDate, dayZero: CalendarDate, what: LTFUError.Value) throws(LTFUError) {
        guard date >= dayZero else {
            throw LTFUError(.data, code: "date-before-day-zero", "{what} {date} is before day 0 ({dayZero}, the latest infusion)",
                            ["what": what, "date": date, "dayZero": dayZero])
        }
    }

    /// The earliest infusion ltfu accepts: the first gene-modified cell infusions (1990) and
    /// every CAR-T since. An earlier date is a mistyped year (`0205` for 2025), refused
    /// rather than planned across centuries.
    public static let earliestInfusion = CalendarDate(dayNumber: 7305)  // 1990-01-01
    /// The earliest birth date ltfu accepts.
    public static let earliestBirth = CalendarDate(dayNumber: -25_567)  // 1900-01-01

    public static func plausibleInfusion(_ date: CalendarDate) throws(LTFUError) {
        guard date >= earliestInfusion else {
            throw LTFUError(.data, code: "implausible-date",
                            "infusion date {date} is before {earliest}, earlier than any cell therapy ltfu follows; check the year",
                            ["date": date, "earliest": earliestInfusion])
        }
    }

    public static func plausibleBirth(_ date: CalendarDate) throws(LTFUError) {
        guard date >= earliestBirth else {
            throw LTFUError(.data, code: "implausible-date", "birth date {date} is before {earliest}; check the year",
                            ["date": date, "earliest": earliestBirth])
        }
    }
}
