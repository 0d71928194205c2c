import Foundation
import LTFUCore
import LTFUFormats
import LTFUStore
import LTFUWire

extension SubjectRegistry {
    public func show(code: String) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        return show(try store.subject(code: code), today: today)
    }

    public func list(tier: RiskTier?, status: SubjectStatus?) throws(LTFUError) -> [SubjectSummary] {
        try store.subjects(tier: tier, status: status).map {
            SubjectSummary(code: $0.subject.code, product: $0.subject.productId, tier: $0.subject.tier, dayZero: $0.dayZero,
                           status: $0.subject.status, lastContact: $0.subject.lastContact)
        }
    }

    public func due(within days: Int) throws(LTFUError) -> [VisitDue] {
        guard (0...3650).contains(days) else {
            throw LTFUError(.data, code: "invalid-within", "`within` (ltfuctl due --within) must be between 0 and 3650 days, not {days}", ["days": days])
        }
        let today = today
        return try store.dueVisits(today: today, within: days).map { Self.row($0, today: today) }
    }

    public func overdue() throws(LTFUError) -> [VisitDue] {
        let today = today
        return try store.overdueVisits(today: today).map { Self.row($0, today: today) }
    }

    public func audit(subject: String?) throws(LTFUError) -> [AuditEntry] {
        if let subject { try Self.requireSubjectCode(subject) }
        return try store.auditTrail(subject: subject).map {
            AuditEntry(id: $0.id ?? 0, at: $0.at, user: $0.user, uid: $0.uid, action: $0.action, subject: $0.subject, change: $0.change)
        }
    }

    /// What was emitted, fired on or after `since` (SPEC §8 `notifications`).
    public func notifications(since text: String?) throws(LTFUError) -> [NotificationEntry] {
        let since = try text.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("--since date")) }
        return try store.emittedNotifications(since: since).map {
            NotificationEntry(id: $0.id, kind: $0.kind, subject: $0.subject, visit: $0.visit, date: $0.date, emittedAt: $0.emittedAt,
                              purpose: $0.purpose, signal: $0.signal)
        }
    }

    public func mailQueue() throws(LTFUError) -> [MailQueueEntry] {
        try store.mailQueue().map {
            MailQueueEntry(id: $0.id, kind: $0.kind.rawValue, subject: $0.subject, attempts: $0.attempts, createdAt: $0.createdAt,
                           nextAttemptAt: $0.nextAttemptAt, lastError: $0.lastError)
        }
    }

    public func mailStatus() throws(LTFUError) -> MailStatus {
        let queue = try store.mailQueue()
        return MailStatus(enabled: configuration.mail.enabled, queued: queue.count, failing: queue.filter { $0.attempts > 0 }.count,
                          oldest: queue.first?.createdAt)
    }

    public func verifyAudit() throws(LTFUError) -> AuditVerifyResponse {
        let result = try store.verifyAuditChain()
        return AuditVerifyResponse(ok: result.ok, rows: result.rows, problem: result.problem, keyedFrom: result.keyedFrom)
    }

    public func status(version: String, startedAt: Date, nextNotification: String?) throws(LTFUError) -> StatusResponse {
        let today = today
        let counts = try statusCounts(today: today)
        let configuration = configuration
        return StatusResponse(version: version, uptimeSeconds: max(0, Int(now.timeIntervalSince(startedAt))),
                              site: configuration.site.id, timezone: configuration.site.timeZone.identifier, today: today,
                              subjects: counts.site.activeSubjects, due: counts.site.due, overdue: counts.site.overdue,
                              nextNotification: nextNotification, mail: counts.mail,
                              openSignals: counts.openSignals, stoppingRules: counts.stoppingRules,
                              noContactOver365Days: counts.site.noContactOver365Days, activity: activity.withLock { $0 },
                              language: configuration.site.language.rawValue)
    }

    /// What `status` counts in the store, kept as `due`'s answer is (``AnswerCache``): until
    /// the store writes, the day turns or a reload changes the thresholds. Counting open
    /// visits at 100,000 subjects takes 20 ms; a monitoring script asks every few seconds.
    struct StatusCounts: Sendable {
        var generation: UInt64
        var today: CalendarDate
        var site: SiteCounts
        var mail: MailStatus
        var openSignals: Int
        var stoppingRules: [StoppingRuleEntry]
    }

    func statusCounts(today: CalendarDate) throws(LTFUError) -> StatusCounts {
        // Read before counting: a write that lands meanwhile raises it, and the next asker counts again.
        let generation = store.generation
        if let kept = keptStatus.withLock({ $0 }), kept.generation == generation, kept.today == today { return kept }
        let counts = StatusCounts(generation: generation, today: today, site: try store.counts(today: today), mail: try mailStatus(),
                                  openSignals: try store.openSignalCount(), stoppingRules: try stoppingRules())
        keptStatus.withLock { $0 = counts }
        return counts
    }

    static func row(_ visit: OpenVisit, today: CalendarDate) -> VisitDue {
        VisitDue(subject: visit.subject, visit: visit.code, target: visit.target, windowOpen: visit.windowOpen,
                 windowClose: visit.windowClose, status: VisitStatus(state: .open, window: visit.window, today: today),
                 purpose: visit.purpose)
    }

    func show(_ detail: SubjectDetail, today: CalendarDate) -> ShowResponse {
        let numbers = Dictionary(uniqueKeysWithValues: detail.series.compactMap { series in series.id.map { ($0, series.number) } })
        let current = detail.currentSeries
        let subject = detail.subject
        let resultsByVisit = Dictionary(grouping: detail.results, by: \.visitId)
        return ShowResponse(
            subject: .init(code: subject.code, product: subject.productId, tier: subject.tier, tierOverride: subject.tierOverride,
                           dayZero: current?.dayZero, followUpEnds: current?.followUpEnds, infusions: detail.infusions,
                           pediatric: current?.pediatric ?? false, ageKnown: current?.ageKnown ?? false,
                           status: subject.status, endReason: subject.endReason, endedOn: subject.endedOn,
                           lastContact: subject.lastContact),
            visits: detail.visits.map { visit in
                .init(code: visit.code, series: numbers[visit.seriesId] ?? 0, target: visit.target, windowOpen: visit.windowOpen,
                      windowClose: visit.windowClose, mode: visit.mode, assessments: visit.assessmentList,
                      status: visit.status(today: today), doneOn: visit.doneOn, deviation: visit.deviation,
                      missReason: visit.missReason, note: visit.note, purpose: visit.purpose,
                      results: (resultsByVisit[visit.id ?? -1] ?? []).map {
                          ResultEntry(assessment: $0.assessment, value: $0.value, on: $0.date, sample: $0.sample, percent: $0.percent,
                                      corrected: $0.supersedes != nil)
                      })
            },
            events: detail.events.map { EventEntry(kind: $0.kind, on: $0.date, related: $0.related) },
            contacts: detail.contacts.map { contact in
                ContactEntry(on: contact.date, by: contact.method, outcome: contact.outcome,
                             visit: contact.visitId.flatMap { id in detail.visits.first { $0.id == id }?.code })
            },
            consents: detail.consents.map { ConsentEntry(on: $0.date, by: $0.giver, form: $0.form) })
    }
}

