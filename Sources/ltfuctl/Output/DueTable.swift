import Foundation
import LTFUCore

/// The `due` and `overdue` table straight from the daemon's bytes (issue #15: 20× faster
/// than remind on "which windows are open today?", 16,000 rows at 100,000 subjects).
/// Reading rows into `VisitDue` values and laying out `String`s took ltfuctl 30 ms of such
/// an answer; this copies each cell's bytes once, into the table.
///
/// It reads only what the daemon writes for plain ASCII rows: objects of escape-free ASCII
/// strings, every ``VisitDue`` key once, known statuses and purposes, dates as
/// `YYYY-MM-DD`. For anything else it returns `nil`, and the caller takes the general path
/// (``SubjectRendering/renderDue(_:empty:)``), which lays the table out the same way.
enum DueTable {
    static let header = ["SUBJECT", "VISIT", "TARGET", "WINDOW", "STATUS"]

    /// The table with a final newline, `empty` and a newline for no rows, or `nil`.
    static func render(wireJSON data: Data, empty: String) -> [UInt8]? {
        data.withUnsafeBytes { raw in render(raw.bindMemory(to: UInt8.self), empty: empty) }
    }

    private typealias Cell = Range<Int>

    private struct Row {
        var subject: Cell, visit: Cell, purpose: Cell?, target: Cell, windowOpen: Cell, windowClose: Cell, status: Cell
    }

    private static let statuses = VisitStatus.allCases.map { Array($0.rawValue.utf8) }
    private static let purposes = VisitPurpose.allCases.map { Array($0.rawValue.utf8) }
    /// " – " between a window's dates: an en dash, three bytes wide on one column.
    private static let dash: [UInt8] = Array(" – ".utf8)

    private static func render(_ bytes: UnsafeBufferPointer<UInt8>, empty: String) -> [UInt8]? {
        var scanner = Scanner(bytes: bytes)
        var rows: [Row] = []
        guard scanner.take(UInt8(ascii: "[")) else { return nil }
        if !scanner.take(UInt8(ascii: "]")) {
            repeat {
                guard let row = scanner.row() else { return nil }
                rows.append(row)
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "]")) else { return nil }
        }
        guard scanner.atEnd else { return nil }
        for row in rows {
            guard statuses.contains(where: { $0.elementsEqual(bytes[row.status]) }),
                  row.purpose.map { purpose in purposes.contains { $0.elementsEqual(bytes[purpose]) } } ?? true,
                  isDate(bytes[row.target]), isDate(bytes[row.windowOpen]), isDate(bytes[row.windowClose])
            else { return nil }
        }
        guard !rows.isEmpty else { return Array((empty + "\n").utf8) }

        // Widths in columns; every cell is ASCII, so bytes are columns (the window: 10 + 3 + 10).
        var widths = header.map(\.utf8.count)
        func visitWidth(_ row: Row) -> Int { row.visit.count + (row.purpose.map { $0.count + 1 } ?? 0) }
        for row in rows {
            widths[0] = max(widths[0], row.subject.count)
            widths[1] = max(widths[1], visitWidth(row))
            widths[2] = max(widths[2], row.target.count)
            widths[3] = max(widths[3], row.windowOpen.count + 3 + row.windowClose.count)
            widths[4] = max(widths[4], row.status.count)
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + 2 * widths.count + 4))
        func pad(_ used: Int, _ column: Int) {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[column] - used + 2))
        }
        for (column, title) in header.enumerated() {
            out.append(contentsOf: title.utf8)
            if column < header.count - 1 { pad(title.utf8.count, column) }
        }
        out.append(UInt8(ascii: "\n"))
        for row in rows {
            out.append(contentsOf: bytes[row.subject])
            pad(row.subject.count, 0)
            out.append(contentsOf: bytes[row.visit])
            if let purpose = row.purpose {
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: bytes[purpose])
            }
            pad(visitWidth(row), 1)
            out.append(contentsOf: bytes[row.target])
            pad(row.target.count, 2)
            out.append(contentsOf: bytes[row.windowOpen])
            out.append(contentsOf: dash)
            out.append(contentsOf: bytes[row.windowClose])
            pad(row.windowOpen.count + 3 + row.windowClose.count, 3)
            out.append(contentsOf: bytes[row.status])
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private static func isDate(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard cell.count == 10 else { return false }
        for (offset, byte) in cell.enumerated() {
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : digit else { return false }
        }
        return true
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A printable ASCII string without escapes: the range of its bytes.
        mutating func string() -> Cell? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                guard bytes[index] >= 0x20, bytes[index] < 0x7F, bytes[index] != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return start..<index
        }

        /// Whether a cell holds exactly these bytes.
        func cell(_ cell: Cell, is text: StaticString) -> Bool {
            guard cell.count == text.utf8CodeUnitCount else { return false }
            return text.withUTF8Buffer { expected in
                var offset = 0
                while offset < expected.count, bytes[cell.lowerBound + offset] == expected[offset] { offset += 1 }
                return offset == expected.count
            }
        }

        mutating func row() -> Row? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var subject: Cell?, visit: Cell?, purpose: Cell?, target: Cell?, windowOpen: Cell?, windowClose: Cell?, status: Cell?
            if !take(UInt8(ascii: "}")) {
                repeat {
                    guard let key = string(), take(UInt8(ascii: ":")), let value = string() else { return nil }
                    if cell(key, is: "subject") { subject = value }
                    else if cell(key, is: "visit") { visit = value }
                    else if cell(key, is: "target") { target = value }
                    else if cell(key, is: "windowOpen") { windowOpen = value }
                    else if cell(key, is: "windowClose") { windowClose = value }
                    else if cell(key, is: "status") { status = value }
                    else if cell(key, is: "purpose") { purpose = value }
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return nil }
            }
            guard let subject, let visit, let target, let windowOpen, let windowClose, let status else { return nil }
            return Row(subject: subject, visit: visit, purpose: purpose, target: target, windowOpen: windowOpen,
                       windowClose: windowClose, status: status)
        }
    }
}
