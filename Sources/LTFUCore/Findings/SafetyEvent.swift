/// The delayed adverse events a site reports at any time (SPEC §10), from the FDA 2020 LTFU
/// guidance's list of what long-term follow-up must capture: new malignancies, new
/// hematologic, autoimmune and neurologic disorders, serious infections, other serious
/// adverse events and deaths.
public enum SafetyEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    case newMalignancy = "new-malignancy"
    case hematologicDisorder = "hematologic-disorder"
    case autoimmuneDisorder = "autoimmune-disorder"
    case neurologicDisorder = "neurologic-disorder"
    case seriousInfection = "serious-infection"
    case otherSAE = "other-sae"
    /// Also ends the subject's follow-up (reason `death`, that date).
    case death

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Whether the investigator judges an event related to the product. SPEC §10: `unknown`
/// unless said, and the stopping rules count `yes` and `unknown` alike (an unassessed event
/// must not hide a trend).
public enum Relatedness: String, Sendable, Hashable, Codable, CaseIterable {
    case yes, no, unknown

    public var countsTowardStoppingRules: Bool { self != .no }

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
