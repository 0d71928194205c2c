/// A date on the calendar, with no time and no zone: what a coordinator writes on a visit form.
///
/// SPEC §4: visit dates are calendar dates in the site's time zone, so the engine never
/// touches `Date` or a clock. Dates are proleptic Gregorian, years 1…9999, written
/// `YYYY-MM-DD` (ISO 8601).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns `nil` unless the three numbers name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Only for components already known to be valid.
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`, written into the string's own ten bytes: a large `due` answer or table
    /// writes tens of thousands of dates (issue #15). Years are 1…9999 by construction.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at end: Int, digits: Int) {
                var value = value
                for index in stride(from: end, to: end - digits, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 3, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 6, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 9, digits: 2)
            return 10
        }
    }
}

// MARK: - Day arithmetic

extension CalendarDate {
    /// Days since 1970-01-01 (negative before it), by Howard Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (Hinnant's `civil_from_days`).
    /// Results outside years 1…9999 are clamped to that range's ends.
    public init(dayNumber: Int) {
        let lowest = CalendarDate(unchecked: 1, 1, 1), highest = CalendarDate(unchecked: 9999, 12, 31)
        guard dayNumber >= lowest.dayNumber else { self = lowest; return }
        guard dayNumber <= highest.dayNumber else { self = highest; return }
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// SPEC §4: "day 0 + n calendar months, the day of month clamped to the month's last day"
    /// (2024-01-31 + 1 month = 2024-02-29). Always computed from `self`, never chained, so
    /// M3 of a 31 January infusion is 30 April, not 29 April.
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let newYear = index / 12, newMonth = index % 12 + 1
        guard newYear >= 1 else { return CalendarDate(unchecked: 1, 1, 1) }
        guard newYear <= 9999 else { return CalendarDate(unchecked: 9999, 12, 31) }
        return CalendarDate(unchecked: newYear, newMonth,
                            min(day, CalendarDate.daysIn(month: newMonth, year: newYear)))
    }

    /// Years clamp like months: 29 February + 1 year is 28 February.
    public func adding(years: Int) -> CalendarDate {
        adding(months: years * 12)
    }
}
