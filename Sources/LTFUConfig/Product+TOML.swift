import Foundation
import LTFUCore

extension Product {
    /// Reads one product from a parsed file; `nil` when any key is wrong (each is logged).
    static func read(_ file: TOMLSection) -> Product? {
        let id = file.string("id", required: true)
        if let id, !Identifier.isValid(id) {
            file.problem("id", "`\(id)` is not a valid id (letters, digits, `.`, `_`, `-`; at most 64; starting with a letter or digit)")
        }
        let name = file.string("name", required: true)
        let cellType = file.string("cell_type", required: true)
        let modification = file.choice("modification", required: true, Modification.self)
        let expression = file.bool("exogenous_gene_expression", required: true)
        let alters = file.bool("alters_survival_or_differentiation", required: true)
        let schedule = file.string("schedule")
        if let schedule, !Identifier.isValid(schedule) {
            file.problem("schedule", "`\(schedule)` is not a valid schedule id")
        }
        let explicitTier = file.choice("tier", RiskTier.self)
        let justification = file.string("justification")
        file.rejectUnknownKeys()
        for (key, value) in [("name", name), ("cell_type", cellType)] where value?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            file.problem(key, "must not be empty")
        }
        guard let id, Identifier.isValid(id), let name, let cellType, let modification, let expression, let alters
        else { return nil }
        let traits = ProductTraits(modification: modification, exogenousGeneExpression: expression,
                                   altersSurvivalOrDifferentiation: alters)
        do {
            let tier = try TierAssignment.resolve(traits, explicit: explicitTier, justification: justification)
            return Product(id: id, name: name, cellType: cellType, traits: traits, schedule: schedule, tier: tier)
        } catch {
            file.problem(error.code == "override-needs-justification" ? "justification" : "tier", error.message)
            return nil
        }
    }
}
