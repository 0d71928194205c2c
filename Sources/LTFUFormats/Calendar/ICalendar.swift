import Foundation
import LTFUCore

/// Writes the calendar feed as RFC 5545 text: CRLF line ends, lines folded at 75 octets,
/// one all-day `VEVENT` per visit spanning its window (`DTEND` is exclusive: the day after
/// the window closes), `SEQUENCE` and `STATUS` so clients update rather than duplicate, and a
/// `VALARM` `upcoming_days` before an open window opens.
public enum ICalendar {
    /// - Parameter today: the site's today; an alarm is set only where it is still to come, so
    ///   importing the feed does not pop up a reminder for every window already open.
    public static func render(_ events: [CalendarEvent], site: String, upcomingDays: Int, today: CalendarDate, stamp: Date) -> String {
        let dtstamp = self.stamp(stamp)
        return header(site: site) + events.map { event($0, upcomingDays: upcomingDays, today: today, stamp: dtstamp) }.joined() + footer
    }

    // The feed in pieces, so ltfud writes a site's whole calendar event by event instead of
    // holding it in memory (about 150 MB of text at 100,000 subjects).

    /// `DTSTAMP`'s value: when the feed was made, in UTC.
    public static func stamp(_ instant: Date) -> String {
        instant.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted, timeZone: .gmt))
    }

    public static func header(site: String) -> String {
        lines([
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//ltfu//ltfud \(site)//EN",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:\(text("ltfu \(site) follow-up visits"))",
        ])
    }

    public static let footer = lines(["END:VCALENDAR"])

    /// - Parameter today: the site's today; an alarm is set only where it is still to come, so
    ///   importing the feed does not pop up a reminder for every window already open.
    public static func event(_ event: CalendarEvent, upcomingDays: Int, today: CalendarDate, stamp dtstamp: String) -> String {
        var summary = "LTFU \(event.subject) \(event.visit) (\(event.tier.rawValue))"
        if let purpose = event.purpose { summary += " \(purpose.rawValue)" }
        switch event.state {
        case .open, .cancelled: break
        case .done: summary += event.doneOn.map { " done \($0)" } ?? " done"
        case .missed: summary += " missed"
        }
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(event.uid)",
            "DTSTAMP:\(dtstamp)",
            "DTSTART;VALUE=DATE:\(date(event.windowOpen))",
            "DTEND;VALUE=DATE:\(date(event.windowClose.adding(days: 1)))",
            "SUMMARY:\(text(summary))",
            "STATUS:\(event.state == .cancelled ? "CANCELLED" : "CONFIRMED")",
            "SEQUENCE:\(event.sequence)",
            "TRANSP:TRANSPARENT",
            "CATEGORIES:\(text(event.tier.rawValue))",
        ]
        if event.state == .open, upcomingDays > 0, event.windowOpen.adding(days: -upcomingDays) > today {
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:\(text(summary))",
                "TRIGGER:-P\(upcomingDays)D",
                "END:VALARM",
            ]
        }
        lines.append("END:VEVENT")
        return self.lines(lines)
    }

    /// Folded, each ended by CRLF.
    static func lines(_ lines: [String]) -> String {
        lines.map { fold($0) + "\r\n" }.joined()
    }

    /// `YYYYMMDD` (RFC 5545 §3.3.4).
    static func date(_ day: CalendarDate) -> String {
        day.description.replacingOccurrences(of: "-", with: "")
    }

    /// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
    static func text(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next line after one space (RFC 5545
    /// §3.1), never inside a UTF-8 sequence. Works on the bytes: a large site's feed has
    /// millions of lines.
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line }
        var folded: [UInt8] = []
        folded.reserveCapacity(bytes.count + bytes.count / 24)
        var start = 0
        var limit = 75
        while start < bytes.count {
            var end = min(start + limit, bytes.count)
            // A continuation byte (10xxxxxx) may not start the next piece.
            while end < bytes.count, end > start + 1, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            if start > 0 { folded += [13, 10, 32] }
            folded += bytes[start..<end]
            start = end
            limit = 74
        }
        return String(decoding: folded, as: UTF8.self)
    }
}
