/// How a product's cells were changed ex vivo (SPEC §3, the product file's `modification`).
public enum Modification: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case mrna
    case protein
    case plasmid
    case adenoviral
    case aav
    case lentiviral
    case gammaretroviral
    case transposon
    case genomeEditing = "genome-editing"

    /// Vectors that insert into the host genome. CDE 2021 §三(一): integrating tier.
    public var isIntegratingVector: Bool {
        switch self {
        case .lentiviral, .gammaretroviral, .transposon: true
        default: false
        }
    }

    /// Ways of expressing a gene that carry no (or low) integration risk.
    public var isNonIntegratingDelivery: Bool {
        switch self {
        case .mrna, .protein, .plasmid, .adenoviral, .aav: true
        default: false
        }
    }

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The three facts of a product that decide its tier.
public struct ProductTraits: Sendable, Hashable, Codable {
    public var modification: Modification
    public var exogenousGeneExpression: Bool
    public var altersSurvivalOrDifferentiation: Bool

    public init(modification: Modification, exogenousGeneExpression: Bool, altersSurvivalOrDifferentiation: Bool) {
        self.modification = modification
        self.exogenousGeneExpression = exogenousGeneExpression
        self.altersSurvivalOrDifferentiation = altersSurvivalOrDifferentiation
    }
}
