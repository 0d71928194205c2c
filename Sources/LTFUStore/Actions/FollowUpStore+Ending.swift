import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Ends a subject's follow-up (SPEC §5): its open visits are cancelled; nothing is deleted.
    /// A death is a safety event (SPEC §10: one path, one signal): the registry sends
    /// `end --reason death` to ``recordEvent(code:_:today:by:at:)``.
    public func end(code: String, reason: EndReason, on date: CalendarDate, today: CalendarDate,
                    by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            guard detail.subject.status == .active else {
                throw LTFUError(.conflict, code: "subject-already-ended",
                                "subject `\(code)` already ended follow-up (\(detail.subject.endReason?.rawValue ?? "?") on \(detail.subject.endedOn?.description ?? "?"))")
            }
            try DateRules.notInFuture(date, today: today, what: "end date")
            if let first = detail.infusions.first {
                guard date >= first else {
                    throw LTFUError(.data, code: "date-before-day-zero", "end date \(date) is before the first infusion (\(first))")
                }
            }
            let cancelled = try Self.endSubject(db, detail: detail, reason: reason, on: date, today: today, at: instant)
            try AuditTrail.append(db, actor: actor, at: instant, action: "end", subject: code,
                                  change: ["reason": reason.rawValue, "endedOn": date.description, "cancelledVisits": cancelled])
            return try SubjectDetail.fetch(db, code: code)
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
