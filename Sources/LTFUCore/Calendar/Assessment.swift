/// What is examined at a visit (SPEC §4). Declaration order is the order they are listed in.
public enum Assessment: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    // Core: CDE 2021 §三(一) asks for survival, new or secondary malignancy, infection, immune
    // function, delayed adverse reactions and product persistence.
    case survival
    case adverseEvents = "adverse-events"
    case malignancy
    case infection
    case immuneFunction = "immune-function"
    case persistence
    // Gene: CDE 2021 §三(一) adds transgene expression and immunogenicity for modified products.
    case transgeneExpression = "transgene-expression"
    case immunogenicity
    // FDA RCR/RCL testing guidance: replication-competent virus tests at 3, 6 and 12 months,
    // then yearly archived samples.
    case rclTest = "rcl-test"
    case rclArchive = "rcl-archive"
    // CDE 2021 §三(一): growth and development checks in children.
    case growth
    case puberty
    case neurodevelopment
    // SPEC §10: what the follow-up visits of a safety finding examine (FDA 2020 LTFU
    // guidance: integration-site analysis of persisting vector, the vector in a new tumour,
    // tissue after death).
    case integrationSiteAnalysis = "integration-site-analysis"
    case tumorVectorAnalysis = "tumor-vector-analysis"
    case tissueSample = "tissue-sample"
    // SPEC §11: a child who comes of age during follow-up consents again as an adult.
    case consent

    public static let core: [Assessment] = [.survival, .adverseEvents, .malignancy, .infection, .immuneFunction, .persistence]
    public static let gene: [Assessment] = [.transgeneExpression, .immunogenicity]

    public static func < (lhs: Assessment, rhs: Assessment) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Where a visit takes place.
public enum VisitMode: String, Sendable, Hashable, Codable, CaseIterable {
    case inPerson = "in-person"
    /// FDA 2020 LTFU guidance: after 5 years of examinations, 10 years of annual contact.
    case remote

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
