import Foundation
import LTFUL10n

/// A plain table for terminals and printers: a header row, aligned columns, two spaces apart,
/// measured in terminal columns (a Chinese character takes two), so it lines up in Chinese too.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func append(_ row: String...) {
        rows.append(row)
    }

    /// Built by appending, not with `padding(toLength:)`: `due` at a large site renders tens
    /// of thousands of rows (issue #15).
    func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        // Columns, counted the slow way only for cells that are not plain ASCII.
        let counts = all.map { $0.map { cell in cell.utf8.allSatisfy { $0 < 0x80 } ? cell.utf8.count : cell.displayWidth } }
        for row in counts {
            for (column, count) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], count) }
        }
        var text = ""
        text.reserveCapacity(all.count * (widths.reduce(0, +) + 2 * widths.count + 1) * 11 / 10)
        for (index, row) in all.enumerated() {
            if index > 0 { text += "\n" }
            for (column, cell) in row.enumerated() {
                if column > 0 { text += "  " }
                text += cell
                if column < row.count - 1, column < widths.count, counts[index][column] < widths[column] {
                    text += String(repeating: " ", count: widths[column] - counts[index][column])
                }
            }
        }
        return text
    }
}
