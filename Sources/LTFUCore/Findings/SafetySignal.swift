/// What a safety finding is (SPEC §10's "signal" column). A signal is raised as a
/// `safety-signal` notification and repeated daily until acknowledged.
public enum SignalKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An RCL test not negative on a regular visit (FDA RCR/RCL testing guidance).
    case rcl
    /// An RCL test positive on its confirmation visit: replication-competent virus.
    case rclConfirmed = "rcl-confirmed"
    /// Vector-positive cells at or above `[safety] persistence_percent`.
    case persistence
    /// A new malignancy, possibly from insertional mutagenesis.
    case malignancy
    case death
    /// Any other reported safety event.
    case event

    /// syslog priority: a confirmed RCL is alert (1), every other signal crit (2).
    public var priority: Int { self == .rclConfirmed ? 1 : 2 }

    /// The signal an event raises.
    public init(event: SafetyEventKind) {
        switch event {
        case .newMalignancy: self = .malignancy
        case .death: self = .death
        default: self = .event
        }
    }
}

/// SPEC §10's stopping rules: counted per product over all its subjects; when a count reaches
/// its threshold, enrolment and dosing must stop until the sponsor has looked.
public enum StoppingRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// `rcl-confirmed` signals.
    case confirmedRCL = "confirmed-rcl"
    /// `new-malignancy` events related `yes` or `unknown`.
    case relatedMalignancy = "related-malignancy"
    /// `death` events related `yes` or `unknown`.
    case relatedDeaths = "related-deaths"

    /// The threshold `settings` give this rule; 0 turns it off.
    public func threshold(in settings: SafetySettings) -> Int {
        switch self {
        case .confirmedRCL: settings.stopOnConfirmedRCL
        case .relatedMalignancy: settings.stopOnRelatedMalignancy
        case .relatedDeaths: settings.stopOnRelatedDeaths
        }
    }

    /// Whether a count has reached the rule's threshold.
    public func isMet(count: Int, settings: SafetySettings) -> Bool {
        let threshold = threshold(in: settings)
        return threshold > 0 && count >= threshold
    }
}

/// The `[safety]` settings of ltfud.toml (SPEC §10): site-wide thresholds, counted per product.
public struct SafetySettings: Sendable, Hashable, Codable {
    /// Vector-positive cells, in percent, from which persistence is a signal.
    public var persistencePercent: Double
    public var stopOnConfirmedRCL: Int
    public var stopOnRelatedMalignancy: Int
    public var stopOnRelatedDeaths: Int

    public init(persistencePercent: Double = 1.0, stopOnConfirmedRCL: Int = 1, stopOnRelatedMalignancy: Int = 1,
                stopOnRelatedDeaths: Int = 2)
    {
        self.persistencePercent = persistencePercent
        self.stopOnConfirmedRCL = stopOnConfirmedRCL
        self.stopOnRelatedMalignancy = stopOnRelatedMalignancy
        self.stopOnRelatedDeaths = stopOnRelatedDeaths
    }
}
