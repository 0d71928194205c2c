/// How a site tried to reach a subject (SPEC §11). ltfu keeps what was tried and when, never
/// the contact details themselves.
public enum ContactMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case phone, letter, email
    case inPerson = "in-person"
    /// A national death or cancer registry, or a population register.
    case registry
    case other

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What came of an attempt. Anything but `reached` is a failed attempt (SPEC §11).
public enum ContactOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case reached
    case noAnswer = "no-answer"
    case declined
    case wrongContact = "wrong-contact"

    public var isFailure: Bool { self != .reached }

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
