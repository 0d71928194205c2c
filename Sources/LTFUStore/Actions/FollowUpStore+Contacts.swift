import Foundation
import GRDB
import LTFUCore
import LTFUL10n

/// A contact attempt as the coordinator gave it, already parsed by the registry.
public struct ContactInput: Sendable, Hashable {
    public var date: CalendarDate
    public var method: ContactMethod
    public var outcome: ContactOutcome
    public var visit: String?
    public var note: String?

    public init(date: CalendarDate, method: ContactMethod, outcome: ContactOutcome, visit: String?, note: String?) {
        self.date = date
        self.method = method
        self.outcome = outcome
        self.visit = visit
        self.note = note
    }
}

extension FollowUpStore {
    /// Records a contact attempt (SPEC §11). A `reached` contact is a contact: it moves the
    /// subject's last contact, and with `visit` on a remote visit records that visit done on
    /// the date (outside its window, a deviation). An in-person visit stays open.
    public func recordContact(code: String, _ input: ContactInput, today: CalendarDate, by actor: Actor, at instant: Date)
        throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            try Self.requireActive(detail.subject)
            guard let subjectId = detail.subject.id else { throw LTFUError.unknownSubject(code) }
            try DateRules.notInFuture(input.date, today: today, what: .phrase("contact date"))
            if let first = detail.infusions.first, input.date < first {
                throw LTFUError(.data, code: "date-before-day-zero",
                                "contact date {date} is before the first infusion of subject `{subject}` ({first})",
                                ["date": input.date, "subject": code, "first": first])
            }
            var visit = try input.visit.map { visitCode in try Self.openVisit(db, code: code, visitCode: visitCode) }
            // A re-consent is done by the subject's consent, never by a call (SPEC §11).
            let recordsVisit = input.outcome == .reached && visit?.mode == .remote && visit?.purpose != .reConsent
            if recordsVisit, var done = visit {
                try DateRules.notBeforeDayZero(input.date, dayZero: detail.currentSeries?.dayZero ?? input.date, what: .phrase("contact date"))
                done.state = .done
                done.doneOn = input.date
                done.deviation = !done.window.contains(input.date)
                done.resolvedAt = Timestamp.string(instant)
                try done.update(db)
                visit = done
            }
            var contact = ContactRecord(subjectId: subjectId, date: input.date, method: input.method, outcome: input.outcome,
                                        visitId: visit?.id, note: input.note, recordedAt: Timestamp.string(instant))
            try contact.insert(db)
            if input.outcome == .reached { try Self.touchLastContact(db, subjectId: subjectId, on: input.date) }
            var change: [String: any Sendable] = ["date": input.date.description, "by": input.method.rawValue,
                                                  "outcome": input.outcome.rawValue, "recordsVisit": recordsVisit]
            if let visit = input.visit { change["visit"] = visit }
            if let note = input.note { change["note"] = note }
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "contact", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// SPEC §11: the last contact is the latest infusion, done visit or reached contact.
    static func touchLastContact(_ db: Database, subjectId: Int64, on date: CalendarDate) throws {
        try db.execute(sql: "UPDATE subject SET lastContact = ? WHERE id = ? AND (lastContact IS NULL OR lastContact < ?)",
                       arguments: [date, subjectId, date])
    }

    /// The dates of the failed attempts after the subject's last contact.
    static func failedAttemptsSinceLastContact(_ db: Database, subject: SubjectRecord) throws -> [CalendarDate] {
        try CalendarDate.fetchAll(db, sql: """
            SELECT date FROM contact WHERE subjectId = ? AND outcome <> 'reached' AND date > ? ORDER BY date
            """, arguments: [subject.id, subject.lastContact?.description ?? ""])
    }

    /// The retention evidence of a subject now (SPEC §11), and how many failed attempts count.
    static func retentionEvidence(_ db: Database, subject: SubjectRecord, rule: RetentionRule) throws
        -> (evidence: RetentionRule.Evidence?, failed: Int)
    {
        let failed = try failedAttemptsSinceLastContact(db, subject: subject)
        return (rule.evidence(failedAttempts: failed, since: subject.lastContact), failed.count)
    }

    /// SPEC §11: one `retention-risk` per run of failed attempts since a last contact, for each
    /// active subject (or only `subjectCode`) with an overdue visit whose attempts meet the rule.
    /// The scheduler looks at every subject once a day, and at one subject when a contact is
    /// recorded. Returns how many.
    public func scheduleRetentionRisks(rule: RetentionRule, today: CalendarDate, fireOn: CalendarDate, at instant: Date,
                                       subjectCode: String? = nil) throws(LTFUError) -> Int
    {
        try write { db in
            let candidates = try SubjectRecord.fetchAll(db, sql: """
                SELECT DISTINCT subject.* FROM contact INDEXED BY contact_failed JOIN subject ON subject.id = contact.subjectId
                WHERE contact.outcome <> 'reached' AND subject.status = 'active' AND contact.date > COALESCE(subject.lastContact, '')
                  AND (?1 IS NULL OR subject.code = ?1)
                """, arguments: [subjectCode])
            var created = 0
            for subject in candidates {
                guard let subjectId = subject.id,
                      let evidence = try Self.retentionEvidence(db, subject: subject, rule: rule).evidence,
                      try Bool.fetchOne(db, sql: """
                          SELECT EXISTS (SELECT 1 FROM visit WHERE subjectId = ? AND state = 'open' AND windowClose < ?)
                          """, arguments: [subjectId, today]) == true
                else { continue }
                try Self.insertNotification(
                    db, kind: .retentionRisk,
                    id: NotificationRecord.id(parts: ["retention-risk", subject.code, subject.lastContact?.description ?? "-"]),
                    subjectId: subjectId, visitId: nil, date: evidence.last,
                    finding: NotificationFinding(count: evidence.count,
                                                 detail: FindingFollowUp.failedContacts(count: evidence.count, first: evidence.first, last: evidence.last,
                                                                                        sinceContact: subject.lastContact).words(Localizer(.english))),
                    today: fireOn, at: instant)
                created += db.changesCount
            }
            return created
        }
    }
}
