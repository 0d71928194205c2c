import LTFUL10n

/// The word a person reads for each code (SPEC §15): in English the code itself, as it has
/// always been printed; in Chinese the guideline's own word, from `glossary.tsv`. JSON, CSV,
/// SDTM and the command line keep the codes (`rcl-test`, `lost-to-follow-up`); only tables,
/// mail and the report show these labels. Every case is a literal, so the translations test
/// finds each one.
extension Assessment {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .survival: tr("survival")
        case .adverseEvents: tr("adverse-events")
        case .malignancy: tr("malignancy")
        case .infection: tr("infection")
        case .immuneFunction: tr("immune-function")
        case .persistence: tr("persistence")
        case .transgeneExpression: tr("transgene-expression")
        case .immunogenicity: tr("immunogenicity")
        case .rclTest: tr("rcl-test")
        case .rclArchive: tr("rcl-archive")
        case .growth: tr("growth")
        case .puberty: tr("puberty")
        case .neurodevelopment: tr("neurodevelopment")
        case .integrationSiteAnalysis: tr("integration-site-analysis")
        case .tumorVectorAnalysis: tr("tumor-vector-analysis")
        case .tissueSample: tr("tissue-sample")
        case .consent: tr("consent")
        }
    }
}

extension ResultVocabulary {
    /// A result's value in words (`positive` → 阳性); a value outside the vocabulary as it is.
    public static func label(value: String, _ tr: Localizer) -> String {
        switch value {
        case "negative": tr("negative")
        case "positive": tr("positive")
        case "indeterminate": tr("indeterminate")
        case "archived": tr("archived")
        case "not-detected": tr("not-detected")
        case "detected": tr("detected")
        case "none": tr("none")
        case "new": tr("new")
        case "done": tr("done")
        case "not-done": tr("not-done")
        default: value
        }
    }
}

extension VisitStatus {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .upcoming: tr("upcoming")
        case .due: tr("due")
        case .overdue: tr("overdue")
        case .done: tr("done")
        case .missed: tr("missed")
        case .cancelled: tr("cancelled")
        }
    }
}

extension VisitMode {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .inPerson: tr("in-person")
        case .remote: tr("remote")
        }
    }
}

extension VisitPurpose {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .rclConfirmation: tr("rcl-confirmation")
        case .integrationSiteAnalysis: tr("integration-site-analysis")
        case .tumorSample: tr("tumor-sample")
        case .tissueSample: tr("tissue-sample")
        case .reConsent: tr("re-consent")
        }
    }
}

extension RiskTier {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .nonModified: tr("non-modified")
        case .nonIntegrating: tr("non-integrating")
        case .integrating: tr("integrating")
        }
    }
}

extension SubjectStatus {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .active: tr("active")
        case .ended: tr("ended")
        }
    }
}

extension EndReason {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .death: tr("death")
        case .withdrawn: tr("withdrawn")
        case .lostToFollowUp: tr("lost-to-follow-up")
        case .transferred: tr("transferred")
        }
    }
}

extension SafetyEventKind {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .newMalignancy: tr("new-malignancy")
        case .hematologicDisorder: tr("hematologic-disorder")
        case .autoimmuneDisorder: tr("autoimmune-disorder")
        case .neurologicDisorder: tr("neurologic-disorder")
        case .seriousInfection: tr("serious-infection")
        case .otherSAE: tr("other-sae")
        case .death: tr("death")
        }
    }
}

extension Relatedness {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .yes: tr("yes")
        case .no: tr("no")
        case .unknown: tr("unknown")
        }
    }
}

extension SignalKind {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .rcl: tr("rcl")
        case .rclConfirmed: tr("rcl-confirmed")
        case .persistence: tr("persistence")
        case .malignancy: tr("malignancy")
        case .death: tr("death")
        case .event: tr("event")
        }
    }
}

extension StoppingRule {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .confirmedRCL: tr("confirmed-rcl")
        case .relatedMalignancy: tr("related-malignancy")
        case .relatedDeaths: tr("related-deaths")
        }
    }
}

extension ContactMethod {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .phone: tr("phone")
        case .letter: tr("letter")
        case .email: tr("email")
        case .inPerson: tr("in-person")
        case .registry: tr("registry")
        case .other: tr("other")
        }
    }
}

extension ContactOutcome {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .reached: tr("reached")
        case .noAnswer: tr("no-answer")
        case .declined: tr("declined")
        case .wrongContact: tr("wrong-contact")
        }
    }
}

extension ConsentGiver {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .subject: tr("subject")
        case .guardian: tr("guardian")
        }
    }
}

extension NotificationKind {
    public func label(_ tr: Localizer) -> String {
        switch self {
        case .upcoming: tr("upcoming")
        case .windowOpen: tr("window-open")
        case .closing: tr("closing")
        case .overdue: tr("overdue")
        case .escalation: tr("escalation")
        case .subjectEnded: tr("subject-ended")
        case .safetySignal: tr("safety-signal")
        case .safetyEscalation: tr("safety-escalation")
        case .stoppingRule: tr("stopping-rule")
        case .scheduleChanged: tr("schedule-changed")
        case .retentionRisk: tr("retention-risk")
        }
    }
}
