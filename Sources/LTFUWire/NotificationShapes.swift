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
    /// SPEC §10, where they apply: the visit's purpose (unscheduled visits) and the finding.
    public var purpose: VisitPurpose?
    public var signal: SignalKind?
    public var assessment: Assessment?
    public var value: String?
    public var eventKind: SafetyEventKind?
    public var product: String?
    public var rule: StoppingRule?
    public var count: Int?
    public var threshold: Int?
    /// The signal an escalation repeats.
    public var signalId: String?

    public init(id: String, kind: NotificationKind, site: String, subject: String, visit: String?, tier: RiskTier,
                target: CalendarDate?, windowOpen: CalendarDate?, windowClose: CalendarDate?, date: CalendarDate, message: String,
                purpose: VisitPurpose? = nil, finding: NotificationFinding? = nil)
    {
        self.purpose = purpose
        signal = finding?.signal
        assessment = finding?.assessment
        value = finding?.value
        eventKind = finding?.eventKind
        product = finding?.product
        rule = finding?.rule
        count = finding?.count
        threshold = finding?.threshold
        signalId = finding?.signalId
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
        try c.encodeIfPresent(purpose, forKey: .purpose)
        try c.encodeIfPresent(signal, forKey: .signal)
        try c.encodeIfPresent(assessment, forKey: .assessment)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(eventKind, forKey: .eventKind)
        try c.encodeIfPresent(product, forKey: .product)
        try c.encodeIfPresent(rule, forKey: .rule)
        try c.encodeIfPresent(count, forKey: .count)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encodeIfPresent(signalId, forKey: .signalId)
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
    /// SPEC §10: the visit's purpose when it is unscheduled, and a safety notification's signal.
    public var purpose: VisitPurpose?
    public var signal: SignalKind?

    public init(id: String, kind: NotificationKind, subject: String, visit: String?, date: CalendarDate, emittedAt: String?,
                purpose: VisitPurpose? = nil, signal: SignalKind? = nil)
    {
        self.purpose = purpose
        self.signal = signal
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
        try c.encodeIfPresent(purpose, forKey: .purpose)
        try c.encodeIfPresent(signal, forKey: .signal)
    }
}
