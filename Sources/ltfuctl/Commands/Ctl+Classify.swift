import ArgumentParser
import LTFUCore
import LTFUL10n
import LTFUWire

extension Modification: ExpressibleByArgument {}
extension RiskTier: ExpressibleByArgument {}

extension Ctl {
    /// `ltfuctl classify`: the tier a product's traits lead to (SPEC §3), offline.
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classify",
            abstract: tr("Show the risk tier and rationale for a product's traits (offline)."),
            discussion: tr("A product the table cannot classify is refused with exit 65 and the rule on stderr."))

        @Option(help: ArgumentHelp(tr("How the cells were changed: {choices}.", ["choices": Modification.choices])))
        var modification: Modification

        @Option(help: ArgumentHelp(tr("Whether the product expresses an exogenous gene (true or false).")))
        var exogenousExpression: Bool

        @Option(help: ArgumentHelp(tr("Whether ex vivo manipulation alters cell survival or differentiation (true or false).")))
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
                    let fields = [(tr("Tier:"), classification.tier.label(tr)), (tr("Rationale:"), TierRationale.translate(classification.rationale, tr))]
                    let width = max(12, (fields.map(\.0.displayWidth).max() ?? 0) + 1)
                    for (label, value) in fields { print(label.padded(toColumns: width) + value) }
                }
            }
        }
    }
}
