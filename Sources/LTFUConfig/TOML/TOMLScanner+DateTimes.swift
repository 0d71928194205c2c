/// RFC 3339 date-times as TOML 1.0 has them: offset and local date-times, local dates and local
/// times. They are checked (month 1–12, the day exists in that month, 23:59:60 at most) and
/// kept as written.
extension TOMLScanner {
    /// Whether a date (`1979-05-27`) starts at the cursor rather than a number.
    var seesDate: Bool {
        (0..<4).allSatisfy { peek($0)?.isDigit == true } && peek(4) == .minus
    }

    /// Whether a local time (`07:32:00`) starts at the cursor.
    var seesTime: Bool {
        peek()?.isDigit == true && peek(1)?.isDigit == true && peek(2) == .colon
    }

    /// A date, optionally followed by a time and an offset.
    mutating func readDateTime() throws(TOMLError) -> TOMLValue {
        let start = index
        let year = try readField(digits: 4, of: "the year")
        try expect(.minus, in: "the date")
        let month = try readField(digits: 2, of: "the month")
        try expect(.minus, in: "the date")
        let day = try readField(digits: 2, of: "the day")
        guard (1...12).contains(month) else { throw error("\(text(from: start)) is not a date: there is no month \(month)", at: start) }
        let days = Self.days(inMonth: month, ofYear: year)
        guard (1...days).contains(day) else {
            throw error("\(text(from: start)) is not a date: that month has \(days) days", at: start)
        }
        // The time follows a T or, as TOML allows, a space; a space followed by anything else ends the date.
        let timeFollows = peek() == 0x54 || peek() == 0x74
            || (peek() == .space && peek(1)?.isDigit == true && peek(2)?.isDigit == true && peek(3) == .colon)
        guard timeFollows else { return .datetime(text(from: start)) }
        advance()
        try readTimeOfDay()
        if peek() == 0x5A || peek() == 0x7A {  // Z, z
            advance()
        } else if let sign = peek(), sign == .plus || sign == .minus {
            advance()
            let hours = try readField(digits: 2, of: "the offset's hours")
            try expect(.colon, in: "the offset")
            let minutes = try readField(digits: 2, of: "the offset's minutes")
            guard hours <= 23, minutes <= 59 else {
                throw error("\(text(from: start)) has no valid offset: hours go to 23, minutes to 59", at: start)
            }
        }
        return .datetime(text(from: start))
    }

    /// A local time such as `07:32:00.999`.
    mutating func readLocalTime() throws(TOMLError) -> TOMLValue {
        let start = index
        try readTimeOfDay()
        return .datetime(text(from: start))
    }

    /// `HH:MM:SS` with an optional fraction; seconds are required in TOML 1.0.
    private mutating func readTimeOfDay() throws(TOMLError) {
        let start = index
        let hour = try readField(digits: 2, of: "the hour")
        try expect(.colon, in: "the time")
        let minute = try readField(digits: 2, of: "the minutes")
        try expect(.colon, in: "the time (seconds are required)")
        let second = try readField(digits: 2, of: "the seconds")
        if peek() == .dot {
            advance()
            guard peek()?.isDigit == true else {
                throw error("expected a digit after the decimal point of the seconds, found \(describe(at: index))")
            }
            while peek()?.isDigit == true { advance() }
        }
        // 60 is a leap second, which RFC 3339 allows.
        guard hour <= 23, minute <= 59, second <= 60 else {
            throw error("\(text(from: start)) is not a time of day: hours go to 23, minutes to 59, seconds to 60", at: start)
        }
    }

    /// Exactly `digits` decimal digits.
    private mutating func readField(digits: Int, of field: String) throws(TOMLError) -> Int {
        let start = index
        var value = 0
        for _ in 0..<digits {
            guard let byte = peek(), byte.isDigit else {
                throw error("expected \(digits) digits for \(field), found \(describe(at: start))", at: start)
            }
            value = value * 10 + Int(byte - 0x30)
            advance()
        }
        return value
    }

    private mutating func expect(_ separator: UInt8, in place: String) throws(TOMLError) {
        guard peek() == separator else {
            throw error("expected \"\(Character(Unicode.Scalar(separator)))\" in \(place), found \(describe(at: index))")
        }
        advance()
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[min(start, index)..<index], as: UTF8.self)
    }

    /// The Gregorian calendar's month lengths, which RFC 3339 dates follow.
    static func days(inMonth month: Int, ofYear year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
