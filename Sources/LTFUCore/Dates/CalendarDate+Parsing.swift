extension CalendarDate {
    /// Parses strict ISO 8601 `YYYY-MM-DD`, refusing impossible dates with a message that
    /// says why (`2023-02-29`: 2023 is not a leap year).
    ///
    /// - Parameter what: names the field in the message, e.g. `.phrase("infusion date")`.
    public init(parsing text: String, what: LTFUError.Value = .phrase("date")) throws(LTFUError) {
        try self.init(parsing: text, naming: what)
    }

    /// The same for a field named by what is never translated (an option, `--on`).
    public init(parsing text: String, what: String) throws(LTFUError) {
        try self.init(parsing: text, naming: .verbatim(what))
    }

    private init(parsing text: String, naming what: LTFUError.Value) throws(LTFUError) {
        if let date = CalendarDate(iso: text) {
            self = date
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = parts.map(\.count)
        guard widths == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw LTFUError(.data, code: "invalid-date", "{what} `{text}` is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14",
                            ["what": what, "text": text])
        }
        guard year >= 1 else {
            throw LTFUError(.data, code: "invalid-date", "{what} `{text}` is not a date: year 0000 does not exist", ["what": what, "text": text])
        }
        guard (1...12).contains(month) else {
            throw LTFUError(.data, code: "invalid-date", "{what} `{text}` is not a date: month must be 01 to 12", ["what": what, "text": text])
        }
        let length = CalendarDate.daysIn(month: month, year: year)
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            let values: KeyValuePairs<String, any LTFUError.Placeable> = ["what": what, "text": text, "length": length, "year": year]
            if month == 2 && day == 29 {
                throw LTFUError(.data, code: "invalid-date",
                                "{what} `{text}` is not a date: day must be 01 to {length} in that month ({year} is not a leap year)", values)
            }
            throw LTFUError(.data, code: "invalid-date", "{what} `{text}` is not a date: day must be 01 to {length} in that month", values)
        }
        self = date
    }
}

extension CalendarDate {
    /// The same strict `YYYY-MM-DD` check without allocating, for dates read back from the
    /// database by the hundred thousand; `nil` for anything `init(parsing:)` would refuse.
    public init?(iso text: String) {
        var text = text
        let date: CalendarDate? = text.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            var fields = [0, 0, 0]
            for (field, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
                for index in range {
                    let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit) else { return nil }
                    fields[field] = fields[field] * 10 + digit
                }
            }
            return CalendarDate(year: fields[0], month: fields[1], day: fields[2])
        }
        guard let date else { return nil }
        self = date
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CalendarDate(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
