import Foundation
import GRDB
import LTFUCore

/// What enrolling a subject writes: the registry has validated the input and planned the calendar.
public struct Enrollment: Sendable {
    public var code: String
    public var product: Product
    public var infusions: [CalendarDate]
    public var birthDate: CalendarDate?
    public var plan: FollowUpPlan
    public var templateId: String
    /// SPEC §11: the consent given at enrollment, if recorded with it, and the rule it follows.
    public var consent: ConsentInput?
    public var consentRule: ConsentRule
    /// The site's today, for the consent's date check.
    public var today: CalendarDate?

    public init(code: String, product: Product, infusions: [CalendarDate], birthDate: CalendarDate?, plan: FollowUpPlan, templateId: String,
                consent: ConsentInput? = nil, consentRule: ConsentRule = ConsentRule(), today: CalendarDate? = nil)
    {
        self.code = code
        self.product = product
        self.infusions = infusions
        self.birthDate = birthDate
        self.plan = plan
        self.templateId = templateId
        self.consent = consent
        self.consentRule = consentRule
        self.today = today
    }
}

extension FollowUpStore {
    /// Enrolls a treated subject and materialises its first series, in one transaction.
    public func enroll(_ enrollment: Enrollment, by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail {
        try write { db in
            let change = try Self.insertEnrollment(db, enrollment, at: instant).change
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "enroll", subject: enrollment.code, change: change)
            return try SubjectDetail.fetch(db, code: enrollment.code)
        }
    }

    /// Enrollment's checks and rows, inside the caller's transaction (an import's too);
    /// returns what the audit trail says of it.
    /// `prepare` may record an outcome on a visit of the first series before it is written
    /// (see ``insertSeries``). Returns the subject as written too, without reading it back.
    static func insertEnrollment(_ db: Database, _ enrollment: Enrollment, at instant: Date,
                                 prepare: (inout VisitRecord) throws -> Void = { _ in })
        throws -> (change: [String: any Sendable], detail: SubjectDetail)
    {
        if try SubjectDetail.exists(db, code: enrollment.code) {
            throw LTFUError(.conflict, code: "duplicate-subject", "subject `{subject}` is already enrolled", ["subject": enrollment.code])
        }
        let version = try ProductVersionRecord.id(db, product: enrollment.product, tierRationale: enrollment.plan.tier.rationale)
        var subject = SubjectRecord(
            id: nil, code: enrollment.code, productId: enrollment.product.id, productVersionId: version,
            tier: enrollment.plan.tier.tier, tierOverride: enrollment.plan.tier.isOverride, birthDate: enrollment.birthDate, status: .active,
            endReason: nil, endedOn: nil, enrolledAt: Timestamp.string(instant), lastContact: enrollment.infusions.max())
        try subject.insert(db)
        guard let subjectId = subject.id else { throw LTFUError(.internal, code: "database-error", "no id for the new subject") }
        let infusions = Set(enrollment.infusions).sorted()
        for date in infusions {
            var infusion = InfusionRecord(subjectId: subjectId, date: date)
            try infusion.insert(db)
        }
        let (series, visits) = try insertSeries(db, subjectId: subjectId, number: 1, plan: enrollment.plan, templateId: enrollment.templateId,
                                                prepare: prepare)
        var detail = SubjectDetail(subject: subject, infusions: infusions, series: [series],
                                   visits: visits.sorted { ($0.target, $0.month) < ($1.target, $1.month) })
        if let consent = enrollment.consent {
            try insertConsent(db, detail: detail, consent, rule: enrollment.consentRule, today: enrollment.today ?? consent.date, at: instant)
            detail = try SubjectDetail.fetch(db, code: enrollment.code)
        }
        let change: [String: any Sendable] = [
            "product": enrollment.product.id,
            "tier": enrollment.plan.tier.tier.rawValue,
            "tierOverride": enrollment.plan.tier.isOverride,
            "infusions": Set(enrollment.infusions).sorted().map(\.description),
            "dayZero": enrollment.plan.dayZero.description,
            "birthDateGiven": enrollment.birthDate != nil,
            "visits": enrollment.plan.visits.count,
            "consent": enrollment.consent.map { "\($0.giver.rawValue) \($0.date)" } ?? "none",
        ]
        return (change, detail)
    }

