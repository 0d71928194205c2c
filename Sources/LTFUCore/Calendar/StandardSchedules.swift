/// SPEC §4's default calendars, as data. The only place that knows the standard visits.
extension ScheduleTemplate {
    public static func standard(for tier: RiskTier) -> ScheduleTemplate {
        switch tier {
        case .nonModified: standardNonModified
        case .nonIntegrating: standardNonIntegrating
        case .integrating: standardIntegrating
        }
    }

    /// CDE 2021 §三(一): ≥ 1 year for unmodified cells; M1, M3, M6, M12 in person, core
    /// assessments only.
    static let standardNonModified = ScheduleTemplate(
        id: "standard-non-modified", name: "Standard non-modified (1 year)",
        visits: firstYear(Assessment.core, rcl: false))

    /// CDE 2021 §三(一): ≥ 5 years with transgene expression and immunogenicity; the first
    /// year as for non-modified cells, then yearly in person to M60.
    static let standardNonIntegrating = ScheduleTemplate(
        id: "standard-non-integrating", name: "Standard non-integrating (5 years)",
        visits: firstYear(Assessment.core + Assessment.gene, rcl: false)
            + [24, 36, 48, 60].map { VisitRule(month: $0, earlyDays: 30, lateDays: 60, mode: .inPerson,
                                               assessments: Assessment.core + Assessment.gene) })

    /// CDE 2021 §三(一) and FDA 2020 LTFU guidance: 15 years for integrating vectors — five
    /// years of yearly examinations, then ten years of yearly (remote) contact. FDA RCR/RCL
    /// guidance: RCL tests at M3, M6 and M12, then yearly archived samples.
    static let standardIntegrating = ScheduleTemplate(
        id: "standard-integrating", name: "Standard integrating (15 years)",
        visits: firstYear(Assessment.core + Assessment.gene, rcl: true)
            + [24, 36, 48, 60].map { VisitRule(month: $0, earlyDays: 30, lateDays: 60, mode: .inPerson,
                                               assessments: Assessment.core + Assessment.gene + [.rclArchive]) }
            + stride(from: 72, through: 180, by: 12).map {
                VisitRule(month: $0, earlyDays: 60, lateDays: 60, mode: .remote,
                          assessments: [.survival, .adverseEvents, .malignancy, .infection])
            })

    /// M1 7/7, M3 14/14, M6 30/30, M12 30/60, all in person; with `rcl`, an RCL test at M3,
    /// M6 and M12.
    private static func firstYear(_ assessments: [Assessment], rcl: Bool) -> [VisitRule] {
        [(1, 7, 7), (3, 14, 14), (6, 30, 30), (12, 30, 60)].map { month, early, late in
            VisitRule(month: month, earlyDays: early, lateDays: late, mode: .inPerson,
                      assessments: assessments + (rcl && month >= 3 ? [.rclTest] : []))
        }
    }
}
