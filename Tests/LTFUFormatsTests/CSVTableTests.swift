@testable import LTFUFormats
import Testing

/// RFC 4180 as spreadsheets write it, and what an import must refuse rather than guess.
@Suite struct CSVTableTests {
    static func table(_ text: String) throws(CSVTable.Problem) -> CSVTable { try CSVTable(bytes: Array(text.utf8)) }

    @Test func quotedFields_keepCommasQuotesAndLineBreaks_andRowsKeepTheirFirstLine() throws {
        let table = try Self.table("\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\nhere\",\r\n\r\n3,,last")
        #expect(table.header == ["a", "b", "c"], "the BOM is not part of the first column's name")
        #expect(table.rows.map(\.fields) == [["1", "x, y", "say \"hi\""], ["2", "two\r\nlines\nhere", ""], ["3", "", "last"]])
        #expect(table.rows.map(\.line) == [2, 3, 7], "a quoted line break moves the next record's line; a blank line is skipped")
    }

    @Test func malformedFiles_areRefusedAtTheirLine() {
        func problem(_ text: String) -> CSVTable.Problem? {
            do { _ = try Self.table(text); return nil } catch { return error }
        }
        #expect(problem("a,b\n1,\"open\n2,3\n") == .init(line: 2, message: "a quoted field opened on this line is never closed"))
        #expect(problem("a,b\n1,\"x\"y\n")?.line == 2)
        #expect(problem("a,b\n1,x\"y\n")?.message.contains("a quote (\") inside a field") == true)
        #expect(problem("a,b\n1,2,3\n") == .init(line: 2, message: "this record has 3 fields, the header has 2"))
        #expect(problem("a,b\r1,2\n")?.message.contains("carriage return without a line feed") == true)
        #expect(problem("") == .init(line: 1, message: "the file is empty: it needs a header row naming its columns"))
        #expect(problem("\n\n")?.line == 1)
        do {
            _ = try CSVTable(bytes: Array("a,b\n1,2\n".utf8) + [0x78, 0xC3, 0x28, 0x0A])
            Issue.record("a bad UTF-8 sequence was read")
        } catch {
            #expect(error == .init(line: 3, message: "the file is not UTF-8 text (save it as \"CSV UTF-8\")"))
        }
    }

    @Test func writer_quotesOnlyWhatNeedsIt_andReadsBack() throws {
        let rows = [["plain", "a,b", "q\"q", "two\nlines", " padded", ""]]
        let text = CSVWriter.document(header: ["1", "2", "3", "4", "5", "6"], rows: rows)
        #expect(text == "1,2,3,4,5,6\r\nplain,\"a,b\",\"q\"\"q\",\"two\nlines\",\" padded\",\r\n")
        #expect(try Self.table(text).rows.map(\.fields) == rows)
    }
}
