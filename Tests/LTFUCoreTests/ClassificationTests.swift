import LTFUCore
import Testing

/// SPEC §3's table, row by row, including every refusal.
@Suite struct ClassificationTests {
    func traits(_ modification: Modification, expression: Bool, alters: Bool = false) -> ProductTraits {
        ProductTraits(modification: modification, exogenousGeneExpression: expression, altersSurvivalOrDifferentiation: alters)
    }

    @Test(arguments: [Modification.lentiviral, .gammaretroviral, .transposon])
    func integratingVector_isIntegrating(_ modification: Modification) throws {
        for (expression, alters) in [(true, false), (true, true), (false, false)] {
            let result = try TierClassification.classify(traits(modification, expression: expression, alters: alters))
            #expect(result.tier == .integrating)
            #expect(result.rationale.contains("integrating vector"))
            #expect(result.rationale.contains("CDE 2021"))
        }
    }

    @Test func genomeEditing_isIntegrating_withOrWithoutExpression() throws {
        for expression in [true, false] {
            let result = try TierClassification.classify(traits(.genomeEditing, expression: expression))
            #expect(result.tier == .integrating)
            #expect(result.rationale.contains("FDA 2020"))
        }
    }

    @Test(arguments: [Modification.mrna, .protein, .plasmid, .adenoviral, .aav])
    func nonIntegratingDelivery_withExpression_isNonIntegrating(_ modification: Modification) throws {
        for alters in [false, true] {
            let result = try TierClassification.classify(traits(modification, expression: true, alters: alters))
            #expect(result.tier == .nonIntegrating)
            #expect(result.rationale.contains("at least 5 years"))
        }
    }

    @Test(arguments: [Modification.mrna, .protein, .plasmid, .adenoviral, .aav])
    func nonIntegratingDelivery_withoutExpression_isRefusedAsContradictory(_ modification: Modification) throws {
        let error = try #require(throws: LTFUError.self) { try TierClassification.classify(traits(modification, expression: false)) }
        #expect(error.code == "unclassifiable-product")
        #expect(error.kind == .data)
        #expect(error.message.contains("contradictory"))
        #expect(error.message.contains("`tier`") && error.message.contains("`justification`"))
    }

    @Test func none_unchanged_isNonModified() throws {
        let result = try TierClassification.classify(traits(.none, expression: false))
        #expect(result.tier == .nonModified)
        #expect(result.rationale.contains("at least 1 year"))
    }

    @Test func none_withExpression_isRefusedAsContradictory() throws {
        for alters in [false, true] {
            let error = try #require(throws: LTFUError.self) { try TierClassification.classify(traits(.none, expression: true, alters: alters)) }
            #expect(error.message.contains("exogenous_gene_expression = true is contradictory"))
        }
    }

    @Test func none_alteringSurvival_hasNoAutomaticTier() throws {
        let error = try #require(throws: LTFUError.self) { try TierClassification.classify(traits(.none, expression: false, alters: true)) }
        #expect(error.code == "unclassifiable-product")
        #expect(error.message.contains("alters_survival_or_differentiation = true has no automatic tier"))
    }

    @Test func override_belowComputed_needsJustification() throws {
        let error = try #require(throws: LTFUError.self) {
            try TierAssignment.resolve(traits(.mrna, expression: true), explicit: .nonModified, justification: nil)
        }
        #expect(error.code == "override-needs-justification")
        let blank = try #require(throws: LTFUError.self) {
            try TierAssignment.resolve(traits(.mrna, expression: true), explicit: .nonModified, justification: "   ")
        }
        #expect(blank.code == "override-needs-justification")
        let lowered = try TierAssignment.resolve(traits(.mrna, expression: true), explicit: .nonModified,
                                                 justification: "mRNA expression lasts under 10 days (study 12)")
        #expect(lowered.tier == .nonModified)
        #expect(lowered.isOverride)
        #expect(lowered.computedTier == .nonIntegrating)
        #expect(lowered.displayName == "non-modified (override; computed non-integrating)")
        #expect(lowered.rationale.contains("mRNA expression lasts under 10 days"))
    }

    @Test func override_aboveComputed_needsNoJustification_butIsShown() throws {
        let raised = try TierAssignment.resolve(traits(.none, expression: false), explicit: .integrating, justification: nil)
        #expect(raised.tier == .integrating)
        #expect(raised.isOverride)
        #expect(raised.displayName.contains("override"))
    }

    @Test func explicitTier_equalToComputed_isNoOverride() throws {
        let same = try TierAssignment.resolve(traits(.lentiviral, expression: true), explicit: .integrating, justification: nil)
        #expect(!same.isOverride)
        #expect(same.displayName == "integrating")
    }

    @Test func unclassifiable_withExplicitTierAndJustification_isAccepted() throws {
        let assigned = try TierAssignment.resolve(traits(.none, expression: false, alters: true), explicit: .nonIntegrating,
                                                  justification: "cytokine priming alters persistence")
        #expect(assigned.tier == .nonIntegrating)
        #expect(assigned.computedTier == nil)
        #expect(assigned.isOverride)
        #expect(assigned.displayName == "non-integrating (override; computed none)")
        let withoutJustification = try #require(throws: LTFUError.self) {
            try TierAssignment.resolve(traits(.none, expression: false, alters: true), explicit: .nonIntegrating, justification: nil)
        }
        #expect(withoutJustification.code == "unclassifiable-product")
    }

    @Test func tiers_carryTheGuidelineMinimum() {
        #expect(RiskTier.allCases.map(\.minimumYears) == [1, 5, 15])
        #expect(RiskTier.nonModified < .nonIntegrating && RiskTier.nonIntegrating < .integrating)
    }

    @Test func identifiers_followThePseudonymPattern() {
        for good in ["S01-0001", "a", "A.b_c-d", String(repeating: "x", count: 64)] { #expect(Identifier.isValid(good)) }
        for bad in ["", "-abc", ".x", "a b", "née", "a/b", "x\ny", String(repeating: "x", count: 65), "a:b"] {
            #expect(!Identifier.isValid(bad), "\(bad)")
        }
    }
}
