/// The three follow-up tiers of CDE 2021 §三(一), ordered from least to most follow-up.
public enum RiskTier: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// No exogenous gene expression; ex vivo manipulation leaves survival and differentiation
    /// unchanged. CDE 2021 §三(一): not shorter than the cells' natural survival, ≥ 1 year.
    case nonModified = "non-modified"
    /// Exogenous gene expression with no (or low) risk of integration or recombination.
    /// CDE 2021 §三(一): ≥ 5 years.
    case nonIntegrating = "non-integrating"
    /// Exogenous gene expression through an integrating vector, or a recombination risk, or
    /// genome editing. CDE 2021 §三(一) and FDA 2020 LTFU guidance: ≥ 15 years.
    case integrating

    /// The guideline's minimum length of follow-up.
    public var minimumYears: Int {
        switch self {
        case .nonModified: 1
        case .nonIntegrating: 5
        case .integrating: 15
        }
    }

    public var minimumMonths: Int { minimumYears * 12 }

    private var rank: Int {
        switch self {
        case .nonModified: 0
        case .nonIntegrating: 1
        case .integrating: 2
        }
    }

    public static func < (lhs: RiskTier, rhs: RiskTier) -> Bool { lhs.rank < rhs.rank }

    /// Accepted spellings, for messages.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
