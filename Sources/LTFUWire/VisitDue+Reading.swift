import Foundation
import LTFUCore

extension Array where Element == VisitDue {
    /// Reads a `due`/`overdue` answer of the shape ``wireJSON()`` writes (objects of string
    /// values), or returns `nil` for anything else (escapes, other value types), which the
    /// caller then hands to `JSONDecoder`. Issue #15: ltfuctl spent three quarters of a large
    /// `due` in Foundation's decoder; this reads 16,000 rows in a few milliseconds.
    public init?(wireJSON data: Data) {
        var rows: [VisitDue] = []
        let read: Bool = data.withUnsafeBytes { raw in
            var reader = ObjectReader(bytes: raw.bindMemory(to: UInt8.self))
            guard reader.take(UInt8(ascii: "[")) else { return false }
            if reader.take(UInt8(ascii: "]")) { return reader.atEnd }
            repeat {
                guard let row = reader.visitDue() else { return false }
                rows.append(row)
            } while reader.take(UInt8(ascii: ","))
            return reader.take(UInt8(ascii: "]")) && reader.atEnd
        }
        guard read else { return nil }
        self = rows
    }
}

extension ObjectReader {
    /// One row: every key of ``VisitDue`` once, `purpose` optional, unknown keys ignored.
    mutating func visitDue() -> VisitDue? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var subject: String?, visit: String?, target: CalendarDate?, windowOpen: CalendarDate?, windowClose: CalendarDate?
        var status: VisitStatus?, purpose: VisitPurpose?, purposeText: String?
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), let value = string() else { return nil }
                switch key {
                case "subject": subject = value
                case "visit": visit = value
                case "target": target = CalendarDate(iso: value)
                case "windowOpen": windowOpen = CalendarDate(iso: value)
                case "windowClose": windowClose = CalendarDate(iso: value)
                case "status": status = VisitStatus(rawValue: value)
                case "purpose": (purposeText, purpose) = (value, VisitPurpose(rawValue: value))
                default: break
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        guard let subject, let visit, let target, let windowOpen, let windowClose, let status,
              purposeText == nil || purpose != nil
        else { return nil }
        return VisitDue(subject: subject, visit: visit, target: target, windowOpen: windowOpen, windowClose: windowClose,
                        status: status, purpose: purpose)
    }
}

/// Reads JSON strings without escapes and the punctuation around them; any other input stops it.
struct ObjectReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string with no escape in it.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }
}
