import ArgumentParser
import LTFUCore
import LTFUWire

extension Modification: ExpressibleByArgument {}
extension RiskTier: ExpressibleByArgument {}

extension Ctl {
    /// `ltfuctl classify`: the tier a product's traits lead to (SPEC §3), offline.
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classify",
            abstract: "Show the risk tier and rationale for a product's traits (offline).",
            discussion: "A product the table cannot classify is refused with exit 65 and the rule on stderr.")

        @Option(help: "How the cells were changed: \(Modification.choices).")
        var modification: Modification

        @Option(help: "Whether the product expresses an exogenous gene (true or false).")
        var exogenousExpression: Bool

        @Option(help: "Whether ex vivo manipulation alters cell survival or differentiation (true or false).")
        var altersSurvival: Bool

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Ctl.reporting {
                let classification = try TierClassification.classify(ProductTraits(
                    modification: modification, exogenousGeneExpression: exogenousExpression,
                    altersSurvivalOrDifferentiation: altersSurvival))
                if global.json {
                    try printJSON(ClassifyResponse(classification))
                } else {
                    print("Tier:       \(classification.tier.rawValue)")
                    print("Rationale:  \(classification.rationale)")
                }
            }
        }
    }
}
