/// Reads a TOML 1.0 document into a ``TOMLTable``, or throws a ``TOMLError`` naming the line
/// and column of the first mistake.
///
/// Written for configuration that a person edits by hand: any input, however broken, ends in a
/// value or an error. Nothing here traps: reads go through ``TOMLScanner/peek(_:)``, integer
/// arithmetic checks overflow, and tables and arrays nest at most ``maximumDepth`` levels deep
/// (an array of tables counts as one level with its tables) so deep input cannot exhaust the stack.
///
/// Deliberate differences from TOML 1.0: a UTF-8 byte order mark at the very start is skipped,
/// as editors on some systems write one; and documents nested deeper than ``maximumDepth`` are
/// refused.
struct TOMLParser {
    /// Far beyond any configuration file, far below what would strain the stack.
    static let maximumDepth = 64

    /// One part of a dotted key, with its offset for messages.
    struct KeyPart {
        var name: String
        var position: Int
    }

    var scanner: TOMLScanner
    let root = TOMLTableNode(origin: .header, position: 0)
    /// The table that `key = value` lines go into, the path of its header, and the number of
    /// its section (each header starts one; inline tables get their own numbers too).
    private var current: TOMLTableNode
    private var currentPath: [KeyPart] = []
    private var section = 0
    private var sectionCount = 0

