import LTFUCore
import Testing

/// `d("2024-02-29")`: a date literal for tests; an invalid literal fails the test.
func d(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CalendarDate {
    do {
        return try CalendarDate(parsing: text)
    } catch {
        Issue.record("bad date literal \(text): \(error)", sourceLocation: sourceLocation)
        return CalendarDate(dayNumber: 0)
    }
}

func assignment(_ tier: RiskTier) -> TierAssignment {
    TierAssignment(tier: tier, rationale: "test", computedTier: tier, isOverride: false, justification: nil)
}

func makePlan(_ tier: RiskTier, infused: [String], born: String? = nil) throws -> FollowUpPlan {
    try FollowUpPlan(tier: assignment(tier), template: .standard(for: tier), infusions: infused.map { d($0) },
                     birthDate: born.map { d($0) })
}
