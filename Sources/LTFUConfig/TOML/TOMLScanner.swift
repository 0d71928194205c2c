/// A cursor over the UTF-8 bytes of a TOML document. It knows the byte classes of the TOML
/// grammar and turns a byte offset into the line and column a person looks for; the parser
/// and the string, number and date readers (`TOMLScanner+…`) move it forward.
///
/// Every read goes through ``peek(_:)``, which answers `nil` past either end, so no input can
/// index out of range.
struct TOMLScanner {
    let bytes: [UInt8]
    /// The offset of the next byte to read; never beyond `bytes.count`.
    private(set) var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte `offset` places after the cursor, or `nil` outside the document.
    func peek(_ offset: Int = 0) -> UInt8? {
        byte(at: index.addingReportingOverflow(offset).partialValue)
    }

    func byte(at position: Int) -> UInt8? {
        bytes.indices.contains(position) ? bytes[position] : nil
    }

    mutating func advance(_ count: Int = 1) {
        index += max(0, min(count, bytes.count - index))
    }

    /// Whether the next bytes are `text`, compared byte by byte (ASCII literals only).
    func sees(_ text: String) -> Bool {
        var offset = 0
        for expected in text.utf8 {
            guard peek(offset) == expected else { return false }
            offset += 1
        }
        return true
    }

    /// Skips `text` if it comes next.
    mutating func skip(_ text: String) -> Bool {
        guard sees(text) else { return false }
        advance(text.utf8.count)
        return true
    }

    /// Skips spaces and tabs, the only whitespace TOML has within a line.
    mutating func skipWhitespace() {
        while let byte = peek(), byte == .space || byte == .tab { advance() }
    }

    /// Skips a line feed or a carriage return and line feed; `false` when neither comes next.
    mutating func skipNewline() -> Bool {
        skip("\n") || skip("\r\n")
    }

    /// Skips a `#` comment up to, not including, the end of its line.
    mutating func skipComment() throws(TOMLError) {
        guard peek() == .hash else { return }
        advance()
        while let byte = peek(), byte != .lineFeed {
            if byte == .carriageReturn, peek(1) == .lineFeed { return }
            if byte.isControl, byte != .tab {
                throw error("\(describe(at: index)) is not allowed in a comment")
            }
            advance()
        }
    }

    /// Skips whitespace, newlines and comments, which may stand between the elements of an array.
    mutating func skipBlankLines() throws(TOMLError) {
        while true {
            skipWhitespace()
            try skipComment()
            if !skipNewline() { return }
        }
    }

    /// After a statement only whitespace and a comment may follow on its line.
    mutating func finishLine(after statement: String) throws(TOMLError) {
        skipWhitespace()
        try skipComment()
        if isAtEnd || skipNewline() { return }
        throw error("expected the end of the line after \(statement), found \(describe(at: index))")
    }

    // MARK: Messages

    /// An error at `position` (default: the cursor), with its line and column.
    func error(_ message: String, at position: Int? = nil) -> TOMLError {
        let (line, column) = location(of: position ?? index)
        return TOMLError(line: line, column: column, message: message)
    }

    /// The 1-based line and column (in characters) of a byte offset; a leading byte order mark
    /// takes no column. Only computed for messages, so it may walk the document.
    func location(of position: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        let start = bytes.starts(with: TOMLScanner.byteOrderMark) ? TOMLScanner.byteOrderMark.count : 0
        let end = max(start, min(position, bytes.count))
        for byte in bytes[start..<end] {
            if byte == .lineFeed {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// What stands at `position`, for "found …": `"#"`, `the end of the line`, `"hello"` for a
    /// word, the code point of a control character, a non-ASCII character with its code point.
    func describe(at position: Int) -> String {
        guard let first = byte(at: position) else { return "the end of the file" }
        switch first {
        case .lineFeed: return "the end of the line"
        case .carriageReturn where byte(at: position &+ 1) == .lineFeed: return "the end of the line"
        case .carriageReturn: return "a carriage return without a line feed (U+000D)"
        case .doubleQuote: return "'\"'"
        case _ where first.isControl: return "the control character \(Self.codePoint(UInt32(first)))"
        case _ where first.isBareKeyByte:
            // A whole word reads better than its first letter: found "hello", found "tru".
            var end = position
            while let next = byte(at: end), next.isBareKeyByte || next == .dot || next == .colon || next == .plus,
                  end - position < 24
            {
                end += 1
            }
            return "\"\(String(decoding: bytes[position..<end], as: UTF8.self))\""
        case 0x80...:
            // Non-ASCII: the code point tells a no-break space or a byte order mark from a space.
            let character = character(at: position)
            let code = character.unicodeScalars.first.map { " (\(Self.codePoint($0.value)))" } ?? ""
            return "\"\(character)\"\(code)"
        default:
            return "\"\(character(at: position))\""
        }
    }

    /// The one character starting at `position`, decoded from its UTF-8 bytes.
    func character(at position: Int) -> String {
        guard bytes.indices.contains(position) else { return "" }
        var end = position + 1
        while let next = byte(at: end), next & 0xC0 == 0x80, end - position < 4 { end += 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// `U+0007`
    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}

/// The byte classes of the TOML grammar.
extension UInt8 {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let doubleQuote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let singleQuote: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    /// U+0000 to U+001F and U+007F; TOML allows only the tab (and newlines where lines may break).
    var isControl: Bool { self < 0x20 || self == 0x7F }
    var isDigit: Bool { (0x30...0x39).contains(self) }
    var isLetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    /// `A-Za-z0-9_-`, the characters of a bare key.
    var isBareKeyByte: Bool { isLetter || isDigit || self == .underscore || self == .minus }

    /// The value of a hexadecimal digit.
    var hexValue: Int? {
        switch self {
        case 0x30...0x39: Int(self - 0x30)
        case 0x41...0x46: Int(self - 0x41 + 10)
        case 0x61...0x66: Int(self - 0x61 + 10)
        default: nil
        }
    }
}
