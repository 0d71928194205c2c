import Foundation
import LTFUCore

extension Array where Element == VisitDue {
    /// The same bytes `WireJSON.encoder()` makes (sorted keys, no spaces), written directly:
    /// `due` and `overdue` answer tens of thousands of rows at a 100,000-subject site, and
    /// Foundation's encoder alone would take longer than the query.
    public func wireJSON() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(count * 160 + 2)
        func string(_ text: String) {
            out.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case 0..<0x20: out += Swift.Array(String(format: "\\u%04x", byte).utf8)
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        func field(_ key: String, _ value: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            string(key)
            out.append(UInt8(ascii: ":"))
            string(value)
        }
        // Dates as digits, not through `description`: three a row made a third of the time.
        func field(_ key: String, _ date: CalendarDate) {
            out.append(UInt8(ascii: ","))
            string(key)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: "\""))
            func digits(_ value: Int, _ divisor: Int) {
                var divisor = divisor
                while divisor > 0 {
                    out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            digits(date.year, 1000)
            out.append(UInt8(ascii: "-"))
            digits(date.month, 10)
            out.append(UInt8(ascii: "-"))
            digits(date.day, 10)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "["))
        for (index, row) in enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            if let purpose = row.purpose { field("purpose", purpose.rawValue, first: true) }
            field("status", row.status.rawValue, first: row.purpose == nil)
            field("subject", row.subject)
            field("target", row.target)
            field("visit", row.visit)
            field("windowClose", row.windowClose)
            field("windowOpen", row.windowOpen)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return Data(out)
    }
}
