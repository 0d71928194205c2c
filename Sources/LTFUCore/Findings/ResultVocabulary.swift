/// What a visit's result may say, per assessment (SPEC §10's vocabulary), and which results
/// are findings. The only place that knows either.
public enum ResultVocabulary {
    /// The values a result for `assessment` may take.
    public static func values(for assessment: Assessment) -> [String] {
        switch assessment {
        // FDA RCR/RCL testing guidance: a test is negative, positive or indeterminate.
        case .rclTest: ["negative", "positive", "indeterminate"]
        // FDA RCR/RCL testing guidance: after a negative first year, samples are archived.
        case .rclArchive: ["archived"]
        case .persistence: ["not-detected", "detected"]
        // CDE 2021 §三(一): new or secondary malignancy, infection.
        case .malignancy, .infection: ["none", "new"]
        default: ["done", "not-done"]
        }
    }

    /// Checks a result's value and its companions: `--sample` for an archived sample,
    /// `--percent` (0 to 100) with detected persistence and nowhere else.
    public static func check(assessment: Assessment, value: String, sample: String?, percent: Double?) throws(LTFUError) {
        let allowed = values(for: assessment)
        guard allowed.contains(value) else {
            throw LTFUError(.data, code: "invalid-result-value", "`{value}` is not a result of {assessment} (one of: {allowed})",
                            ["value": value, "assessment": assessment.rawValue, "allowed": allowed.joined(separator: ", ")])
        }
        if assessment == .rclArchive, sample == nil {
            throw LTFUError(.data, code: "missing-sample", "an archived rcl-archive sample needs its sample id: `sample` (ltfuctl result --sample ID)")
        }
        if let sample, !Identifier.isValid(sample) {
            throw LTFUError(.data, code: "invalid-sample",
                            "`{sample}` is not a sample id: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit", ["sample": sample])
        }
        if let percent {
            guard percent.isFinite, (0...100).contains(percent) else {
                throw LTFUError(.data, code: "invalid-percent", "`percent` (ltfuctl result --percent) must be between 0 and 100, not {percent}",
                                ["percent": percent])
            }
            guard assessment == .persistence, value == "detected" else {
                throw LTFUError(.data, code: "unexpected-percent",
                                "`percent` (ltfuctl result --percent) goes only with `persistence detected` (the share of vector-positive cells), not with {assessment} {value}",
                                ["assessment": assessment.rawValue, "value": value])
            }
        } else if assessment == .persistence, value == "detected" {
            throw LTFUError(.data, code: "missing-percent",
                            "`persistence detected` needs the share of vector-positive cells: `percent`, 0 to 100 (ltfuctl result --percent)")
        }
    }

    /// What a result found, by SPEC §10's table; `nil` when it is no finding.
    public static func finding(assessment: Assessment, value: String, percent: Double?, settings: SafetySettings) -> ResultFinding? {
        switch (assessment, value) {
        case (.rclTest, "positive"), (.rclTest, "indeterminate"): .rcl(positive: value == "positive")
        case (.persistence, "detected") where (percent ?? 0) >= settings.persistencePercent: .persistence
        case (.malignancy, "new"): .event(.newMalignancy)
        case (.infection, "new"): .event(.seriousInfection)
        default: nil
        }
    }
}

/// A result that calls for action (SPEC §10).
public enum ResultFinding: Sendable, Hashable {
    /// An RCL test that is not negative.
    case rcl(positive: Bool)
    /// Persistence at or above the threshold.
    case persistence
    /// A result that reports an event (`malignancy new`, `infection new`): handled as that
    /// event on the result date.
    case event(SafetyEventKind)
}
