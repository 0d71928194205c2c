import LTFUCore
import LTFUL10n
import Testing

/// A tier's rationale is stored in English (JSON answers carry it so) and read back to be said
/// in Chinese: every rule reads back as written, and an override's words stay as they are.
@Suite struct TierRationaleTests {
    @Test func everyRule_readsBackAsWritten() throws {
        for modification in Modification.allCases {
            let traits = ProductTraits(modification: modification, exogenousGeneExpression: modification != .none,
                                       altersSurvivalOrDifferentiation: false)
            let rationale = try TierClassification.classify(traits).rationale
            let known = try #require(TierRationale(words: rationale), "\(modification): \(rationale)")
            #expect(known.english == rationale)
            let chinese = TierRationale.translate(rationale, Localizer(.chinese))
            #expect(chinese != rationale && chinese.contains("CDE 2021"), "\(chinese)")
        }
        #expect(TierRationale.nonModified.english
            == "no exogenous gene expression and survival/differentiation unchanged: non-modified tier, at least 1 year and not shorter than the cells' natural survival (CDE 2021 §三(一))")
    }

    @Test func anOverride_staysAsItIs() {
        let override = "override: set to integrating, above the computed non-integrating: sponsor's request"
        #expect(TierRationale.translate(override, Localizer(.chinese)) == override)
    }
}
