import LTFUL10n

/// What a safety notification is about (SPEC §10): the signal, the result or event behind it,
/// the product, a stopping rule's count. Codes, numbers and dates only: never a note.
public struct NotificationFinding: Sendable, Hashable {
    public var signal: SignalKind?
    public var assessment: Assessment?
    public var value: String?
    public var eventKind: SafetyEventKind?
    public var related: Relatedness?
    public var product: String?
    public var rule: StoppingRule?
    public var count: Int?
    public var threshold: Int?
    /// What followed, in words made from codes and dates (the visit added, the visits changed).
    public var detail: String?
    /// For an escalation: the day its signal was raised, and the signal's notification id.
    public var raisedOn: CalendarDate?
    public var signalId: String?

    public init(signal: SignalKind? = nil, assessment: Assessment? = nil, value: String? = nil,
                eventKind: SafetyEventKind? = nil, related: Relatedness? = nil, product: String? = nil,
                rule: StoppingRule? = nil, count: Int? = nil, threshold: Int? = nil, detail: String? = nil,
                raisedOn: CalendarDate? = nil, signalId: String? = nil)
    {
        self.signal = signal
        self.assessment = assessment
        self.value = value
        self.eventKind = eventKind
        self.related = related
        self.product = product
        self.rule = rule
        self.count = count
        self.threshold = threshold
        self.detail = detail
        self.raisedOn = raisedOn
        self.signalId = signalId
    }

    /// `rcl-test positive at M3`, `new-malignancy (related: unknown)`: what was found.
    public func describe(visit: String?, language: Language = .english) -> String {
        let tr = Localizer(language)
        if let assessment, let value {
            let (assessment, value) = (assessment.label(tr), ResultVocabulary.label(value: value, tr))
            return visit.map { tr("{assessment} {value} at {visit}", ["assessment": assessment, "value": value, "visit": $0]) }
                ?? "\(assessment) \(value)"
        }
        if let eventKind {
            return tr("{event} (related: {related})", ["event": eventKind.label(tr), "related": (related ?? .unknown).label(tr)])
        }
        return signal?.label(tr) ?? tr("finding")
    }
}
