import Foundation
import LTFUCore

/// A CSV file read strictly by RFC 4180 (SPEC §12): a header row, then records of as many
/// fields; quoted fields may hold commas, quotes (doubled) and line breaks; CRLF or LF; a
/// UTF-8 byte order mark is allowed. Every record keeps the physical line it starts on, so an
/// error names `FILE:LINE`.
///
/// Our own reader, not a library's: the CSV packages at hand (yaslab/CSV.swift, SwiftCSV)
/// accept a stray quote or an unterminated quoted field without a word and do not count
/// lines, and an import must refuse what it cannot read for certain.
public struct CSVTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// The line the record starts on (the header is line 1).
        public var line: Int
        public var fields: [String]
    }

    /// Why the file cannot be read, at the line where reading stopped.
    public struct Problem: Error, Sendable, Hashable {
        public var line: Int
        /// What is wrong, put into the reader's language when it is shown (issue #22).
        public var reason: LTFUError.Value
        public var message: String { reason.text(in: .english) }

        init(line: Int, reason: LTFUError.Value) {
            self.line = line
            self.reason = reason
        }

        /// A problem in words that are not translated.
        public init(line: Int, message: String) {
            self.init(line: line, reason: .verbatim(message))
        }

        /// The same problem is at the same line and reads the same, however it was worded.
        public static func == (a: Problem, b: Problem) -> Bool { a.line == b.line && a.message == b.message }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(line)
            hasher.combine(message)
        }
    }

    public var header: [String]
    public var rows: [Row]

    /// Reads `bytes` whole; blank lines are skipped.
    public init(bytes: [UInt8]) throws(Problem) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        try Self.requireUTF8(bytes, from: start)
        var reader = Reader(bytes: bytes, position: start)
        guard let first = try reader.nextRecord() else {
            throw Problem(line: 1, reason: .phrase("the file is empty: it needs a header row naming its columns"))
        }
        header = first.fields
        var rows: [Row] = []
        while let record = try reader.nextRecord() {
            guard record.fields.count == header.count else {
                throw Problem(line: record.line, reason: .phrase("this record has {fields} fields, the header has {header}",
                                                                 ["fields": record.fields.count, "header": header.count]))
            }
            rows.append(record)
        }
        self.rows = rows
    }

    /// Refuses bytes that are not UTF-8, naming the line of the first bad byte.
    public static func requireUTF8(_ bytes: [UInt8], from start: Int = 0) throws(Problem) {
        var decoder = UTF8()
        var iterator = bytes[start...].makeIterator()
        var line = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: break loop
            case .error:
                throw Problem(line: line, reason: .phrase("the file is not UTF-8 text (save it as \"CSV UTF-8\")"))
            }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position: Int
        var line = 1

        static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        /// The next record that is not a blank line, or `nil` at the end.
        mutating func nextRecord() throws(Problem) -> Row? {
            while position < bytes.count {
                let startLine = line
                var fields: [String] = []
                var ended = false
                while !ended {
                    let (field, last) = try nextField(recordLine: startLine)
                    fields.append(field)
                    ended = last
                }
                if fields == [""] { continue }
                return Row(line: startLine, fields: fields)
            }
            return nil
        }

        /// One field, and whether it ends its record.
        mutating func nextField(recordLine: Int) throws(Problem) -> (String, Bool) {
            if position < bytes.count, bytes[position] == Self.quote {
                return try quotedField()
            }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case Self.comma:
                    position += 1
                    return (String(decoding: bytes[start..<(position - 1)], as: UTF8.self), false)
                case Self.cr, Self.lf:
                    let field = String(decoding: bytes[start..<position], as: UTF8.self)
                    try endOfLine()
                    return (field, true)
                case Self.quote:
                    throw Problem(line: line, reason: .phrase("a quote (\") inside a field that does not start with one; quote the whole field and double the quote"))
                default:
                    position += 1
                }
            }
            return (String(decoding: bytes[start..<position], as: UTF8.self), true)
        }

        mutating func quotedField() throws(Problem) -> (String, Bool) {
            let openedOn = line
            position += 1
            var content: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == Self.quote {
                    if position < bytes.count, bytes[position] == Self.quote {
                        content.append(Self.quote)
                        position += 1
                        continue
                    }
                    let field = String(decoding: content, as: UTF8.self)
                    guard position < bytes.count else { return (field, true) }
                    switch bytes[position] {
                    case Self.comma:
                        position += 1
                        return (field, false)
                    case Self.cr, Self.lf:
                        try endOfLine()
                        return (field, true)
                    default:
                        throw Problem(line: line, reason: .phrase("text after the closing quote of a quoted field; a quote inside it is written twice (\"\")"))
                    }
                }
                if byte == Self.lf { line += 1 }
                content.append(byte)
            }
            throw Problem(line: openedOn, reason: .phrase("a quoted field opened on this line is never closed"))
        }

        /// Consumes CRLF or LF; a lone CR is not a line break a spreadsheet writes.
        mutating func endOfLine() throws(Problem) {
            if bytes[position] == Self.cr {
                guard position + 1 < bytes.count, bytes[position + 1] == Self.lf else {
                    throw Problem(line: line, reason: .phrase("a carriage return without a line feed; lines end in CRLF or LF"))
                }
                position += 1
            }
            position += 1
            line += 1
        }
    }
}

/// Writes CSV as RFC 4180 says: CRLF after every record, a field quoted when it holds a
/// comma, a quote, a line break or leading or trailing spaces.
public enum CSVWriter {
    public static func document(header: [String], rows: [[String]]) -> String {
        var text = record(header)
        for row in rows { text += record(row) }
        return text
    }

    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        let needsQuotes = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
