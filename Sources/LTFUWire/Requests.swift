import Foundation

/// Bodies the control API accepts (SPEC §8). Dates travel as strings and are parsed by the
/// daemon, so a bad date gets the same message as on the command line. Unknown fields are
/// refused: a misspelt field must not be silently ignored.
public struct EnrollRequest: Codable, Sendable, Hashable {
    public var code: String
    public var product: String
    public var infused: [String]
    public var born: String?
    /// SPEC §11: the consent given at enrollment (both or neither).
    public var consentOn: String?
    public var consentBy: String?

    public init(code: String, product: String, infused: [String], born: String?, consentOn: String? = nil, consentBy: String? = nil) {
        self.code = code
        self.product = product
        self.infused = infused
        self.born = born
        self.consentOn = consentOn
        self.consentBy = consentBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case code, product, infused, born, consentOn, consentBy }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        product = try container.decode(String.self, forKey: .product)
        infused = try container.decode([String].self, forKey: .infused)
        born = try container.decodeIfPresent(String.self, forKey: .born)
        consentOn = try container.decodeIfPresent(String.self, forKey: .consentOn)
        consentBy = try container.decodeIfPresent(String.self, forKey: .consentBy)
    }
}

public struct InfuseRequest: Codable, Sendable, Hashable {
    public var on: String

    public init(on: String) { self.on = on }

    enum CodingKeys: String, CodingKey, CaseIterable { case on }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        on = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .on)
    }
}

public struct RecordRequest: Codable, Sendable, Hashable {
    public var on: String
    public var note: String?

    public init(on: String, note: String?) {
        self.on = on
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case on, note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        on = try container.decode(String.self, forKey: .on)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

public struct MissRequest: Codable, Sendable, Hashable {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
}

public struct EndRequest: Codable, Sendable, Hashable {
    public var reason: String
    public var on: String
    /// SPEC §11: end as lost to follow-up without the retention evidence; needs `note`.
    public var force: Bool?
    public var note: String?

    public init(reason: String, on: String, force: Bool? = nil, note: String? = nil) {
        self.reason = reason
        self.on = on
        self.force = force
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason, on, force, note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reason = try container.decode(String.self, forKey: .reason)
        on = try container.decode(String.self, forKey: .on)
        force = try container.decodeIfPresent(Bool.self, forKey: .force)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `POST /v1/subjects/{code}/contacts` (SPEC §11).
public struct ContactRequest: Codable, Sendable, Hashable {
    public var on: String
    public var by: String
    public var outcome: String
    public var visit: String?
    public var note: String?

    public init(on: String, by: String, outcome: String, visit: String?, note: String?) {
        self.on = on
        self.by = by
        self.outcome = outcome
        self.visit = visit
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case on, by, outcome, visit, note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        on = try container.decode(String.self, forKey: .on)
        by = try container.decode(String.self, forKey: .by)
        outcome = try container.decode(String.self, forKey: .outcome)
        visit = try container.decodeIfPresent(String.self, forKey: .visit)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `POST /v1/subjects/{code}/consents` (SPEC §11).
public struct ConsentRequest: Codable, Sendable, Hashable {
    public var on: String
    public var by: String
    public var form: String?

    public init(on: String, by: String, form: String?) {
        self.on = on
        self.by = by
        self.form = form
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case on, by, form }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        on = try container.decode(String.self, forKey: .on)
        by = try container.decode(String.self, forKey: .by)
        form = try container.decodeIfPresent(String.self, forKey: .form)
    }
}

/// Any key, for listing what a JSON object holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension Decoder {
    /// Throws when the object has a key that `Keys` does not list.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let container = try container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "unknown field `\(unknown)` (expected: \(Keys.allCases.map(\.stringValue).joined(separator: ", ")))"))
        }
    }
}

/// `POST /v1/subjects/{code}/visits/{visit}/results` (SPEC §10).
public struct ResultRequest: Codable, Sendable, Hashable {
    public var assessment: String
    public var value: String
    /// `YYYY-MM-DD`; the visit's done date when absent.
    public var on: String?
    public var sample: String?
    public var percent: Double?
    public var note: String?

    public init(assessment: String, value: String, on: String?, sample: String?, percent: Double?, note: String?) {
        self.assessment = assessment
        self.value = value
        self.on = on
        self.sample = sample
        self.percent = percent
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case assessment, value, on, sample, percent, note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assessment = try container.decode(String.self, forKey: .assessment)
        value = try container.decode(String.self, forKey: .value)
        on = try container.decodeIfPresent(String.self, forKey: .on)
        sample = try container.decodeIfPresent(String.self, forKey: .sample)
        percent = try container.decodeIfPresent(Double.self, forKey: .percent)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `POST /v1/subjects/{code}/events` (SPEC §10).
public struct EventRequest: Codable, Sendable, Hashable {
    public var kind: String
    public var on: String
    /// `yes`, `no` or `unknown` (the default).
    public var related: String?
    public var note: String?

    public init(kind: String, on: String, related: String?, note: String?) {
        self.kind = kind
        self.on = on
        self.related = related
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, on, related, note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        on = try container.decode(String.self, forKey: .on)
        related = try container.decodeIfPresent(String.self, forKey: .related)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `POST /v1/signals/{id}/ack` (SPEC §10).
public struct AckRequest: Codable, Sendable, Hashable {
    public var note: String?

    public init(note: String?) { self.note = note }

    enum CodingKeys: String, CodingKey, CaseIterable { case note }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        note = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .note)
    }
}
