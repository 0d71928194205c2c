import Foundation
import LTFUCore
import LTFUWire

/// The `due` and `overdue` table straight from the daemon's bytes (issue #15: 20× faster
/// than remind on "which windows are open today?", 16,000 rows at 100,000 subjects).
/// Reading rows into `VisitDue` values and laying out `String`s took ltfuctl 30 ms of such
/// an answer; this copies each cell's bytes once, into the table.
///
/// It reads only what the daemon writes for plain ASCII rows: objects of escape-free ASCII
/// strings, every ``VisitDue`` key once, known statuses and purposes, dates as
/// `YYYY-MM-DD`. For anything else it writes nothing and says so, and the caller takes the general path
/// (``SubjectRendering/renderDue(_:empty:)``), which lays the table out the same way.
///
/// Issue #15 also asks ltfuctl to stay within 2x of `curl` on the same route: the answer is
/// read as it arrives (``feed(_:)``), row by row, while ltfud is still sending the rest, so
/// only laying the table out is left when the last byte comes.
struct DueTable {
    static let header = ["SUBJECT", "VISIT", "TARGET", "WINDOW", "STATUS"]

    /// The answer so far; rows point into it.
    private(set) var answer: [UInt8] = []
    private var rows: [Row] = []
    private var widths = DueTable.header.map(\.utf8.count)
    /// Where reading goes on, and what is expected there.
    private var position = 0
    private var expecting = Expecting.opening

    private enum Expecting { case opening, firstRow, separator, row, nothing, unreadable }

    /// Room for a large site's answer from the start (pages are only used once written):
    /// growing and copying 2 MB as it arrives cost more than reading it.
    init() {
        answer.reserveCapacity(8 << 20)
        rows.reserveCapacity(32 * 1024)
    }

