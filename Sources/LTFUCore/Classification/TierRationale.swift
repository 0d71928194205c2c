import LTFUL10n

/// The rule of SPEC §3's table that decided a tier, in words (CDE 2021 §三(一); FDA 2020 LTFU
/// guidance for genome editing). Stored and answered in English with the product (`rationale`
/// in JSON); `ltfuctl plan` and `classify` read it back (``init(words:)``) to say it in the
/// reader's language (``translate(_:_:)``). The one place that writes and reads these words.
public enum TierRationale: Sendable, Hashable {
    case integratingVector(Modification)
    case genomeEditing
    case nonIntegratingDelivery(Modification)
    case nonModified

    public func words(_ tr: Localizer) -> String {
        switch self {
        case .integratingVector(let modification):
            tr("{modification} is an integrating vector: integrating tier, at least 15 years (CDE 2021 §三(一))", ["modification": modification.rawValue])
        case .genomeEditing:
            tr("genome editing makes a permanent genomic change: integrating tier, at least 15 years (FDA 2020 LTFU guidance; CDE 2021 §三(一))")
        case .nonIntegratingDelivery(let modification):
            tr("{modification} expresses an exogenous gene with no or low risk of integration: non-integrating tier, at least 5 years (CDE 2021 §三(一))",
               ["modification": modification.rawValue])
        case .nonModified:
            tr("no exogenous gene expression and survival/differentiation unchanged: non-modified tier, at least 1 year and not shorter than the cells' natural survival (CDE 2021 §三(一))")
        }
    }

    /// The English words, as stored.
    public var english: String { words(Localizer(.english)) }

    /// Reads back what ``words(_:)`` wrote in English.
    public init?(words text: String) {
        let english = Localizer(.english)
        let candidates: [TierRationale] = [.genomeEditing, .nonModified]
            + Modification.allCases.flatMap { [TierRationale.integratingVector($0), .nonIntegratingDelivery($0)] }
        guard let found = candidates.first(where: { $0.words(english) == text }) else { return nil }
        self = found
    }

    /// A stored rationale in `tr`'s language; an override's (which holds a person's
    /// justification) stays as it is.
    public static func translate(_ rationale: String, _ tr: Localizer) -> String {
        guard tr.language != .english, let known = TierRationale(words: rationale) else { return rationale }
        return known.words(tr)
    }
}
