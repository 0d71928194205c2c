import LTFUCore
@testable import LTFUFormats
import Testing

/// SDTM's study days (SDTMIG 3.4 §4.4.4): the reference day is Day 1 and there is no Day 0.
@Suite struct SubjectVisitsTests {
    @Test func studyDays_skipDayZero_acrossALeapDay() throws {
        let reference = try CalendarDate(parsing: "2028-02-28")
        func day(_ text: String) throws -> Int { SubjectVisits.studyDay(try CalendarDate(parsing: text), from: reference) }
        #expect(try day("2028-02-28") == 1)
        #expect(try day("2028-02-29") == 2)
        #expect(try day("2028-03-01") == 3)
        #expect(try day("2028-02-27") == -1)
        #expect(try day("2027-02-28") == -365)
    }
}
