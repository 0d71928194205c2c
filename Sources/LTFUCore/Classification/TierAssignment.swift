/// The tier a product is followed in: the computed one, or an explicit `tier` from the product
/// file. SPEC §3: an explicit tier below the computed one (or where none can be computed)
/// needs a `justification`, and is shown as an override wherever the tier is shown.
public struct TierAssignment: Sendable, Hashable, Codable {
    public var tier: RiskTier
    public var rationale: String
    /// The tier the traits lead to, or `nil` when the table gives none.
    public var computedTier: RiskTier?
    /// True when `tier` is not the computed tier.
    public var isOverride: Bool
    public var justification: String?

    public init(tier: RiskTier, rationale: String, computedTier: RiskTier?, isOverride: Bool, justification: String?) {
        self.tier = tier
        self.rationale = rationale
        self.computedTier = computedTier
        self.isOverride = isOverride
        self.justification = justification
    }

    /// Resolves the tier of a product from its traits and its optional explicit tier.
    public static func resolve(_ traits: ProductTraits, explicit: RiskTier?, justification: String?)
        throws(LTFUError) -> TierAssignment
    {
        let justification = justification.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces }
        let computed: TierClassification
        switch TierClassification.decide(traits) {
        case .success(let classification):
            computed = classification
        case .failure(let refusal):
            guard let explicit, let justification else { throw refusal.error }
            return TierAssignment(
                tier: explicit,
                rationale: "override: no automatic tier (\(refusal.reason)); set to \(explicit.rawValue): \(justification)",
                computedTier: nil, isOverride: true, justification: justification)
        }
        guard let explicit, explicit != computed.tier else {
            return TierAssignment(tier: computed.tier, rationale: computed.rationale,
                                  computedTier: computed.tier, isOverride: false, justification: justification)
        }
        if explicit < computed.tier, justification == nil {
            throw LTFUError(.data, code: "override-needs-justification",
                            "tier `{tier}` is below the computed tier `{computed}` ({rationale}); lowering a tier needs a `justification`",
                            ["tier": explicit.rawValue, "computed": computed.tier.rawValue, "rationale": computed.rationale])
        }
        let direction = explicit < computed.tier ? "below" : "above"
        return TierAssignment(
            tier: explicit,
            rationale: "override: set to \(explicit.rawValue), \(direction) the computed \(computed.tier.rawValue)\(justification.map { ": \($0)" } ?? "")",
            computedTier: computed.tier, isOverride: true, justification: justification)
    }

    /// The tier as shown to people: `integrating`, or `non-modified (override; computed non-integrating)`.
    public var displayName: String {
        guard isOverride else { return tier.rawValue }
        return "\(tier.rawValue) (override; computed \(computedTier?.rawValue ?? "none"))"
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
