/// The days a visit may be done on: [target − early, target + late], both ends included.
public struct VisitWindow: Sendable, Hashable, Codable {
    public var open: CalendarDate
    public var close: CalendarDate

    public init(open: CalendarDate, close: CalendarDate) {
        self.open = open
        self.close = close
    }

    public func contains(_ date: CalendarDate) -> Bool { open <= date && date <= close }
}

/// A visit with its dates, as it appears on a subject's calendar.
public struct PlannedVisit: Sendable, Hashable, Codable {
    public var code: String
    public var month: Int
    public var target: CalendarDate
    public var window: VisitWindow
    public var mode: VisitMode
    public var assessments: [Assessment]

    public init(rule: VisitRule, dayZero: CalendarDate) {
        code = rule.code
        month = rule.month
        // SPEC §4: target = day 0 + n calendar months, clamped to the month's end.
        target = dayZero.adding(months: rule.month)
        window = VisitWindow(open: target.adding(days: -rule.earlyDays), close: target.adding(days: rule.lateDays))
        mode = rule.mode
        assessments = rule.assessments
    }
}

/// A subject's whole follow-up calendar from one day 0 (SPEC §4).
public struct FollowUpPlan: Sendable, Hashable {
    public var tier: TierAssignment
    /// The most recent infusion.
    public var dayZero: CalendarDate
    /// The target date of the last visit.
    public var followUpEnds: CalendarDate
    /// Younger than 18 on day 0, so growth checks apply.
    public var pediatric: Bool
    /// False when no birth date was given: the subject is planned as an adult and flagged.
    public var ageKnown: Bool
    public var visits: [PlannedVisit]

    /// Plans a calendar.
    ///
    /// - Parameters:
    ///   - template: the visit rules; must cover `tier`'s minimum.
    ///   - infusions: every infusion date, in any order; day 0 is the latest (SPEC §5:
    ///     another infusion re-anchors day 0).
    ///   - birthDate: needed for the pediatric rule; without it the subject is an adult.
    public init(tier: TierAssignment, template: ScheduleTemplate, infusions: [CalendarDate],
                birthDate: CalendarDate?) throws(LTFUError)
    {
        guard let dayZero = infusions.max(), let firstInfusion = infusions.min() else {
            throw LTFUError(.usage, code: "missing-infusion", "at least one infusion date is needed to plan a calendar")
        }
        // Issue #13: a mistyped year is refused, so no plan spans centuries.
        try DateRules.plausibleInfusion(firstInfusion)
        if let birthDate { try DateRules.plausibleBirth(birthDate) }
        if let birthDate, birthDate > firstInfusion {
            throw LTFUError(.data, code: "born-after-infusion",
                            "birth date {born} is after the infusion on {infused}", ["born": birthDate, "infused": firstInfusion])
        }
        try template.checkCovers(tier.tier)
        var rules = template.visits
        let pediatric = birthDate.map { PediatricRule.isPediatric(bornOn: $0, dayZero: dayZero) } ?? false
        if let birthDate, pediatric {
            rules = PediatricRule.merge(PediatricRule.growthChecks(bornOn: birthDate, dayZero: dayZero), into: rules)
        }
        let visits = rules.map { PlannedVisit(rule: $0, dayZero: dayZero) }
        self.tier = tier
        self.dayZero = dayZero
        self.followUpEnds = visits.last?.target ?? dayZero
        self.pediatric = pediatric
        self.ageKnown = birthDate != nil
        self.visits = visits
    }
}