    /// Records another infusion. SPEC §5: it re-anchors day 0; open visits of the current
    /// series are cancelled and replaced by a new series; done and missed visits stay.
    ///
    /// - Parameter replan: plans the new series from the subject, the product it was enrolled
    ///   with (SPEC §3: its tier too) and all its infusions; returns the plan and the template id used.
    public func infuse(code: String, on date: CalendarDate, today: CalendarDate, by actor: Actor, at instant: Date,
                       consentRule: ConsentRule = ConsentRule(),
                       replan: @escaping @Sendable (SubjectRecord, Product, [CalendarDate]) throws(LTFUError) -> (FollowUpPlan, String))
        throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            try Self.checkReinfusion(detail, on: date, today: today)
            let product = try ProductVersionRecord.product(db, id: detail.subject.productVersionId, subject: code)
            let (plan, templateId) = try replan(detail.subject, product, detail.infusions + [date])
            let change = try Self.reinfuse(db, detail: detail, on: date, plan: plan, templateId: templateId, today: today,
                                           consentRule: consentRule, at: instant)
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "infuse", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// Another infusion's checks and rows, inside the caller's transaction (an import's too);
    /// `plan` is the new series. Returns what the audit trail says of it.
    static func reinfuse(_ db: Database, detail: SubjectDetail, on date: CalendarDate, plan: FollowUpPlan, templateId: String,
                         today: CalendarDate, consentRule: ConsentRule, at instant: Date,
                         prepare: (inout VisitRecord) throws -> Void = { _ in }) throws -> [String: any Sendable]
    {
        let code = detail.subject.code
        try checkReinfusion(detail, on: date, today: today)
        guard let current = detail.currentSeries, let subjectId = detail.subject.id, let currentId = current.id else {
            throw LTFUError(.internal, code: "database-error", "subject `{subject}` has no visit series", ["subject": code])
        }
        var infusion = InfusionRecord(subjectId: subjectId, date: date)
        try infusion.insert(db)
        let cancelled = try VisitRecord
            .filter(VisitRecord.Columns.seriesId == currentId && VisitRecord.Columns.state == VisitState.open
                && VisitRecord.Columns.purpose == nil)
            .updateAll(db, [Column("state").set(to: VisitState.cancelled), Column("cancelReason").set(to: "reinfusion"),
                            Column("resolvedAt").set(to: Timestamp.string(instant))])
        let newSeries = try insertSeries(db, subjectId: subjectId, number: current.number + 1, plan: plan, templateId: templateId,
                                         prepare: prepare).series.id
        // SPEC §10: a safety visit still open is not a calendar visit: it moves to the new series.
        // SPEC §12: its calendar UID is kept for ever, and one drawn from the series number
        // (CalendarUID) would change with it: it stores the one it had.
        let uids = try CalendarUID(db)
        let moving = try Row.fetchAll(db, sql: "SELECT id, code, uid FROM visit WHERE seriesId = ? AND state = 'open' AND purpose IS NOT NULL",
                                      arguments: [currentId])
        for row in moving {
            let uid = uids.uid(stored: row["uid"], subject: code, series: current.number, visit: row["code"])
            try db.execute(sql: "UPDATE visit SET seriesId = ?, uid = ? WHERE id = ?", arguments: [newSeries, uid, row["id"] as Int64])
        }
        try touchLastContact(db, subjectId: subjectId, on: date)
        // SPEC §11: a longer series may now reach the birthday at majority.
        try applyConsentRule(db, code: code, rule: consentRule, at: instant)
        return ["infusion": date.description, "dayZero": plan.dayZero.description, "series": current.number + 1,
                "cancelledVisits": cancelled, "visits": plan.visits.count]
    }

    /// SPEC §5: only an active subject's later infusion, not in the future, re-anchors day 0.
    static func checkReinfusion(_ detail: SubjectDetail, on date: CalendarDate, today: CalendarDate) throws {
        let code = detail.subject.code
        try requireActive(detail.subject)
        try DateRules.notInFuture(date, today: today, what: .phrase("infusion date"))
        guard let current = detail.currentSeries else {
            throw LTFUError(.internal, code: "database-error", "subject `{subject}` has no visit series", ["subject": code])
        }
        guard !detail.infusions.contains(date) else {
            throw LTFUError(.conflict, code: "duplicate-infusion", "subject `{subject}` already has an infusion on {date}", ["subject": code, "date": date])
        }
        guard date > current.dayZero else {
            throw LTFUError(.data, code: "date-before-day-zero",
                            "infusion date {date} is not after day 0 ({dayZero}) of subject `{subject}`; only a later infusion re-anchors the calendar",
                            ["date": date, "dayZero": current.dayZero, "subject": code])
        }
    }

    /// Inserts a series and its planned visits; `prepare` may record an outcome on a visit
    /// before it is written (an import's history, checked by the same rules as `record`).
    @discardableResult
    static func insertSeries(_ db: Database, subjectId: Int64, number: Int, plan: FollowUpPlan, templateId: String,
                             prepare: (inout VisitRecord) throws -> Void = { _ in }) throws -> (series: SeriesRecord, visits: [VisitRecord])
    {
        var series = SeriesRecord(subjectId: subjectId, number: number, dayZero: plan.dayZero, followUpEnds: plan.followUpEnds,
                                  pediatric: plan.pediatric, ageKnown: plan.ageKnown, templateId: templateId)
        try series.insert(db)
        guard let seriesId = series.id else { throw LTFUError(.internal, code: "database-error", "no id for the new series") }
        var visits: [VisitRecord] = []
        visits.reserveCapacity(plan.visits.count)
        for planned in plan.visits {
            var visit = VisitRecord(subjectId: subjectId, seriesId: seriesId, planned: planned)
            try prepare(&visit)
            try visit.insertPlanned(db)
            visits.append(visit)
        }
        return (series, visits)
    }

    static func requireActive(_ subject: SubjectRecord) throws(LTFUError) {
        guard subject.status == .active else {
            throw LTFUError(.conflict, code: "subject-ended",
                            "subject `{subject}` has ended follow-up ({reason} on {date}); nothing more can be recorded",
                            ["subject": subject.code, "reason": subject.endReason?.rawValue ?? "ended", "date": subject.endedOn?.description ?? "?"])
        }
    }
}
