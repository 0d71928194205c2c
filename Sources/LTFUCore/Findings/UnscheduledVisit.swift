/// Why an unscheduled visit `U<n>` was added (SPEC §10).
public enum VisitPurpose: String, Sendable, Hashable, Codable, CaseIterable {
    case rclConfirmation = "rcl-confirmation"
    case integrationSiteAnalysis = "integration-site-analysis"
    case tumorSample = "tumor-sample"
    case tissueSample = "tissue-sample"
    /// SPEC §11: consent again at the age of majority.
    case reConsent = "re-consent"
}

/// A visit a safety rule adds to the subject's current series: code `U<n>` (n counts per
/// subject), a purpose, and the same window, mode and assessments as any planned visit.
public struct UnscheduledVisit: Sendable, Hashable {
    public var purpose: VisitPurpose
    public var target: CalendarDate
    public var window: VisitWindow
    public var mode: VisitMode
    public var assessments: [Assessment]
    /// SPEC §10: the tissue sample after a death stays open when the subject ends.
    public var staysOpenAfterEnd: Bool

    public init(purpose: VisitPurpose, target: CalendarDate, earlyDays: Int, lateDays: Int, assessments: [Assessment],
                mode: VisitMode = .inPerson, staysOpenAfterEnd: Bool = false)
    {
        self.purpose = purpose
        self.target = target
        window = VisitWindow(open: target.adding(days: -earlyDays), close: target.adding(days: lateDays))
        self.mode = mode
        self.assessments = assessments
        self.staysOpenAfterEnd = staysOpenAfterEnd
    }

    /// `U1`, `U2`, …: the code of the subject's n-th unscheduled visit.
    public static func code(_ number: Int) -> String { "U\(number)" }

    /// SDTM's VISITNUM for unscheduled visits (SPEC §12): 9000 + n. Stored as the visit's
    /// month, which sorts them after every planned visit of the same target date.
    public static func visitNumber(_ number: Int) -> Int { 9000 + number }
}
