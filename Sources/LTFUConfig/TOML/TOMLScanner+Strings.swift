/// The four kinds of TOML string. The cursor stands on the opening quote; each reader leaves
/// it after the closing one. Newlines inside multi-line strings come out as a line feed,
/// whether the file wrote LF or CRLF (TOML 1.0 lets a parser normalize them).
extension TOMLScanner {
    /// `"…"` with escapes; also a quoted key.
    mutating func readBasicString() throws(TOMLError) -> String {
        let start = index
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw unclosed(at: start, before: "the end of the file") }
            switch byte {
            case .doubleQuote:
                advance()
                return String(decoding: text, as: UTF8.self)
            case .backslash:
                try readEscape(into: &text, multiline: false)
            case .lineFeed, .carriageReturn:
                throw unclosed(at: start, before: "the end of the line")
            default:
                try appendCharacter(byte, to: &text, in: "a string")
            }
        }
    }

    /// `'…'` taken as written; also a quoted key.
    mutating func readLiteralString() throws(TOMLError) -> String {
        let start = index
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw unclosed(at: start, before: "the end of the file") }
            switch byte {
            case .singleQuote:
                advance()
                return String(decoding: text, as: UTF8.self)
            case .lineFeed, .carriageReturn:
                throw unclosed(at: start, before: "the end of the line")
            default:
                try appendCharacter(byte, to: &text, in: "a string")
            }
        }
    }

    /// `"""…"""` (escapes, line-ending backslash) or `'''…'''` (as written).
    mutating func readMultilineString(quote: UInt8) throws(TOMLError) -> String {
        let start = index
        advance(3)
        _ = skipNewline()  // a newline right after the opening quotes is not part of the string
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw unclosed(at: start, before: "the end of the file") }
            switch byte {
            case quote:
                // Up to two quotes may stand inside or just before the closing three.
                let runStart = index
                var run = 0
                while peek() == quote, run < 6 {
                    advance()
                    run += 1
                }
                if run < 3 {
                    text.append(contentsOf: repeatElement(quote, count: run))
                } else if run <= 5 {
                    text.append(contentsOf: repeatElement(quote, count: run - 3))
                    return String(decoding: text, as: UTF8.self)
                } else {
                    throw error("too many quotes at the end of a multi-line string (at most five)", at: runStart)
                }
            case .backslash where quote == .doubleQuote:
                try readEscape(into: &text, multiline: true)
            case .lineFeed:
                advance()
                text.append(.lineFeed)
            case .carriageReturn where peek(1) == .lineFeed:
                advance(2)
                text.append(.lineFeed)
            default:
                try appendCharacter(byte, to: &text, in: "a string")
            }
        }
    }

    /// Copies one byte of text, refusing control characters other than the tab; bytes of a
    /// multi-byte character are all copied, as the document is valid UTF-8.
    private mutating func appendCharacter(_ byte: UInt8, to text: inout [UInt8], in place: String) throws(TOMLError) {
        if byte.isControl, byte != .tab {
            let hint = byte == .carriageReturn ? "" : " (write it as \\u\(Self.codePoint(UInt32(byte)).dropFirst(2)))"
            throw error("\(describe(at: index)) is not allowed in \(place)\(hint)")
        }
        text.append(byte)
        advance()
    }

    /// Reads one `\` escape of a basic string; in a multi-line one, a backslash ending its line
    /// swallows the line break and the whitespace that follows.
    private mutating func readEscape(into text: inout [UInt8], multiline: Bool) throws(TOMLError) {
        let start = index
        advance()
        guard let letter = peek() else { throw error("expected an escape after \"\\\", found the end of the file") }
        if let replacement = Self.simpleEscapes[letter] {
            advance()
            text.append(replacement)
            return
        }
        if letter == 0x75 || letter == 0x55 {  // \uXXXX, \UXXXXXXXX
            try readUnicodeEscape(digits: letter == 0x75 ? 4 : 8, start: start, into: &text)
            return
        }
        if multiline, letter == .space || letter == .tab || letter == .lineFeed || letter == .carriageReturn {
            skipWhitespace()
            guard skipNewline() else {
                throw error("a \"\\\" followed by whitespace must end its line, found \(describe(at: index))")
            }
            while true {
                skipWhitespace()
                if !skipNewline() { return }
            }
        }
        let shown = letter.isControl ? describe(at: index) : "\"\\\(character(at: index))\""
        throw error("\(shown) is not an escape TOML knows (write \\\\ for a backslash)", at: start)
    }

    private mutating func readUnicodeEscape(digits: Int, start: Int, into text: inout [UInt8]) throws(TOMLError) {
        advance()
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = peek()?.hexValue else {
                throw error("expected \(digits) hexadecimal digits after \"\\\(digits == 4 ? "u" : "U")\", found \(describe(at: index))")
            }
            value = value << 4 | UInt32(digit)
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("\(Self.codePoint(value)) is not a Unicode scalar value (surrogates and values above U+10FFFF are not)", at: start)
        }
        Unicode.UTF8.encode(scalar) { text.append($0) }
    }

    /// `\b \t \n \f \r \" \\` and the bytes they stand for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        0x62: 0x08, 0x74: 0x09, 0x6E: 0x0A, 0x66: 0x0C, 0x72: 0x0D, 0x22: 0x22, 0x5C: 0x5C,
    ]

    /// A string not closed, told at its opening quote so the reader sees where it began.
    private func unclosed(at start: Int, before end: String) -> TOMLError {
        error("this string is not closed before \(end)", at: start)
    }
}
