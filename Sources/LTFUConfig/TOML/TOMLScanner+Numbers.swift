/// Integers and floats. Integers are 64-bit, as TOML 1.0 asks: one that does not fit is an
/// error, never a wrapped value or a trap.
extension TOMLScanner {
    /// Reads an integer or float; the cursor stands on a digit, a sign, `i` or `n`.
    mutating func readNumber() throws(TOMLError) -> TOMLValue {
        let start = index
        var text: [UInt8] = []
        if let sign = peek(), sign == .plus || sign == .minus {
            text.append(sign)
            advance()
        }
        if skip("inf") { return .float(text.first == .minus ? -.infinity : .infinity) }
        if skip("nan") { return .float(text.first == .minus ? -.nan : .nan) }
        if text.isEmpty, peek() == 0x30, let radix = Self.radixes[peek(1) ?? 0] {
            advance(2)
            return .integer(try readRadixInteger(radix.base, prefix: radix.prefix, start: start))
        }

        let integerStart = index
        try readDigits(into: &text, after: text.isEmpty ? "" : "the sign")
        if index - integerStart > 1, byte(at: integerStart) == 0x30 {
            throw error("a number must not start with a zero (leading zeros are not allowed)", at: start)
        }
        var isFloat = false
        if peek() == .dot {
            isFloat = true
            text.append(.dot)
            advance()
            try readDigits(into: &text, after: "the decimal point")
        }
        if let letter = peek(), letter == 0x65 || letter == 0x45 {  // e, E
            isFloat = true
            text.append(0x65)
            advance()
            if let sign = peek(), sign == .plus || sign == .minus {
                text.append(sign)
                advance()
            }
            try readDigits(into: &text, after: "the exponent")
        }
        if isFloat {
            guard let value = Double(String(decoding: text, as: UTF8.self)) else {
                throw error("\(String(decoding: text, as: UTF8.self)) is not a float", at: start)
            }
            return .float(value)
        }
        return .integer(try decimalValue(of: text, start: start))
    }

    /// Decimal digits with single underscores between them, appended to `text` without the
    /// underscores.
    private mutating func readDigits(into text: inout [UInt8], after place: String) throws(TOMLError) {
        guard let first = peek(), first.isDigit else {
            throw error("expected a digit\(place.isEmpty ? "" : " after \(place)"), found \(describe(at: index))")
        }
        text.append(first)
        advance()
        while let byte = peek() {
            if byte.isDigit {
                text.append(byte)
            } else if byte == .underscore {
                guard peek(1)?.isDigit == true else { throw misplacedUnderscore() }
            } else {
                return
            }
            advance()
        }
    }

    /// The value of sign-and-digits text, accumulated toward the sign so that
    /// -9223372036854775808 still fits.
    private func decimalValue(of text: [UInt8], start: Int) throws(TOMLError) -> Int {
        let negative = text.first == .minus
        var value = 0
        for byte in text where byte.isDigit {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let digit = Int(byte - 0x30)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { throw tooLarge(String(decoding: text, as: UTF8.self), at: start) }
            value = next
        }
        return value
    }

    /// `0x`, `0o` or `0b` digits; no sign is allowed before them.
    private mutating func readRadixInteger(_ base: Int, prefix: String, start: Int) throws(TOMLError) -> Int {
        var value = 0
        var sawDigit = false
        while let byte = peek() {
            if let digit = byte.hexValue, digit < base {
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: base)
                let (next, overflowB) = shifted.addingReportingOverflow(digit)
                guard !overflowA, !overflowB else {
                    var end = index
                    while let more = self.byte(at: end), more.hexValue != nil || more == .underscore { end += 1 }
                    throw tooLarge(String(decoding: bytes[start..<end], as: UTF8.self), at: start)
                }
                value = next
                sawDigit = true
            } else if byte == .underscore, sawDigit {
                guard let following = peek(1)?.hexValue, following < base else { throw misplacedUnderscore() }
            } else {
                break
            }
            advance()
        }
        guard sawDigit else {
            let kind = base == 16 ? "a hexadecimal" : base == 8 ? "an octal" : "a binary"
            throw error("expected \(kind) digit after \"\(prefix)\", found \(describe(at: index))")
        }
        return value
    }

    private func misplacedUnderscore() -> TOMLError {
        error("an \"_\" in a number must stand between two digits")
    }

    private func tooLarge(_ text: String, at start: Int) -> TOMLError {
        error("\(text) does not fit in a 64-bit integer (\(Int.min) to \(Int.max))", at: start)
    }

    /// The letter after a leading `0` that picks a base.
    private static let radixes: [UInt8: (base: Int, prefix: String)] = [
        0x78: (16, "0x"), 0x6F: (8, "0o"), 0x62: (2, "0b"),
    ]
}
