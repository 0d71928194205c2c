/// SPEC §4's pediatric add-on, from CDE 2021 §三(一): "for children, follow up growth and
/// development". The only place that knows who is a child and when growth is checked.
public enum PediatricRule {
    /// The 18th birthday, clamped like months (born 29 February → 28 February).
    public static func adulthood(bornOn birthDate: CalendarDate) -> CalendarDate {
        birthDate.adding(years: 18)
    }

    /// A subject younger than 18 on day 0 gets growth checks.
    public static func isPediatric(bornOn birthDate: CalendarDate, dayZero: CalendarDate) -> Bool {
        dayZero < adulthood(bornOn: birthDate)
    }

    /// The last month growth checks may reach: never past M180.
    public static let lastMonth = 180

    /// A growth check every 6 months (M6, M12, … M180) whose target date falls strictly before
    /// the 18th birthday; those at multiples of 12 months also check puberty and
    /// neurodevelopment. A stand-alone check has a 30/30 window and is in person.
    public static func growthChecks(bornOn birthDate: CalendarDate, dayZero: CalendarDate) -> [VisitRule] {
        let adulthood = adulthood(bornOn: birthDate)
        return stride(from: 6, through: lastMonth, by: 6)
            .prefix { dayZero.adding(months: $0) < adulthood }
            .map { month in
                VisitRule(month: month, earlyDays: 30, lateDays: 30, mode: .inPerson,
                          assessments: month % 12 == 0 ? [.growth, .puberty, .neurodevelopment] : [.growth])
            }
    }

    /// Merges growth checks into a calendar: at a month that already has a visit, the visit
    /// gains the assessments and becomes in person (keeping its window); otherwise the check
    /// is a visit of its own.
    public static func merge(_ checks: [VisitRule], into visits: [VisitRule]) -> [VisitRule] {
        var byMonth = Dictionary(uniqueKeysWithValues: visits.map { ($0.month, $0) })
        for check in checks {
            if var visit = byMonth[check.month] {
                visit.assessments += check.assessments.filter { !visit.assessments.contains($0) }
                visit.mode = .inPerson
                byMonth[check.month] = visit
            } else {
                byMonth[check.month] = check
            }
        }
        return byMonth.values.sorted { $0.month < $1.month }
    }
}