extension SubjectRegistry {
    /// SPEC §12: how long a done, missed or cancelled visit stays in the calendar feed.
    static let calendarKeepsChangesFor = 90

    /// The calendar feed as iCalendar text, of the whole site or one subject.
    public func calendar(subject: String?) throws(LTFUError) -> String {
        var text = ""
        try writeCalendar(subject: subject) { text += $0 }
        return text
    }

    /// The feed in pieces, header to footer, each handed to `sink` as it is made.
    public func writeCalendar(subject: String?, to sink: (String) throws -> Void) throws(LTFUError) {
        if let subject {
            try Self.requireSubjectCode(subject)
            _ = try store.subject(code: subject)
        }
        let configuration = configuration
        let now = now
        let today = today
        let stamp = ICalendar.stamp(now)
        do {
            try sink(ICalendar.header(site: configuration.site.id))
        } catch let error as LTFUError {
            throw error
        } catch {
            throw LTFUError(.internal, code: "calendar-unwritable", verbatim: "\(error)")
        }
        try store.forEachCalendarEvent(changedSince: now.addingTimeInterval(-Double(Self.calendarKeepsChangesFor) * 86_400), subject: subject) {
            try sink(ICalendar.event($0, upcomingDays: configuration.notify.upcomingDays, today: today, stamp: stamp))
        }
        do {
            try sink(ICalendar.footer)
        } catch let error as LTFUError {
            throw error
        } catch {
            throw LTFUError(.internal, code: "calendar-unwritable", verbatim: "\(error)")
        }
    }
}