    static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(Array(text.utf8))
    }

    static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes)
        return try parser.readDocument()
    }

    private init(_ bytes: [UInt8]) {
        scanner = TOMLScanner(bytes)
        current = root
    }

    private mutating func readDocument() throws(TOMLError) -> TOMLTable {
        if let invalid = TOMLScanner.firstInvalidUTF8(in: scanner.bytes) {
            let byte = String(scanner.byte(at: invalid) ?? 0, radix: 16, uppercase: true)
            throw scanner.error("the file is not valid UTF-8 here (byte 0x\(byte)); TOML files must be UTF-8 text", at: invalid)
        }
        _ = scanner.skip("\u{FEFF}")
        while !scanner.isAtEnd {
            scanner.skipWhitespace()
            guard let byte = scanner.peek() else { break }
            if byte == .openBracket {
                try readHeader()
                try scanner.finishLine(after: "the table header")
            } else if byte.isBareKeyByte || byte == .doubleQuote || byte == .singleQuote {
                try readKeyValue()
                try scanner.finishLine(after: "the value")
            } else if byte == .hash || byte == .lineFeed || byte == .carriageReturn {
                try scanner.finishLine(after: "a comment")
            } else {
                throw scanner.error("expected a key, a [table] or a comment, found \(scanner.describe(at: scanner.index))")
            }
        }
        return root.finished()
    }

    /// `[a.b]` or `[[a.b]]`: later `key = value` lines go into that table.
    private mutating func readHeader() throws(TOMLError) {
        let isArray = scanner.sees("[[")
        let opening = isArray ? "[[" : "["
        scanner.advance(opening.utf8.count)
        scanner.skipWhitespace()
        let key = try readKey(after: "\"\(opening)\"", in: 0, lastPartIsTable: true)
        let closing = isArray ? "]]" : "]"
        guard scanner.skip(closing) else {
            let what = isArray ? "the name of the array of tables" : "the table name"
            throw scanner.error("expected \"\(closing)\" after \(what), found \(scanner.describe(at: scanner.index))")
        }
        sectionCount += 1
        section = sectionCount
        current = isArray ? try appendTable(key) : try defineTable(key)
        currentPath = key
    }

    /// `key = value` in the current table.
    private mutating func readKeyValue() throws(TOMLError) {
        let key = try readKey(after: "the start of the line", in: currentPath.count, lastPartIsTable: false)
        let value = try readAssignedValue(to: key, depth: currentPath.count + key.count - 1)
        try define(key, value, in: current, under: currentPath, section: section)
    }

    /// `= value` after a key, in a table `depth` levels down.
    private mutating func readAssignedValue(to key: [KeyPart], depth: Int) throws(TOMLError) -> TOMLValue {
        guard scanner.peek() == .equals else {
            throw scanner.error("expected \"=\" after the key `\(Self.display(key))`, found \(scanner.describe(at: scanner.index))")
        }
        scanner.advance()
        scanner.skipWhitespace()
        return try readValue(after: "\"=\"", depth: depth)
    }

    /// A bare, quoted or dotted key, and the whitespace after it, starting in a table `depth`
    /// levels down. Each part but the last names a table one level deeper; a header's last part does too.
    private mutating func readKey(after context: String, in depth: Int, lastPartIsTable: Bool) throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        var partContext = context
        while true {
            let position = scanner.index
            parts.append(KeyPart(name: try readKeyPart(after: partContext), position: position))
            try checkDepth(depth + parts.count - (lastPartIsTable ? 0 : 1), at: position)
            scanner.skipWhitespace()
            guard scanner.skip(".") else { return parts }
            scanner.skipWhitespace()
            partContext = "\".\""
        }
    }

    private mutating func readKeyPart(after context: String) throws(TOMLError) -> String {
        switch scanner.peek() {
        case let byte? where byte.isBareKeyByte:
            let start = scanner.index
            while scanner.peek()?.isBareKeyByte == true { scanner.advance() }
            return String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)
        case .doubleQuote?, .singleQuote?:
            if scanner.sees("\"\"\"") || scanner.sees("'''") {
                throw scanner.error("a multi-line string cannot be a key")
            }
            return try scanner.peek() == .doubleQuote ? scanner.readBasicString() : scanner.readLiteralString()
        default:
            throw scanner.error("expected a key after \(context), found \(scanner.describe(at: scanner.index))")
        }
    }

    /// One value held by a table or array `depth` levels down; an array or inline table is one level deeper.
    private mutating func readValue(after context: String, depth: Int) throws(TOMLError) -> TOMLValue {
        switch scanner.peek() {
        case .doubleQuote?:
            return .string(try scanner.sees("\"\"\"") ? scanner.readMultilineString(quote: .doubleQuote) : scanner.readBasicString())
        case .singleQuote?:
            return .string(try scanner.sees("'''") ? scanner.readMultilineString(quote: .singleQuote) : scanner.readLiteralString())
        case .openBracket?:
            return try readArray(depth: depth + 1)
        case .openBrace?:
            return try readInlineTable(depth: depth + 1)
        case let byte? where byte.isDigit || byte == .plus || byte == .minus || scanner.sees("inf") || scanner.sees("nan"):
            if scanner.seesDate { return try scanner.readDateTime() }
            if scanner.seesTime { return try scanner.readLocalTime() }
            return try scanner.readNumber()
        default:
            if scanner.skip("true") { return .bool(true) }
            if scanner.skip("false") { return .bool(false) }
            let hint = scanner.peek()?.isLetter == true ? " (a string needs quotes)" : ""
            throw scanner.error("expected a value after \(context), found \(scanner.describe(at: scanner.index))\(hint)")
        }
    }

    /// `[1, 2, 3]`, `depth` levels down: values of any types, across lines, with comments and a trailing comma.
    private mutating func readArray(depth: Int) throws(TOMLError) -> TOMLValue {
        let start = scanner.index
        try checkDepth(depth, at: start)
        scanner.advance()
        var elements: [TOMLValue] = []
        while true {
            try scanner.skipBlankLines()
            if scanner.skip("]") { return .array(elements) }
            if scanner.isAtEnd { throw unclosed("array", at: start) }
            elements.append(try readValue(after: elements.isEmpty ? "\"[\"" : "\",\"", depth: depth))
            try scanner.skipBlankLines()
            if scanner.skip("]") { return .array(elements) }
            if scanner.isAtEnd { throw unclosed("array", at: start) }
            guard scanner.skip(",") else {
                throw scanner.error("expected \",\" or \"]\" after an element of the array, found \(scanner.describe(at: scanner.index))")
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`, `depth` levels down: on one line, no trailing comma, and closed to later additions.
    private mutating func readInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let start = scanner.index
        try checkDepth(depth, at: start)
        scanner.advance()
        let table = TOMLTableNode(origin: .header, position: start)
        sectionCount += 1
        let inlineSection = sectionCount
        scanner.skipWhitespace()
        if scanner.skip("}") { return .table(TOMLTable()) }
        var context = "\"{\""
        while true {
            let key = try readKey(after: context, in: depth, lastPartIsTable: false)
            let value = try readAssignedValue(to: key, depth: depth + key.count - 1)
            try define(key, value, in: table, under: [], section: inlineSection)
            scanner.skipWhitespace()
            if scanner.skip("}") { return .table(table.finished()) }
            guard scanner.skip(",") else {
                let onOneLine = scanner.isAtEnd || scanner.peek() == .lineFeed || scanner.peek() == .carriageReturn
                throw scanner.error("expected \",\" or \"}\" after a value of the inline table, found "
                    + scanner.describe(at: scanner.index) + (onOneLine ? " (an inline table must be on one line)" : ""))
            }
            scanner.skipWhitespace()
            if scanner.peek() == .closeBrace {
                throw scanner.error("expected a key after \",\", found \"}\" (an inline table takes no trailing comma)")
            }
            if scanner.isAtEnd || scanner.peek() == .lineFeed || scanner.peek() == .carriageReturn {
                throw scanner.error("expected a key after \",\", found \(scanner.describe(at: scanner.index)) (an inline table must be on one line)")
            }
            context = "\",\""
        }
    }

    private func checkDepth(_ depth: Int, at position: Int) throws(TOMLError) {
        guard depth <= Self.maximumDepth else {
            throw scanner.error("nesting deeper than \(Self.maximumDepth) levels of tables and arrays", at: position)
        }
    }

    private func unclosed(_ what: String, at start: Int) -> TOMLError {
        scanner.error("the \(what) opened on line \(scanner.location(of: start).line) is not closed before the end of the file")
    }
}
