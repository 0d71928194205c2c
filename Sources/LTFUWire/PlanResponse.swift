import LTFUCore

/// `ltfuctl plan --json` (SPEC §8): the calendar of one subject.
public struct PlanResponse: Codable, Sendable, Hashable {
    public var tier: RiskTier
    public var dayZero: CalendarDate
    public var followUpEnds: CalendarDate
    public var pediatric: Bool
    public var visits: [Visit]
    /// Present only when the tier is an override (SPEC §3: shown wherever the tier is shown).
    public var tierOverride: TierOverride?

    public struct Visit: Codable, Sendable, Hashable {
        public var code: String
        public var month: Int
        public var target: CalendarDate
        public var windowOpen: CalendarDate
        public var windowClose: CalendarDate
        public var mode: VisitMode
        public var assessments: [Assessment]
    }

    public struct TierOverride: Codable, Sendable, Hashable {
        /// The tier the classification table gives, or `nil` when it gives none.
        public var computed: RiskTier?
        public var justification: String?
    }

    public init(_ plan: FollowUpPlan) {
        tier = plan.tier.tier
        dayZero = plan.dayZero
        followUpEnds = plan.followUpEnds
        pediatric = plan.pediatric
        visits = plan.visits.map {
            Visit(code: $0.code, month: $0.month, target: $0.target, windowOpen: $0.window.open,
                  windowClose: $0.window.close, mode: $0.mode, assessments: $0.assessments)
        }
        tierOverride = plan.tier.isOverride
            ? TierOverride(computed: plan.tier.computedTier, justification: plan.tier.justification) : nil
    }
}

/// `ltfuctl classify --json` (SPEC §8).
public struct ClassifyResponse: Codable, Sendable, Hashable {
    public var tier: RiskTier
    public var rationale: String

    public init(_ classification: TierClassification) {
        tier = classification.tier
        rationale = classification.rationale
    }
}
