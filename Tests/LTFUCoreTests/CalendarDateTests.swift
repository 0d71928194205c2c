import Foundation
import LTFUCore
import Testing

@Suite struct CalendarDateTests {
    @Test func adding_months_clampsToMonthEnd() {
        #expect(d("2024-01-31").adding(months: 1) == d("2024-02-29"))
        #expect(d("2023-01-31").adding(months: 1) == d("2023-02-28"))
        #expect(d("2024-01-31").adding(months: 3) == d("2024-04-30"))
        #expect(d("2024-03-31").adding(months: -1) == d("2024-02-29"))
        #expect(d("2024-12-15").adding(months: 1) == d("2025-01-15"))
        #expect(d("2024-02-29").adding(years: 1) == d("2025-02-28"))
        #expect(d("2024-02-29").adding(years: 4) == d("2028-02-29"))
    }

    @Test func adding_months_isAnchoredNotChained() {
        // M3 of a 31 January infusion is 30 April, although M1 was clamped to 29 February.
        let dayZero = d("2024-01-31")
        #expect(dayZero.adding(months: 1).adding(months: 2) == d("2024-04-29"))
        #expect(dayZero.adding(months: 3) == d("2024-04-30"))
    }

    @Test func adding_days_crossesYearsAndLeapDays() {
        #expect(d("2024-02-28").adding(days: 1) == d("2024-02-29"))
        #expect(d("2024-02-29").adding(days: 1) == d("2024-03-01"))
        #expect(d("2023-02-28").adding(days: 1) == d("2023-03-01"))
        #expect(d("2024-12-31").adding(days: 1) == d("2025-01-01"))
        #expect(d("2025-01-01").adding(days: -1) == d("2024-12-31"))
        #expect(d("1970-01-01").dayNumber == 0)
        #expect(d("2000-03-01").days(until: d("2001-03-01")) == 365)
        #expect(d("2024-03-01").days(until: d("2025-03-01")) == 365)
        #expect(d("2023-03-01").days(until: d("2024-03-01")) == 366)
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00", "yesterday",
                      "2024-1-05", "24-01-05", "2024/01/05", "", "2024-01-05T00:00", " 2024-01-05", "0000-01-01",
                      "２０２４-01-05"])
    func parsing_rejectsImpossibleOrMalformedDates(_ text: String) {
        #expect(throws: LTFUError.self) { try CalendarDate(parsing: text) }
    }

    @Test func parsing_explainsWhyADateIsImpossible() throws {
        let error = try #require(throws: LTFUError.self) { try CalendarDate(parsing: "2023-02-29", what: "infusion date") }
        #expect(error.code == "invalid-date")
        #expect(error.kind == .data)
        #expect(error.message.contains("infusion date `2023-02-29`"))
        #expect(error.message.contains("not a leap year"))
        let month = try #require(throws: LTFUError.self) { try CalendarDate(parsing: "2024-13-01") }
        #expect(month.message.contains("month must be 01 to 12"))
    }

    @Test func parsing_acceptsRealDatesAndRoundTrips() throws {
        for text in ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2025-12-31"] {
            #expect(try CalendarDate(parsing: text).description == text)
        }
    }

    @Test func ordering_followsTheCalendar() {
        #expect(d("2024-02-29") < d("2024-03-01"))
        #expect(d("2023-12-31") < d("2024-01-01"))
        #expect([d("2025-01-01"), d("2024-06-30"), d("2024-07-01")].max() == d("2025-01-01"))
    }

    @Test func codable_usesIsoStrings() throws {
        let data = try JSONEncoder().encode([d("2024-02-29")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-02-29"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [d("2024-02-29")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2023-02-29"]"#.utf8)) }
    }

    /// Property: over every day of 2000–2040, day and month arithmetic agree with Foundation's
    /// Gregorian calendar (an independent implementation), which also clamps to month end.
    @Test func arithmetic_agreesWithFoundationEveryDay2000to2040() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try #require(TimeZone(identifier: "UTC"))
        func foundation(_ date: CalendarDate) -> Date {
            gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
        }
        func back(_ date: Date) -> (Int, Int, Int) {
            let c = gregorian.dateComponents([.year, .month, .day], from: date)
            return (c.year!, c.month!, c.day!)
        }
        var date = d("2000-01-01")
        var checked = 0
        while date <= d("2040-12-31") {
            let next = date.adding(days: 1)
            #expect(next.dayNumber == date.dayNumber + 1)
            #expect(CalendarDate(dayNumber: date.dayNumber) == date)
            let reference = foundation(date)
            for months in [1, 3, 6, 12, 18, 60, 180, -1, -12] {
                let mine = date.adding(months: months)
                let theirs = back(gregorian.date(byAdding: .month, value: months, to: reference)!)
                if (mine.year, mine.month, mine.day) != theirs {
                    Issue.record("\(date) + \(months) months: \(mine) but Foundation says \(theirs)")
                }
                // Clamping: the day is kept unless the target month is shorter.
                #expect(mine.day == min(date.day, CalendarDate.daysIn(month: mine.month, year: mine.year)))
            }
            let plus100 = back(gregorian.date(byAdding: .day, value: 100, to: reference)!)
            let mine100 = date.adding(days: 100)
            #expect((mine100.year, mine100.month, mine100.day) == plus100)
            date = next
            checked += 1
        }
        #expect(checked == 14_976)
    }
}
