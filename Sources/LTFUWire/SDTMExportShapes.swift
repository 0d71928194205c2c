import LTFUCore

/// `POST /v1/export/sdtm` (SPEC §14): what `ltfuctl export sdtm` asks for.
public struct SDTMExportRequest: Codable, Sendable, Hashable {
    /// The sponsor's `STUDYID`: 1 to 64 letters, digits, `.`, `_` or `-`.
    public var study: String
    /// Also export free text (miss reasons, notes), which may identify a person. Default false.
    public var includeText: Bool?
    /// `datasetJSONCreationDateTime` (ISO 8601 with seconds and an offset), for reproducible
    /// files; default: now, in the site's time zone.
    public var created: String?

    public init(study: String, includeText: Bool? = nil, created: String? = nil) {
        self.study = study
        self.includeText = includeText
        self.created = created
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case study, includeText, created }

    /// Strict, as every request: an unknown field is refused, not ignored.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        study = try container.decode(String.self, forKey: .study)
        includeText = try container.decodeIfPresent(Bool.self, forKey: .includeText)
        created = try container.decodeIfPresent(String.self, forKey: .created)
    }
}

/// The answer: every file of the data set, whole, in name order.
public struct SDTMExportResponse: Codable, Sendable, Hashable {
    public struct File: Codable, Sendable, Hashable {
        /// `dm.json`, `dm.csv`, …
        public var name: String
        public var text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// A domain and its number of records.
    public struct Domain: Codable, Sendable, Hashable {
        public var name: String
        public var records: Int

        public init(name: String, records: Int) {
            self.name = name
            self.records = records
        }
    }

    public var files: [File]
    public var domains: [Domain]
    public var subjects: Int
    /// The `datasetJSONCreationDateTime` every file carries.
    public var created: String

    public init(files: [File], domains: [Domain], subjects: Int, created: String) {
        self.files = files
        self.domains = domains
        self.subjects = subjects
        self.created = created
    }
}

extension SDTMExportRequest {
    /// What ltfuctl (exit 64, before asking) and ltfud (400) both refuse, in one place.
    public func validate() throws(LTFUError) {
        guard Identifier.isValid(study) else {
            throw LTFUError(.usage, code: "invalid-study",
                            "`{study}` is not a study id (--study): 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit", ["study": study])
        }
        if let created, !Self.isCreationDateTime(created) {
            throw LTFUError(.usage, code: "invalid-created",
                            "`{created}` is not a creation date and time (--created): ISO 8601 with seconds and an offset, e.g. 2028-06-01T10:00:00+08:00 or 2028-06-01T02:00:00Z", ["created": created])
        }
        if let created, (try? CalendarDate(parsing: String(created.prefix(10)))) == nil {
            throw LTFUError(.data, code: "invalid-created-day", "`{created}` (--created) is not on a real day of the calendar", ["created": created])
        }
    }

    /// The shape of Dataset-JSON 1.1's `datasetJSONCreationDateTime`, as its schema's pattern
    /// has it: `YYYY-MM-DDThh:mm:ss`, optional fraction, then `Z` or `±hh:mm`. ltfu asks for the
    /// offset the schema leaves optional, since a time without one says no instant. Whether the
    /// day is a real one (not 30 February) is checked apart: no pattern can say it.
    static func isCreationDateTime(_ text: String) -> Bool {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        let day = parts.first.map(Array.init) ?? []
        guard parts.count == 2, day.count == 10, day[4] == "-", day[7] == "-",
              day.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element.isASCII && $0.element.isNumber) })
        else { return false }
        var time = Substring(parts[1])
        func number(_ digits: Int, upTo limit: Int) -> Bool {
            let head = time.prefix(digits)
            guard head.count == digits, head.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(head), value <= limit else { return false }
            time = time.dropFirst(digits)
            return true
        }
        func literal(_ character: Character) -> Bool {
            guard time.first == character else { return false }
            time = time.dropFirst()
            return true
        }
        guard number(2, upTo: 23), literal(":"), number(2, upTo: 59), literal(":"), number(2, upTo: 59) else { return false }
        if literal(".") {
            let digits = time.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return false }
            time = time.dropFirst(digits.count)
        }
        if literal("Z") { return time.isEmpty }
        guard literal("+") || literal("-") else { return false }
        return number(2, upTo: 23) && literal(":") && number(2, upTo: 59) && time.isEmpty
    }
}