    /// Takes the next bytes of the answer and reads every row they complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        answer.append(contentsOf: bytes)
        read(final: false)
    }

    /// After the last byte: whether the whole answer was read (else the caller takes the
    /// general path with ``answer``).
    mutating func finish() -> Bool {
        read(final: true)
        return expecting == .nothing
    }

    /// Writes the table (with a final newline), or `empty` and a newline for no rows, through
    /// `write` in pieces of about 64 KiB.
    func write(empty: String, to write: (UnsafeRawBufferPointer) -> Void) {
        guard !rows.isEmpty else {
            Array((empty + "\n").utf8).withUnsafeBytes(write)
            return
        }
        answer.withUnsafeBufferPointer { bytes in
            var layout = Layout(bytes: bytes, widths: widths)
            layout.header()
            for row in rows {
                layout.append(row)
                if layout.out.count >= 64 * 1024 { layout.flush(write) }
            }
            layout.flush(write)
        }
    }

    /// The whole answer at once: the table, or `nil` for an answer it does not read (tests).
    static func render(wireJSON data: Data, empty: String) -> [UInt8]? {
        var table = DueTable()
        data.withUnsafeBytes { table.feed($0) }
        guard table.finish() else { return nil }
        var out: [UInt8] = []
        table.write(empty: empty) { out.append(contentsOf: $0) }
        return out
    }

    /// Reads on from ``position``. A step that fails for want of bytes waits for the next
    /// ones; after the last byte (`final`) it makes the answer unreadable.
    private mutating func read(final: Bool) {
        // Taken out, not copied: a second reference would make every append copy all rows so far.
        var rows: [Row] = []
        swap(&rows, &self.rows)
        var widths = self.widths, position = self.position, expecting = self.expecting
        answer.withUnsafeBufferPointer { bytes in
            var reader = ObjectReader(bytes: bytes, at: position)
            reading: while true {
                switch expecting {
                case .opening:
                    guard reader.take(UInt8(ascii: "[")) else { break reading }
                    expecting = .firstRow
                case .firstRow, .row:
                    if expecting == .firstRow, reader.take(UInt8(ascii: "]")) {
                        expecting = .nothing
                    } else {
                        guard let row = Self.row(&reader) else { break reading }
                        guard Self.isPlain(row, bytes) else {
                            expecting = .unreadable
                            break reading
                        }
                        Self.measure(row, into: &widths)
                        rows.append(row)
                        expecting = .separator
                    }
                case .separator:
                    if reader.take(UInt8(ascii: ",")) {
                        expecting = .row
                    } else if reader.take(UInt8(ascii: "]")) {
                        expecting = .nothing
                    } else {
                        break reading
                    }
                case .nothing:
                    if !reader.atEnd, reader.position < bytes.count { expecting = .unreadable }
                    break reading
                case .unreadable:
                    break reading
                }
                position = reader.position
            }
            if final, expecting != .nothing { expecting = .unreadable }
        }
        (self.rows, self.widths, self.position, self.expecting) = (rows, widths, position, expecting)
    }

    private typealias Cell = Range<Int>

    private struct Row {
        var subject: Cell, visit: Cell, purpose: Cell?, target: Cell, windowOpen: Cell, windowClose: Cell, status: Cell
    }

    private static let statuses = VisitStatus.allCases.map { Array($0.rawValue.utf8) }
    private static let purposes = VisitPurpose.allCases.map { Array($0.rawValue.utf8) }
    /// " – " between a window's dates: an en dash, three bytes wide on one column.
    private static let dash: [UInt8] = Array(" – ".utf8)

    /// Known statuses and purposes, dates as `YYYY-MM-DD`, ASCII codes.
    private static func isPlain(_ row: Row, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        statuses.contains(where: { $0.elementsEqual(bytes[row.status]) })
            && (row.purpose.map { purpose in purposes.contains { $0.elementsEqual(bytes[purpose]) } } ?? true)
            && isDate(bytes[row.target]) && isDate(bytes[row.windowOpen]) && isDate(bytes[row.windowClose])
            && isASCII(bytes[row.subject]) && isASCII(bytes[row.visit])
    }

    /// Every cell is ASCII, so bytes are columns (the window: 10 + 3 + 10).
    private static func measure(_ row: Row, into widths: inout [Int]) {
        widths[0] = max(widths[0], row.subject.count)
        widths[1] = max(widths[1], visitWidth(row))
        widths[2] = max(widths[2], row.target.count)
        widths[3] = max(widths[3], row.windowOpen.count + 3 + row.windowClose.count)
        widths[4] = max(widths[4], row.status.count)
    }

    /// The second pass: rows laid out in the measured columns, two spaces apart.
    private struct Layout {
        let bytes: UnsafeBufferPointer<UInt8>
        let widths: [Int]
        var out: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, widths: [Int]) {
            self.bytes = bytes
            self.widths = widths
            out.reserveCapacity(80 * 1024)
        }

        mutating func pad(_ used: Int, _ column: Int) {
            for _ in 0..<(widths[column] - used + 2) { out.append(UInt8(ascii: " ")) }
        }

        mutating func header() {
            for (column, title) in DueTable.header.enumerated() {
                out.append(contentsOf: title.utf8)
                if column < DueTable.header.count - 1 { pad(title.utf8.count, column) }
            }
            out.append(UInt8(ascii: "\n"))
        }

        mutating func append(_ row: Row) {
            out.append(contentsOf: bytes[row.subject])
            pad(row.subject.count, 0)
            out.append(contentsOf: bytes[row.visit])
            if let purpose = row.purpose {
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: bytes[purpose])
            }
            pad(DueTable.visitWidth(row), 1)
            out.append(contentsOf: bytes[row.target])
            pad(row.target.count, 2)
            out.append(contentsOf: bytes[row.windowOpen])
            out.append(contentsOf: DueTable.dash)
            out.append(contentsOf: bytes[row.windowClose])
            pad(row.windowOpen.count + 3 + row.windowClose.count, 3)
            out.append(contentsOf: bytes[row.status])
            out.append(UInt8(ascii: "\n"))
        }

        mutating func flush(_ write: (UnsafeRawBufferPointer) -> Void) {
            out.withUnsafeBytes(write)
            out.removeAll(keepingCapacity: true)
        }
    }

    private static func visitWidth(_ row: Row) -> Int { row.visit.count + (row.purpose.map { $0.count + 1 } ?? 0) }

    private static func isASCII(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        cell.allSatisfy { $0 < 0x7F }
    }

    private static func isDate(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard cell.count == 10 else { return false }
        for (offset, byte) in cell.enumerated() {
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : digit else { return false }
        }
        return true
    }

    /// One row of the answer: the cells of the keys ``VisitDue`` has, each key once at most.
    private static func row(_ reader: inout ObjectReader) -> Row? {
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        var subject: Cell?, visit: Cell?, purpose: Cell?, target: Cell?, windowOpen: Cell?, windowClose: Cell?, status: Cell?
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                guard let key = reader.stringRange(), reader.take(UInt8(ascii: ":")), let value = reader.stringRange() else { return nil }
                // Length and first letter tell the seven keys apart; then the whole key must match.
                switch (key.count, key.isEmpty ? 0 : reader.bytes[key.lowerBound]) {
                case (7, UInt8(ascii: "s")) where reader.range(key, is: "subject"): subject = value
                case (5, UInt8(ascii: "v")) where reader.range(key, is: "visit"): visit = value
                case (6, UInt8(ascii: "t")) where reader.range(key, is: "target"): target = value
                case (10, UInt8(ascii: "w")) where reader.range(key, is: "windowOpen"): windowOpen = value
                case (11, UInt8(ascii: "w")) where reader.range(key, is: "windowClose"): windowClose = value
                case (6, UInt8(ascii: "s")) where reader.range(key, is: "status"): status = value
                case (7, UInt8(ascii: "p")) where reader.range(key, is: "purpose"): purpose = value
                default: break
                }
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        guard let subject, let visit, let target, let windowOpen, let windowClose, let status else { return nil }
        return Row(subject: subject, visit: visit, purpose: purpose, target: target, windowOpen: windowOpen,
                   windowClose: windowClose, status: status)
    }
}
