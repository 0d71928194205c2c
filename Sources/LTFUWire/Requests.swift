import Foundation

/// Bodies the control API accepts (SPEC §8). Dates travel as strings and are parsed by the
/// daemon, so a bad date gets the same message as on the command line. Unknown fields are
/// refused: a misspelt field must not be silently ignored.
public struct EnrollRequest: Codable, Sendable, Hashable {
    public var code: String
    public var product: String
    public var infused: [String]
    public var born: String?

    public init(code: String, product: String, infused: [String], born: String?) {
        self.code = code
        self.product = product
        self.infused = infused
        self.born = born
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case code, product, infused, born }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        product = try container.decode(String.self, forKey: .product)
        infused = try container.decode([String].self, forKey: .infused)
        born = try container.decodeIfPresent(String.self, forKey: .born)
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

    public init(reason: String, on: String) {
        self.reason = reason
        self.on = on
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason, on }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reason = try container.decode(String.self, forKey: .reason)
        on = try container.decode(String.self, forKey: .on)
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
