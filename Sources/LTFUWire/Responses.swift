import LTFUCore

/// `show` (SPEC §8): a subject and its visits with status. Keys beyond the contract:
/// `tierOverride`, `ageKnown`, `endedOn`, `followUpEnds`, `infusions`; per visit `series`,
/// `missReason`, `note`.
public struct ShowResponse: Codable, Sendable, Hashable {
    public var subject: Subject
    public var visits: [Visit]
    /// SPEC §10: safety events, in date order.
    public var events: [EventEntry]
    /// SPEC §11: contact attempts and consents, in date order.
    public var contacts: [ContactEntry]
    public var consents: [ConsentEntry]

    public init(subject: Subject, visits: [Visit], events: [EventEntry] = [], contacts: [ContactEntry] = [], consents: [ConsentEntry] = []) {
        self.subject = subject
        self.visits = visits
        self.events = events
        self.contacts = contacts
        self.consents = consents
    }

    public struct Subject: Codable, Sendable, Hashable {
        public var code: String
        public var product: String
        public var tier: RiskTier
        public var tierOverride: Bool
        public var dayZero: CalendarDate?
        public var followUpEnds: CalendarDate?
        public var infusions: [CalendarDate]
        public var pediatric: Bool
        public var ageKnown: Bool
        public var status: SubjectStatus
        public var endReason: EndReason?
        public var endedOn: CalendarDate?
        /// SPEC §11: the latest infusion, done visit or reached contact.
        public var lastContact: CalendarDate?

        public init(code: String, product: String, tier: RiskTier, tierOverride: Bool, dayZero: CalendarDate?,
                    followUpEnds: CalendarDate?, infusions: [CalendarDate], pediatric: Bool, ageKnown: Bool,
                    status: SubjectStatus, endReason: EndReason?, endedOn: CalendarDate?, lastContact: CalendarDate? = nil)
        {
            self.lastContact = lastContact
            self.code = code
            self.product = product
            self.tier = tier
            self.tierOverride = tierOverride
            self.dayZero = dayZero
            self.followUpEnds = followUpEnds
            self.infusions = infusions
            self.pediatric = pediatric
            self.ageKnown = ageKnown
            self.status = status
            self.endReason = endReason
            self.endedOn = endedOn
        }

        // Explicit, so that `endReason: null` is written for active subjects (the contract lists the key).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(product, forKey: .product)
            try c.encode(tier, forKey: .tier)
            try c.encode(tierOverride, forKey: .tierOverride)
            try c.encode(dayZero, forKey: .dayZero)
            try c.encode(followUpEnds, forKey: .followUpEnds)
            try c.encode(infusions, forKey: .infusions)
            try c.encode(pediatric, forKey: .pediatric)
            try c.encode(ageKnown, forKey: .ageKnown)
            try c.encode(status, forKey: .status)
            try c.encode(endReason, forKey: .endReason)
            try c.encode(endedOn, forKey: .endedOn)
            try c.encode(lastContact, forKey: .lastContact)
        }
    }

    public struct Visit: Codable, Sendable, Hashable {
        public var code: String
        public var series: Int
        public var target: CalendarDate
        public var windowOpen: CalendarDate
        public var windowClose: CalendarDate
        public var mode: VisitMode
        public var assessments: [Assessment]
        public var status: VisitStatus
        public var doneOn: CalendarDate?
        public var deviation: Bool
        public var missReason: String?
        public var note: String?
        /// SPEC §10: why an unscheduled visit was added; absent for planned visits.
        public var purpose: VisitPurpose?
        /// SPEC §10: the current result of each assessment recorded.
        public var results: [ResultEntry]

        public init(code: String, series: Int, target: CalendarDate, windowOpen: CalendarDate, windowClose: CalendarDate,
                    mode: VisitMode, assessments: [Assessment], status: VisitStatus, doneOn: CalendarDate?, deviation: Bool,
                    missReason: String?, note: String?, purpose: VisitPurpose? = nil, results: [ResultEntry] = [])
        {
            self.purpose = purpose
            self.results = results
            self.code = code
            self.series = series
            self.target = target
            self.windowOpen = windowOpen
            self.windowClose = windowClose
            self.mode = mode
            self.assessments = assessments
            self.status = status
            self.doneOn = doneOn
            self.deviation = deviation
            self.missReason = missReason
            self.note = note
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(series, forKey: .series)
            try c.encode(target, forKey: .target)
            try c.encode(windowOpen, forKey: .windowOpen)
            try c.encode(windowClose, forKey: .windowClose)
            try c.encode(mode, forKey: .mode)
            try c.encode(assessments, forKey: .assessments)
            try c.encode(status, forKey: .status)
            try c.encode(doneOn, forKey: .doneOn)
            try c.encode(deviation, forKey: .deviation)
            try c.encodeIfPresent(missReason, forKey: .missReason)
            try c.encodeIfPresent(note, forKey: .note)
            try c.encodeIfPresent(purpose, forKey: .purpose)
            try c.encode(results, forKey: .results)
        }
    }
}

