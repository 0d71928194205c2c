import Foundation
import GRDB
import LTFUCore
import LTFUL10n

/// A result as the coordinator gave it, already parsed by the registry.
public struct ResultInput: Sendable, Hashable {
    public var assessment: Assessment
    public var value: String
    /// The result date; the visit's done date when `nil`.
    public var date: CalendarDate?
    public var sample: String?
    public var percent: Double?
    public var note: String?

    public init(assessment: Assessment, value: String, date: CalendarDate?, sample: String?, percent: Double?, note: String?) {
        self.assessment = assessment
        self.value = value
        self.date = date
        self.sample = sample
        self.percent = percent
        self.note = note
    }
}

/// A safety event as reported, already parsed by the registry.
public struct EventInput: Sendable, Hashable {
    public var kind: SafetyEventKind
    public var date: CalendarDate
    public var related: Relatedness
    public var note: String?

    public init(kind: SafetyEventKind, date: CalendarDate, related: Relatedness, note: String?) {
        self.kind = kind
        self.date = date
        self.related = related
        self.note = note
    }
}

extension FollowUpStore {
    /// Records what an assessment of a done visit found (SPEC §10), and in the same
    /// transaction what the finding sets off: the signal, the unscheduled visit, the changed
    /// RCL schedule, or the event a `new` malignancy or infection reports. A second result for
    /// the same assessment is a correction: it needs a note and supersedes the first; it sets
    /// things off only when it turns a result into a finding it was not before.
    public func recordResult(code: String, visit visitCode: String, _ input: ResultInput, settings: SafetySettings,
                             today: CalendarDate, by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            let (action, change) = try Self.insertResult(db, detail: detail, visit: visitCode, input, settings: settings, today: today,
                                                         at: instant)
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: action, subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// A result's checks and rows and what it sets off, inside the caller's transaction (an
    /// import's too). Returns the audit action and what the trail says of it.
    /// - Parameter seriesId: the series the visit is in, when the caller knows (an import
    ///   replaying an earlier calendar); otherwise the latest series that has it done.
    static func insertResult(_ db: Database, detail: SubjectDetail, visit visitCode: String, inSeries seriesId: Int64? = nil,
                             _ input: ResultInput, settings: SafetySettings, today: CalendarDate, at instant: Date)
        throws -> (String, [String: any Sendable])
    {
        let code = detail.subject.code
        let visit = try doneVisit(detail, visitCode: visitCode, inSeries: seriesId)
        guard let visitId = visit.id, let subjectId = detail.subject.id, let doneOn = visit.doneOn else {
            throw LTFUError(.internal, code: "database-error", "visit {visit} of subject `{subject}` has no id", ["visit": visitCode, "subject": code])
        }
        guard visit.assessmentList.contains(input.assessment) else {
            throw LTFUError(.data, code: "assessment-not-planned",
                            "visit {visit} of subject `{subject}` does not list {assessment} (it lists: {planned})",
                            ["visit": visitCode, "subject": code, "assessment": input.assessment.rawValue,
                             "planned": visit.assessmentList.map(\.rawValue).joined(separator: ", ")])
        }
        let date = input.date ?? doneOn
        try DateRules.notInFuture(date, today: today, what: .phrase("result date"))
        guard date >= doneOn else {
            throw LTFUError(.data, code: "result-before-visit",
                            "result date {date} is before visit {visit} of subject `{subject}` was done ({doneOn})",
                            ["date": date, "visit": visitCode, "subject": code, "doneOn": doneOn])
        }
        let previous = try ResultRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM result WHERE visitId = ? AND assessment = ? AND current = 1"),
            arguments: [visitId, input.assessment.rawValue])
        if let previous, input.note == nil {
            throw LTFUError(.data, code: "correction-needs-note",
                            "visit {visit} of subject `{subject}` already has {assessment} {value} ({date}); a correction needs --note saying why",
                            ["visit": visitCode, "subject": code, "assessment": input.assessment.rawValue, "value": previous.value, "date": previous.date])
        }
        if var superseded = previous {
            superseded.current = false
            try superseded.update(db, columns: [ResultRecord.Columns.current])
        }
        var result = ResultRecord(subjectId: subjectId, visitId: visitId, assessment: input.assessment, value: input.value,
                                  date: date, sample: input.sample, percent: input.percent, note: input.note,
                                  recordedAt: Timestamp.string(instant), supersedes: previous?.id, current: true)
        try result.insert(db)
        guard let resultId = result.id else { throw LTFUError(.internal, code: "database-error", "no id for the new result") }
        var change: [String: any Sendable] = ["visit": visitCode, "assessment": input.assessment.rawValue, "value": input.value,
                                              "date": date.description]
        if let sample = input.sample { change["sample"] = sample }
        if let percent = input.percent { change["percent"] = percent }
        if let note = input.note { change["note"] = note }
        if let previous { change["supersedes"] = ["value": previous.value, "date": previous.date.description, "id": previous.id ?? 0] as [String: any Sendable] }

        let finding = ResultVocabulary.finding(assessment: input.assessment, value: input.value, percent: input.percent,
                                               settings: settings)
        let before = previous.flatMap {
            ResultVocabulary.finding(assessment: $0.assessment, value: $0.value, percent: $0.percent, settings: settings)
        }
        if let finding, finding != before {
            let facts = NotificationFinding(assessment: input.assessment, value: input.value, product: detail.subject.productId)
            switch finding {
            case .event(let kind):
                // Corrected back and forth, one result reports its event once.
                let reported = try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM safetyEvent JOIN result ON result.id = safetyEvent.resultId
                                   WHERE result.visitId = ? AND result.assessment = ? AND safetyEvent.kind = ?)
                    """, arguments: [visitId, input.assessment, kind]) ?? false
                if !reported, detail.subject.status == .active {
                    try insertEvent(db, detail: detail, EventInput(kind: kind, date: date, related: .unknown, note: nil),
                                    resultId: resultId, visitId: visitId, today: today, at: instant)
                }
            default:
                let response = SafetyRules.respond(toResult: finding, on: date, visitMonth: visit.month, visitPurpose: visit.purpose)
                // One signal per visit, assessment and signal: corrections never raise it twice.
                try apply(response, db, detail: detail, facts: facts, date: date,
                          source: "visit-\(visitId)-\(input.assessment.rawValue)", visit: visit, today: today, at: instant)
            }
        }
        return (previous == nil ? "result" : "correct-result", change)
    }

    /// Records a safety event reported for an active subject (SPEC §10), with what it sets off;
    /// a death also ends the subject's follow-up. `end --reason death` comes here too: one
    /// path, one signal.
    public func recordEvent(code: String, _ input: EventInput, today: CalendarDate, by actor: Actor, at instant: Date)
        throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            guard detail.subject.status == .active else {
                throw LTFUError(.conflict, code: "subject-already-ended",
                                "subject `{subject}` already ended follow-up ({reason} on {date}); no {kind} can be reported",
                                ["subject": code, "reason": detail.subject.endReason?.rawValue ?? "ended", "date": detail.subject.endedOn?.description ?? "?",
                                 "kind": input.kind.rawValue])
            }
            try DateRules.notInFuture(input.date, today: today, what: .phrase("event date"))
            if let first = detail.infusions.first, input.date < first {
                throw LTFUError(.data, code: "date-before-day-zero",
                                "event date {date} is before the first infusion of subject `{subject}` ({first})",
                                ["date": input.date, "subject": code, "first": first])
            }
            let event = try Self.insertEvent(db, detail: detail, input, resultId: nil, visitId: nil, today: today, at: instant)
            var change: [String: any Sendable] = ["kind": input.kind.rawValue, "date": input.date.description,
                                                  "related": input.related.rawValue, "event": event.id ?? 0]
            if input.kind == .death { change["endsFollowUp"] = true }
            if let note = input.note { change["note"] = note }
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "event", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// Inserts an event and applies SPEC §10's rule for it.
    @discardableResult
    static func insertEvent(_ db: Database, detail: SubjectDetail, _ input: EventInput, resultId: Int64?, visitId: Int64?,
                            today: CalendarDate, at instant: Date) throws -> SafetyEventRecord
    {
        guard let subjectId = detail.subject.id else { throw LTFUError.unknownSubject(detail.subject.code) }
        var event = SafetyEventRecord(subjectId: subjectId, kind: input.kind, date: input.date, related: input.related,
                                      note: input.note, resultId: resultId, recordedAt: Timestamp.string(instant))
        try event.insert(db)
        let response = SafetyRules.respond(toEvent: input.kind, on: input.date, tier: detail.subject.tier)
        let facts = NotificationFinding(eventKind: input.kind, related: input.related, product: detail.subject.productId)
        let visit = visitId.flatMap { id in detail.visits.first { $0.id == id } }
        try apply(response, db, detail: detail, facts: facts, date: input.date, source: "event-\(event.id ?? 0)", visit: visit,
                  today: today, at: instant)
        return event
    }

    /// Carries out a rule's response inside the caller's transaction: ends the subject, adds
    /// the unscheduled visit, turns RCL archives into tests, and raises the signal, whose
    /// notification says what followed.
    static func apply(_ response: SafetyRules.Response, _ db: Database, detail: SubjectDetail, facts: NotificationFinding,
                      date: CalendarDate, source: String, visit: VisitRecord?, today: CalendarDate, at instant: Date) throws
    {
        guard let subjectId = detail.subject.id, let series = detail.currentSeries, let seriesId = series.id else {
            throw LTFUError.unknownSubject(detail.subject.code)
        }
        let signalId = response.signal.map { NotificationRecord.id(parts: ["safety-signal", source, $0.rawValue]) }
        if let signalId, try NotificationRecord.exists(db, key: signalId) { return }
        // A late result for a subject who has ended raises its signal; it plans nothing more.
        var response = response
        if detail.subject.status == .ended {
            response.visit = nil
            response.rclArchiveBecomesTest = false
        }
        var followed: [FindingFollowUp] = []
        if response.endsSubject {
            try endSubject(db, detail: detail, reason: .death, on: date, today: today, at: instant)
            followed.append(.followUpEnded)
        }
        if let unscheduled = response.visit {
            let number = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visit WHERE subjectId = ? AND purpose IS NOT NULL",
                                          arguments: [subjectId]) ?? 0
            var added = VisitRecord(subjectId: subjectId, seriesId: seriesId, number: number + 1, unscheduled: unscheduled)
            try added.insert(db)
            followed.append(.visitPlanned(purpose: unscheduled.purpose, visit: added.code, window: unscheduled.window))
        }
        if response.rclArchiveBecomesTest, let visit {
            let changed = try rclArchivesBecomeTests(db, seriesId: seriesId, after: visit)
            if !changed.isEmpty {
                var notice = facts
                notice.detail = FindingFollowUp.archivesBecomeTests(visits: changed, why: true).words(Localizer(.english))
                try insertNotification(db, kind: .scheduleChanged, id: NotificationRecord.id(parts: ["schedule-changed", source]),
                                       subjectId: subjectId, visitId: visit.id, date: date, finding: notice, today: today, at: instant)
                followed.append(.archivesBecomeTests(visits: changed, why: false))
            }
        }
        if let signal = response.signal, let signalId {
            var raised = facts
            raised.signal = signal
            raised.detail = FindingFollowUp.words(followed)
            try insertNotification(db, kind: .safetySignal, id: signalId,
                                   subjectId: subjectId, visitId: visit?.id, date: date, finding: raised, today: today, at: instant)
        }
    }

    /// SPEC §10: after a first-year RCL finding, every later open regular visit of the series
    /// tests for RCL instead of archiving a sample. Returns the visit codes changed.
    static func rclArchivesBecomeTests(_ db: Database, seriesId: Int64, after visit: VisitRecord) throws -> [String] {
        let later = try VisitRecord.filter(VisitRecord.Columns.seriesId == seriesId && VisitRecord.Columns.state == VisitState.open
            && VisitRecord.Columns.purpose == nil && Column("month") > visit.month).order(Column("month")).fetchAll(db)
        var changed: [String] = []
        for var candidate in later where candidate.assessmentList.contains(.rclArchive) {
            candidate.assessments = candidate.assessmentList.map { $0 == .rclArchive ? .rclTest : $0 }.map(\.rawValue)
                .joined(separator: ",")
            try candidate.update(db, columns: [Column("assessments")])
            changed.append(candidate.code)
        }
        return changed
    }

    /// Records a notification to go out at once (fires today), carrying a finding.
    static func insertNotification(_ db: Database, kind: NotificationKind, id: String, subjectId: Int64, visitId: Int64?,
                                   date: CalendarDate, finding: NotificationFinding, today: CalendarDate, at instant: Date) throws
    {
        var record = NotificationRecord(id: id, kind: kind, subjectId: subjectId, visitId: visitId, date: date, state: .pending,
                                        fireOn: today, createdAt: Timestamp.string(instant), emittedAt: nil)
        record.carry(finding)
        try record.insert(db, onConflict: .ignore)
    }

    /// The done visit `visitCode` whose result this is: of the most recent series that has it
    /// done (results of an earlier series may arrive after a re-infusion), or the error that
    /// says why there is none.
    static func doneVisit(_ detail: SubjectDetail, visitCode: String, inSeries seriesId: Int64? = nil) throws -> VisitRecord {
        let code = detail.subject.code
        let candidates = detail.visits.filter { $0.code == visitCode && (seriesId == nil || $0.seriesId == seriesId) }
        // A done visit takes its results even after the subject ended (a lab result arrives late).
        if let done = candidates.last(where: { $0.state == .done }) { return done }
        try requireActive(detail.subject)
        guard let current = candidates.last else {
            let planned = detail.visits.filter { $0.seriesId == detail.currentSeries?.id }.map(\.code)
            throw LTFUError(.notFound, code: "unknown-visit",
                            "subject `{subject}` has no visit `{visit}` (visits: {visits})",
                            ["subject": code, "visit": visitCode, "visits": planned.joined(separator: ", ")])
        }
        let values: KeyValuePairs<String, any LTFUError.Placeable> = ["visit": visitCode, "subject": code, "state": current.state.rawValue]
        if current.state == .open {
            throw LTFUError(.conflict, code: "visit-not-done",
                            "visit {visit} of subject `{subject}` is not done (it is {state}): results are recorded on done visits; record the visit first with `ltfuctl record {subject} {visit} --on DATE`",
                            values)
        }
        throw LTFUError(.conflict, code: "visit-not-done",
                        "visit {visit} of subject `{subject}` is not done (it is {state}): results are recorded on done visits", values)
    }
}
