import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Ends a subject's follow-up (SPEC §5): its open visits are cancelled; nothing is deleted.
    public func end(code: String, reason: EndReason, on date: CalendarDate, today: CalendarDate,
                    by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            var detail = try SubjectDetail.fetch(db, code: code)
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
            detail.subject.status = .ended
            detail.subject.endReason = reason
            detail.subject.endedOn = date
            try detail.subject.update(db)
            let cancelled = try VisitRecord
                .filter(VisitRecord.Columns.subjectId == detail.subject.id && VisitRecord.Columns.state == VisitState.open)
                .updateAll(db, [Column("state").set(to: VisitState.cancelled), Column("cancelReason").set(to: "subject-ended"),
                                Column("resolvedAt").set(to: Timestamp.string(instant))])
            try Self.recordSubjectEnded(db, subject: detail.subject, on: date, fireOn: today, at: instant)
            try AuditTrail.append(db, actor: actor, at: instant, action: "end", subject: code,
                                  change: ["reason": reason.rawValue, "endedOn": date.description, "cancelledVisits": cancelled])
            return try SubjectDetail.fetch(db, code: code)
        }
    }
}
