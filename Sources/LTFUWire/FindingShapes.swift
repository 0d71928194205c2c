import LTFUCore

/// A visit's result in `show` (SPEC §10): the current one of each assessment.
public struct ResultEntry: Codable, Sendable, Hashable {
    public var assessment: Assessment
    public var value: String
    public var on: CalendarDate
    public var sample: String?
    public var percent: Double?
    /// True when this result corrected an earlier one (the history is in the audit trail).
    public var corrected: Bool

    public init(assessment: Assessment, value: String, on: CalendarDate, sample: String?, percent: Double?, corrected: Bool) {
        self.assessment = assessment
        self.value = value
        self.on = on
        self.sample = sample
        self.percent = percent
        self.corrected = corrected
    }

    // Every contract key, `null` where absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assessment, forKey: .assessment)
        try c.encode(value, forKey: .value)
        try c.encode(on, forKey: .on)
        try c.encode(sample, forKey: .sample)
        try c.encode(percent, forKey: .percent)
        try c.encode(corrected, forKey: .corrected)
    }
}

/// A safety event in `show` (SPEC §10).
public struct EventEntry: Codable, Sendable, Hashable {
    public var kind: SafetyEventKind
    public var on: CalendarDate
    public var related: Relatedness

    public init(kind: SafetyEventKind, on: CalendarDate, related: Relatedness) {
        self.kind = kind
        self.on = on
        self.related = related
    }
}

/// A row of `ltfuctl signals` and the answer of `ack` (SPEC §10): a `safety-signal` or a
/// `stopping-rule` notification; `id` is what `ack` takes.
public struct SignalEntry: Codable, Sendable, Hashable {
    public var id: String
    public var kind: NotificationKind
    /// The signal (`rcl`, `rcl-confirmed`, …); `null` for a stopping rule.
    public var signal: SignalKind?
    public var subject: String
    public var visit: String?
    public var product: String?
    /// The date of the finding, event or latest contribution to the rule.
    public var date: CalendarDate
    public var acknowledged: Bool
    public var acknowledgedAt: String?
    public var acknowledgedBy: String?
    public var assessment: Assessment?
    public var value: String?
    public var eventKind: SafetyEventKind?
    public var rule: StoppingRule?
    public var count: Int?
    public var threshold: Int?
    /// What followed (the visit added, the visits changed), in words.
    public var detail: String?

    public init(id: String, kind: NotificationKind, signal: SignalKind?, subject: String, visit: String?, product: String?,
                date: CalendarDate, acknowledgedAt: String?, acknowledgedBy: String?, assessment: Assessment?, value: String?,
                eventKind: SafetyEventKind?, rule: StoppingRule?, count: Int?, threshold: Int?, detail: String?)
    {
        self.id = id
        self.kind = kind
        self.signal = signal
        self.subject = subject
        self.visit = visit
        self.product = product
        self.date = date
        acknowledged = acknowledgedAt != nil
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.assessment = assessment
        self.value = value
        self.eventKind = eventKind
        self.rule = rule
        self.count = count
        self.threshold = threshold
        self.detail = detail
    }

    // The contract keys always, `null` where absent; the rest only where they apply.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(signal, forKey: .signal)
        try c.encode(subject, forKey: .subject)
        try c.encode(visit, forKey: .visit)
        try c.encode(product, forKey: .product)
        try c.encode(date, forKey: .date)
        try c.encode(acknowledged, forKey: .acknowledged)
        try c.encodeIfPresent(acknowledgedAt, forKey: .acknowledgedAt)
        try c.encodeIfPresent(acknowledgedBy, forKey: .acknowledgedBy)
        try c.encodeIfPresent(assessment, forKey: .assessment)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(eventKind, forKey: .eventKind)
        try c.encodeIfPresent(rule, forKey: .rule)
        try c.encodeIfPresent(count, forKey: .count)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encodeIfPresent(detail, forKey: .detail)
    }
}

/// A product's stopping rule in `status` (SPEC §10).
public struct StoppingRuleEntry: Codable, Sendable, Hashable {
    public var product: String
    public var rule: StoppingRule
    public var count: Int
    /// 0 when the rule is off.
    public var threshold: Int
    /// Met and not yet acknowledged: `status` shows STOPPING RULE MET.
    public var met: Bool
    /// The notification to acknowledge while `met`.
    public var id: String?

    public init(product: String, rule: StoppingRule, count: Int, threshold: Int, met: Bool, id: String?) {
        self.product = product
        self.rule = rule
        self.count = count
        self.threshold = threshold
        self.met = met
        self.id = id
    }
}
