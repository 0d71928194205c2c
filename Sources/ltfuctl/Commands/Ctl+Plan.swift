import ArgumentParser
import Foundation
import LTFUConfig
import LTFUCore
import LTFUL10n
import LTFUWire

extension Ctl {
    /// `ltfuctl plan`: a subject's visit calendar (SPEC §4), offline.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: tr("Show the follow-up calendar for a tier or a product file (offline)."),
            discussion: tr("Day 0 is the latest --infused date. With --born, a subject younger than 18 on day 0 also gets growth checks. Bad dates or product files are refused with exit 65."))

        @Option(help: ArgumentHelp(tr("The risk tier: {choices}.", ["choices": RiskTier.choices])))
        var tier: RiskTier?

        @Option(help: ArgumentHelp(tr("A product file (products.d/*.toml) to take the tier and template from."), valueName: "file"))
        var productFile: String?

        @Option(help: ArgumentHelp(tr("Folder of site templates for --product-file (default: schedules.d beside the product's folder)."), valueName: "dir"))
        var schedules: String?

        @Option(name: .customLong("infused"), help: ArgumentHelp(tr("An infusion date, YYYY-MM-DD; repeat for each infusion."), valueName: "date"))
        var infusions: [String] = []

        @Option(help: ArgumentHelp(tr("The subject's birth date, YYYY-MM-DD, for the pediatric rule."), valueName: "date"))
        var born: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (tier == nil) != (productFile == nil) else {
                throw ValidationError(tr("give either --tier or --product-file"))
            }
            guard !infusions.isEmpty else {
                throw ValidationError(tr("give at least one --infused date"))
            }
            guard schedules == nil || productFile != nil else {
                throw ValidationError(tr("--schedules goes with --product-file"))
            }
        }

        func run() throws {
            try Ctl.reporting {
                let infused = try infusions.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("infusion date")) }
                let birthDate = try born.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("birth date")) }
                let plan: FollowUpPlan
                if let tier {
                    let assignment = try TierAssignment.resolve(Self.traits(typicalOf: tier), explicit: nil, justification: nil)
                    plan = try FollowUpPlan(tier: assignment, template: .standard(for: tier), infusions: infused, birthDate: birthDate)
                } else {
                    let (catalog, product) = try loadProduct()
                    plan = try catalog.plan(for: product, infusions: infused, birthDate: birthDate)
                }
                if global.json {
                    try printJSON(PlanResponse(plan))
                } else {
                    print(Self.render(plan))
                }
            }
        }

        /// Traits that classify as `tier`, so `--tier` plans carry the table's own rationale.
        static func traits(typicalOf tier: RiskTier) -> ProductTraits {
            switch tier {
            case .nonModified: ProductTraits(modification: .none, exogenousGeneExpression: false, altersSurvivalOrDifferentiation: false)
            case .nonIntegrating: ProductTraits(modification: .mrna, exogenousGeneExpression: true, altersSurvivalOrDifferentiation: false)
            case .integrating: ProductTraits(modification: .lentiviral, exogenousGeneExpression: true, altersSurvivalOrDifferentiation: false)
            }
        }

        private func loadProduct() throws(LTFUError) -> (ProductCatalog, Product) {
            guard let productFile else { throw LTFUError(.usage, code: "usage", "give --product-file") }
            guard FileManager.default.isReadableFile(atPath: productFile) else {
                throw LTFUError(.data, code: "unreadable-file", "cannot read product file {path}", ["path": productFile])
            }
            let folder = (productFile as NSString).deletingLastPathComponent
            let schedulesFolder = schedules
                ?? (((folder.isEmpty ? "." : folder) as NSString).deletingLastPathComponent as NSString).appendingPathComponent("schedules.d")
            let catalog: ProductCatalog
            do {
                catalog = try ProductCatalog.load(productFiles: [productFile], schedulesDirectory: schedulesFolder)
            } catch {
                // The file is this command's input, so its problems are refused data (65).
                throw error.asError(kind: .data)
            }
            guard let product = catalog.products.values.first else {
                throw LTFUError(.data, code: "invalid-configuration", "{path}: holds no product", ["path": productFile])
            }
            return (catalog, product)
        }

        static func render(_ plan: FollowUpPlan) -> String {
            let age = plan.ageKnown ? (plan.pediatric ? tr("yes (younger than 18 on day 0: growth checks)") : tr("no"))
                : tr("no (birth date unknown: planned as an adult)")
            var table = TextTable(tr("VISIT"), tr("TARGET"), tr("WINDOW"), tr("MODE"), tr("ASSESSMENTS"))
            for visit in plan.visits {
                table.append(visit.code, "\(visit.target)", "\(visit.window.open) – \(visit.window.close)",
                             visit.mode.label(tr), visit.assessments.map { $0.label(tr) }.joined(separator: ", "))
            }
            let fields = [
                (tr("Tier:"), plan.tier.isOverride ? plan.tier.displayName : plan.tier.tier.label(tr)),
                (tr("Rationale:"), TierRationale.translate(plan.tier.rationale, tr)),
                (tr("Day 0:"), plan.dayZero.description),
                (tr("Pediatric:"), age),
                (tr("Follow-up ends:"), tr("{date} ({count} visits)", ["date": plan.followUpEnds.description, "count": String(plan.visits.count)])),
            ]
            let width = max(17, (fields.map(\.0.displayWidth).max() ?? 0) + 1)
            return (fields.map { $0.0.padded(toColumns: width) + $0.1 } + ["", table.render()]).joined(separator: "\n")
        }
    }
}
