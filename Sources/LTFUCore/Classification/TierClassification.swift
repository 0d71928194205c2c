/// The tier a product's traits lead to, with the rule that decided it.
///
/// This file is the one place that holds SPEC §3's classification table
/// (CDE 2021 §三(一); FDA 2020 LTFU guidance for genome editing).
public struct TierClassification: Sendable, Hashable {
    public var tier: RiskTier
    /// One line that cites the rule, shown to coordinators beside the tier.
    public var rationale: String

    public init(tier: RiskTier, rationale: String) {
        self.tier = tier
        self.rationale = rationale
    }

    /// Applies the table, or throws `unclassifiable-product` naming the rule and the fix.
    public static func classify(_ traits: ProductTraits) throws(LTFUError) -> TierClassification {
        switch decide(traits) {
        case .success(let classification):
            return classification
        case .failure(let refusal):
            throw refusal.error
        }
    }

    /// Why the table gives no tier: the rule that refuses, in one sentence.
    public struct Refusal: Error, Sendable, Hashable {
        /// The rule, as a sentence read in the reader's language (issue #22).
        public var rule: LTFUError
        /// The rule in English, as an override's rationale records it.
        public var reason: String { rule.message }

        /// The refusal as the error a coordinator sees: the rule, then what to set.
        public var error: LTFUError {
            LTFUError(.data, code: "unclassifiable-product",
                      "{reason}. Correct the product's traits, or set `tier` explicitly with a `justification` in the product file", ["reason": rule])
        }
    }

    /// The table itself. Integrating vectors and genome editing decide the tier by themselves:
    /// the integration or the genomic change is the risk, whatever is expressed.
    public static func decide(_ traits: ProductTraits) -> Result<TierClassification, Refusal> {
        let modification = traits.modification
        if modification.isIntegratingVector {
            // CDE 2021 §三(一): integrating vector → ≥ 15 years.
            return .success(TierClassification(
                tier: .integrating,
                rationale: TierRationale.integratingVector(modification).english))
        }
        if modification == .genomeEditing {
            // FDA 2020 LTFU guidance: genome editing is a permanent change → 15 years.
            return .success(TierClassification(
                tier: .integrating,
                rationale: TierRationale.genomeEditing.english))
        }
        if modification.isNonIntegratingDelivery {
            guard traits.exogenousGeneExpression else {
                return .failure(Refusal(rule: LTFUError(.data, code: "unclassifiable-product",
                    "modification `{modification}` with exogenous_gene_expression = false is contradictory: {modification} is used to express a gene",
                    ["modification": modification.rawValue])))
            }
            // CDE 2021 §三(一): exogenous expression, no or low integration risk → ≥ 5 years.
            return .success(TierClassification(
                tier: .nonIntegrating,
                rationale: TierRationale.nonIntegratingDelivery(modification).english))
        }
        // modification == .none
        guard !traits.exogenousGeneExpression else {
            return .failure(Refusal(rule: LTFUError(.data, code: "unclassifiable-product",
                "modification `none` with exogenous_gene_expression = true is contradictory: an unmodified product expresses no exogenous gene")))
        }
        guard !traits.altersSurvivalOrDifferentiation else {
            return .failure(Refusal(rule: LTFUError(.data, code: "unclassifiable-product",
                "modification `none` with alters_survival_or_differentiation = true has no automatic tier: CDE 2021 §三(一) gives the 1-year minimum only to cells whose survival and differentiation are unchanged")))
        }
        // CDE 2021 §三(一): no exogenous expression, survival/differentiation unchanged → ≥ 1 year.
        return .success(TierClassification(
            tier: .nonModified,
            rationale: TierRationale.nonModified.english))
    }
}
