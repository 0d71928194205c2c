import LTFUCore

/// One line of `<state>/notifications/YYYY-MM-DD.jsonl` (SPEC §8).
public struct NotificationLine: Codable, Sendable, Hashable {
    public var id: String
    public var kind: NotificationKind
    public var site: String
    public var subject: String
    public var visit: String?
    public var tier: RiskTier
    public var target: CalendarDate?
    public var windowOpen: CalendarDate?
    public var windowClose: CalendarDate?
    public var date: CalendarDate
    public var message: String

    public init(id: String, kind: NotificationKind, site: String, subject: String, visit: String?, tier: RiskTier,
                target: CalendarDate?, windowOpen: CalendarDate?, windowClose: CalendarDate?, date: CalendarDate, message: String)
    {
        self.id = id
        self.kind = kind
        self.site = site
        self.subject = subject
        self.visit = visit
        self.tier = tier
        self.target = target
        self.windowOpen = windowOpen
        self.windowClose = windowClose
        self.date = date
        self.message = message
    }

    /// Every key, `null` where a subject-ended notification has no visit.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(site, forKey: .site)
        try c.encode(subject, forKey: .subject)
        try c.encode(visit, forKey: .visit)
        try c.encode(tier, forKey: .tier)
        try c.encode(target, forKey: .target)
        try c.encode(windowOpen, forKey: .windowOpen)
        try c.encode(windowClose, forKey: .windowClose)
        try c.encode(date, forKey: .date)
        try c.encode(message, forKey: .message)
    }
}

/// A row of `ltfuctl notifications` (SPEC §8).
public struct NotificationEntry: Codable, Sendable, Hashable {
    public var id: String
    public var kind: NotificationKind
    public var subject: String
    public var visit: String?
    public var date: CalendarDate
    public var emittedAt: String?

    public init(id: String, kind: NotificationKind, subject: String, visit: String?, date: CalendarDate, emittedAt: String?) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.visit = visit
        self.date = date
        self.emittedAt = emittedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(subject, forKey: .subject)
        try c.encode(visit, forKey: .visit)
        try c.encode(date, forKey: .date)
        try c.encode(emittedAt, forKey: .emittedAt)
    }
}
