import LTFUCore

/// A contact attempt in `show` (SPEC §11).
public struct ContactEntry: Codable, Sendable, Hashable {
    public var on: CalendarDate
    public var by: ContactMethod
    public var outcome: ContactOutcome
    /// The visit it was about, if any.
    public var visit: String?

    public init(on: CalendarDate, by: ContactMethod, outcome: ContactOutcome, visit: String?) {
        self.on = on
        self.by = by
        self.outcome = outcome
        self.visit = visit
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(on, forKey: .on)
        try c.encode(by, forKey: .by)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(visit, forKey: .visit)
    }
}

/// A consent in `show` (SPEC §11).
public struct ConsentEntry: Codable, Sendable, Hashable {
    public var on: CalendarDate
    public var by: ConsentGiver
    /// The form's version, if given.
    public var form: String?

    public init(on: CalendarDate, by: ConsentGiver, form: String?) {
        self.on = on
        self.by = by
        self.form = form
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(on, forKey: .on)
        try c.encode(by, forKey: .by)
        try c.encode(form, forKey: .form)
    }
}
