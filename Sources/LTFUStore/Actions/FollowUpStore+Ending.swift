import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Ends a subject's follow-up (SPEC §5): its open visits are cancelled; nothing is deleted.
    /// A death is a safety event (SPEC §10: one path, one signal): the registry sends
    /// `end --reason death` to ``recordEvent(code:_:today:by:at:)``.
    ///
    /// SPEC §11: `lost-to-follow-up` needs the retention rule's evidence of failed attempts;
    /// `force` (with a note, checked by the registry) overrides it, and the audit trail says so.
    public func end(code: String, reason: EndReason, on date: CalendarDate, today: CalendarDate, retention: RetentionRule = RetentionRule(),
                    force: Bool = false, note: String? = nil, by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            guard detail.subject.status == .active else {
                throw LTFUError(.conflict, code: "subject-already-ended",
                                "subject `{subject}` already ended follow-up ({reason} on {date})",
                                ["subject": code, "reason": detail.subject.endReason?.rawValue ?? "?", "date": detail.subject.endedOn?.description ?? "?"])
            }
            try Self.checkEndDate(date, detail: detail, today: today)
            var change: [String: any Sendable] = ["reason": reason.rawValue, "endedOn": date.description]
            if reason == .lostToFollowUp {
                let (evidence, failed) = try Self.retentionEvidence(db, subject: detail.subject, rule: retention)
                change["failedAttempts"] = failed
                if evidence == nil {
                    guard force else { throw retention.refusal(failedSinceLastContact: failed, code: code) }
                    change["forcedWithoutEvidence"] = true
                }
            }
            if let note { change["note"] = note }
            change["cancelledVisits"] = try Self.endSubject(db, detail: detail, reason: reason, on: date, today: today, at: instant)
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "end", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// An end is dated between the first infusion and today.
    static func checkEndDate(_ date: CalendarDate, detail: SubjectDetail, today: CalendarDate) throws {
        try DateRules.notInFuture(date, today: today, what: .phrase("end date"))
        if let first = detail.infusions.first {
            guard date >= first else {
                throw LTFUError(.data, code: "date-before-day-zero", "end date {date} is before the first infusion ({first})", ["date": date, "first": first])
            }
        }
    }

    /// Marks the subject ended, cancels its open visits (but a tissue sample, which SPEC §10
    /// keeps open after a death) and records `subject-ended`. Returns how many were cancelled.
    @discardableResult
    static func endSubject(_ db: Database, detail: SubjectDetail, reason: EndReason, on date: CalendarDate, today: CalendarDate,
                           at instant: Date) throws -> Int
    {
        var subject = detail.subject
        subject.status = .ended
        subject.endReason = reason
        subject.endedOn = date
        try subject.update(db)
        let cancelled = try VisitRecord
            .filter(VisitRecord.Columns.subjectId == subject.id && VisitRecord.Columns.state == VisitState.open
                && (VisitRecord.Columns.purpose == nil || VisitRecord.Columns.purpose != VisitPurpose.tissueSample))
            .updateAll(db, [Column("state").set(to: VisitState.cancelled), Column("cancelReason").set(to: "subject-ended"),
                            Column("resolvedAt").set(to: Timestamp.string(instant))])
        try recordSubjectEnded(db, subject: subject, on: date, fireOn: today, at: instant)
        return cancelled
    }
}
