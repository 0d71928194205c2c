/// SPEC §10's table of findings and what follows them, as pure date arithmetic: the one place
/// that knows which signal a finding raises, which visit it adds and when the RCL schedule
/// changes. Sources: FDA 2020 LTFU guidance (delayed adverse events, tumour and tissue
/// analysis for integrating vectors) and FDA RCR/RCL testing guidance (confirmation of a
/// positive test; archive samples only after a negative first year).
public enum SafetyRules {
    /// What a finding sets off.
    public struct Response: Sendable, Hashable {
        /// The signal raised, if any.
        public var signal: SignalKind?
        /// The unscheduled visit added to the current series, if any.
        public var visit: UnscheduledVisit?
        /// Every later regular visit's `rcl-archive` becomes `rcl-test`.
        public var rclArchiveBecomesTest = false
        /// The subject's follow-up ends (a death).
        public var endsSubject = false

        public init(signal: SignalKind? = nil, visit: UnscheduledVisit? = nil, rclArchiveBecomesTest: Bool = false,
                    endsSubject: Bool = false)
        {
            self.signal = signal
            self.visit = visit
            self.rclArchiveBecomesTest = rclArchiveBecomesTest
            self.endsSubject = endsSubject
        }
    }

    /// The months whose RCL test decides the archive schedule: the first year (FDA RCR/RCL
    /// guidance: tests at 3, 6 and 12 months).
    public static let firstYearRCLMonths: Set<Int> = [3, 6, 12]

    /// What a result's finding sets off at a visit: a regular visit has a `month` and no
    /// `purpose`; an unscheduled one has its purpose. A result that reports an event
    /// (`malignancy new`) is handled by ``respond(toEvent:on:tier:)`` instead.
    public static func respond(toResult finding: ResultFinding, on date: CalendarDate, visitMonth: Int,
                               visitPurpose: VisitPurpose?) -> Response
    {
        switch finding {
        case .rcl(let positive):
            if visitPurpose == .rclConfirmation {
                // Positive on its confirmation visit: replication-competent virus, confirmed.
                // Indeterminate again: still a signal for the PI, no further automatic visit.
                return Response(signal: positive ? .rclConfirmed : .rcl)
            }
            guard visitPurpose == nil else { return Response(signal: .rcl) }
            return Response(
                signal: .rcl,
                visit: UnscheduledVisit(purpose: .rclConfirmation, target: date.adding(days: 14), earlyDays: 13, lateDays: 14,
                                        assessments: [.rclTest]),
                rclArchiveBecomesTest: firstYearRCLMonths.contains(visitMonth))
        case .persistence:
            return Response(
                signal: .persistence,
                visit: UnscheduledVisit(purpose: .integrationSiteAnalysis, target: date.adding(days: 30), earlyDays: 30,
                                        lateDays: 30, assessments: [.integrationSiteAnalysis]))
        case .event(let kind):
            return Response(signal: SignalKind(event: kind))
        }
    }

    /// What a reported event sets off. A new malignancy or a death of a subject treated with a
    /// genetically modified product (any tier but `non-modified`) adds a visit to look for
    /// the vector in the tumour or the tissue.
    public static func respond(toEvent kind: SafetyEventKind, on date: CalendarDate, tier: RiskTier) -> Response {
        let modified = tier != .nonModified
        switch kind {
        case .newMalignancy:
            return Response(
                signal: .malignancy,
                visit: modified ? UnscheduledVisit(purpose: .tumorSample, target: date.adding(days: 14), earlyDays: 14,
                                                   lateDays: 14, assessments: [.tumorVectorAnalysis]) : nil)
        case .death:
            return Response(
                signal: .death,
                visit: modified ? UnscheduledVisit(purpose: .tissueSample, target: date, earlyDays: 0, lateDays: 30,
                                                   assessments: [.tissueSample], staysOpenAfterEnd: true) : nil,
                endsSubject: true)
        default:
            return Response(signal: .event)
        }
    }
}
