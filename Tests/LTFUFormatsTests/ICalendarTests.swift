import Foundation
import LTFUCore
@testable import LTFUFormats
import Testing

/// RFC 5545's text rules, on values a calendar client chokes on when they are wrong.
@Suite struct ICalendarTests {
    @Test func textValues_escapeBackslashSemicolonCommaAndNewline() {
        #expect(ICalendar.text(#"a\b;c,d"# + "\ne") == #"a\\b\;c\,d\ne"#)
    }

    @Test func longLines_foldAt75Octets_neverInsideAUTF8Sequence() {
        let line = "SUMMARY:" + String(repeating: "é", count: 60)  // 8 + 120 octets
        let folded = ICalendar.fold(line)
        let pieces = folded.components(separatedBy: "\r\n")
        #expect(pieces.count == 2)
        #expect(pieces.allSatisfy { $0.utf8.count <= 75 })
        #expect(pieces[0].utf8.count == 74, "an é (2 octets) that would end at octet 76 starts the next line")
        #expect(pieces[1].hasPrefix(" "))
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(ICalendar.fold(String(repeating: "x", count: 75)) == String(repeating: "x", count: 75))
    }

    @Test func anEvent_spansItsWindow_withAnExclusiveEnd_andALeapDay() throws {
        let event = CalendarEvent(subject: "S-1", tier: .integrating, visit: "U1", purpose: .rclConfirmation,
                                  windowOpen: try CalendarDate(parsing: "2028-02-20"), windowClose: try CalendarDate(parsing: "2028-02-29"),
                                  state: .open, doneOn: nil, uid: "0f27f081-4098-4b71-9040-a77dc7a10bc8", sequence: 0)
        let text = ICalendar.render([event], site: "S01", upcomingDays: 14,
                                   today: try CalendarDate(parsing: "2028-01-01"), stamp: Date(timeIntervalSince1970: 0))
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        for line in ["DTSTART;VALUE=DATE:20280220", "DTEND;VALUE=DATE:20280301", "DTSTAMP:19700101T000000Z",
                     "SUMMARY:LTFU S-1 U1 (integrating) rcl-confirmation", "TRIGGER:-P14D", "STATUS:CONFIRMED", "SEQUENCE:0"] {
            #expect(text.contains("\r\n\(line)\r\n"), "missing \(line)")
        }
    }
}
