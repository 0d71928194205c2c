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