/// A row of `list` (SPEC §8).
public struct SubjectSummary: Codable, Sendable, Hashable {
    public var code: String
    public var product: String
    public var tier: RiskTier
    public var dayZero: CalendarDate?
    public var status: SubjectStatus
    /// SPEC §11: the latest infusion, done visit or reached contact.
    public var lastContact: CalendarDate?

    public init(code: String, product: String, tier: RiskTier, dayZero: CalendarDate?, status: SubjectStatus, lastContact: CalendarDate? = nil) {
        self.lastContact = lastContact
        self.code = code
        self.product = product
        self.tier = tier
        self.dayZero = dayZero
        self.status = status
    }
}

/// A row of `due` and `overdue` (SPEC §8).
public struct VisitDue: Codable, Sendable, Hashable {
    public var subject: String
    public var visit: String
    public var target: CalendarDate
    public var windowOpen: CalendarDate
    public var windowClose: CalendarDate
    public var status: VisitStatus
    /// SPEC §10: why an unscheduled visit was added; absent for planned visits.
    public var purpose: VisitPurpose?

    public init(subject: String, visit: String, target: CalendarDate, windowOpen: CalendarDate, windowClose: CalendarDate, status: VisitStatus,
                purpose: VisitPurpose? = nil)
    {
        self.purpose = purpose
        self.subject = subject
        self.visit = visit
        self.target = target
        self.windowOpen = windowOpen
        self.windowClose = windowClose
        self.status = status
    }
}

/// `status` (SPEC §8); more keys may follow.
public struct StatusResponse: Codable, Sendable, Hashable {
    public var version: String
    public var uptimeSeconds: Int
    public var site: String
    public var timezone: String
    public var today: CalendarDate
    public var subjects: Int
    public var due: Int
    public var overdue: Int
    /// The next notification to fire, `YYYY-MM-DD HH:MM` local time, or `null`.
    public var nextNotification: String?
    /// The mail queue.
    public var mail: MailStatus?
    /// SPEC §11: active subjects with no contact for more than 365 days.
    public var noContactOver365Days: Int
    /// SPEC §10: safety signals no one has acknowledged yet.
    public var openSignals: Int
    /// SPEC §10: each product's stopping-rule counts; `met` until acknowledged.
    public var stoppingRules: [StoppingRuleEntry]
    /// Issue #23: the long write under way (an import), absent when there is none.
    public var activity: ActivityResponse?
    /// SPEC §15: `[site] language`, what the site's people read (`en` or `zh-CN`); the report
    /// is written in it unless `ltfuctl report --language` says otherwise.
    public var language: String?

    public init(version: String, uptimeSeconds: Int, site: String, timezone: String, today: CalendarDate, subjects: Int,
                due: Int, overdue: Int, nextNotification: String?, mail: MailStatus? = nil, openSignals: Int = 0,
                stoppingRules: [StoppingRuleEntry] = [], noContactOver365Days: Int = 0, activity: ActivityResponse? = nil,
                language: String? = nil)
    {
        self.language = language
        self.activity = activity
        self.noContactOver365Days = noContactOver365Days
        self.openSignals = openSignals
        self.stoppingRules = stoppingRules
        self.mail = mail
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.site = site
        self.timezone = timezone
        self.today = today
        self.subjects = subjects
        self.due = due
        self.overdue = overdue
        self.nextNotification = nextNotification
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try c.encode(site, forKey: .site)
        try c.encode(timezone, forKey: .timezone)
        try c.encode(today, forKey: .today)
        try c.encode(subjects, forKey: .subjects)
        try c.encode(due, forKey: .due)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(nextNotification, forKey: .nextNotification)
        try c.encodeIfPresent(mail, forKey: .mail)
        try c.encode(noContactOver365Days, forKey: .noContactOver365Days)
        try c.encode(openSignals, forKey: .openSignals)
        try c.encode(stoppingRules, forKey: .stoppingRules)
        try c.encodeIfPresent(activity, forKey: .activity)
        try c.encodeIfPresent(language, forKey: .language)
    }
}

/// A row of `audit`.
public struct AuditEntry: Codable, Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var user: String
    public var uid: Int64
    public var action: String
    public var subject: String?
    /// The change as a JSON object, serialised.
    public var change: String

    public init(id: Int64, at: String, user: String, uid: Int64, action: String, subject: String?, change: String) {
        self.id = id
        self.at = at
        self.user = user
        self.uid = uid
        self.action = action
        self.subject = subject
        self.change = change
    }
}

/// `audit --verify`.
public struct AuditVerifyResponse: Codable, Sendable, Hashable {
    public var ok: Bool
    public var rows: Int
    public var problem: String?
    /// The first row of the keyed chain; `nil` when no row is keyed (no audit key).
    public var keyedFrom: Int64?

    public init(ok: Bool, rows: Int, problem: String?, keyedFrom: Int64?) {
        self.ok = ok
        self.rows = rows
        self.problem = problem
        self.keyedFrom = keyedFrom
    }
}

/// The body of every error answer: `{"error": {"code": "...", "message": "..."}}` (SPEC §8).
public struct ErrorResponse: Codable, Sendable, Hashable {
    public struct Body: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    public var error: Body

    public init(code: String, message: String) {
        error = Body(code: code, message: message)
    }
}
