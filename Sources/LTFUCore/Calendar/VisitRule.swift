/// One row of a schedule template: a visit `month` months after day 0, its window and content.
public struct VisitRule: Sendable, Hashable, Codable {
    public var month: Int
    /// Days the window opens before the target date.
    public var earlyDays: Int
    /// Days the window stays open after the target date.
    public var lateDays: Int
    public var mode: VisitMode
    public var assessments: [Assessment]

    public init(month: Int, earlyDays: Int, lateDays: Int, mode: VisitMode, assessments: [Assessment]) {
        self.month = month
        self.earlyDays = earlyDays
        self.lateDays = lateDays
        self.mode = mode
        self.assessments = assessments
    }

    /// SPEC §4: visit codes are `M` + months (`M1`, `M3`, … `M180`).
    public var code: String { "M\(month)" }
}

/// A named list of visit rules: one of the three standard calendars or a site's own template.
public struct ScheduleTemplate: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Sorted by month, one rule per month.
    public private(set) var visits: [VisitRule]

    public init(id: String, name: String, visits: [VisitRule]) {
        self.id = id
        self.name = name
        self.visits = visits.sorted { $0.month < $1.month }
    }

    /// The month of the last visit: where the template's follow-up ends.
    public var lastMonth: Int { visits.last?.month ?? 0 }

    /// SPEC §3/§4: a template can never end before the tier's minimum (1, 5 or 15 years).
    public func checkCovers(_ tier: RiskTier) throws(LTFUError) {
        guard lastMonth >= tier.minimumMonths else {
            let values: KeyValuePairs<String, any LTFUError.Placeable> = [
                "schedule": id, "last": "M\(lastMonth)", "tier": tier.rawValue, "years": tier.minimumYears, "minimum": "M\(tier.minimumMonths)",
            ]
            if tier.minimumYears == 1 {
                throw LTFUError(.configuration, code: "template-too-short",
                                "schedule `{schedule}` ends at {last}, before the {tier} minimum of {years} year ({minimum}); add visits up to at least {minimum}", values)
            }
            throw LTFUError(.configuration, code: "template-too-short",
                            "schedule `{schedule}` ends at {last}, before the {tier} minimum of {years} years ({minimum}); add visits up to at least {minimum}", values)
        }
    }
}
