import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Records a visit of the current series as done. SPEC §5: a date outside the window is
    /// accepted and flagged as a deviation; a date before day 0 or after today is refused.
    public func record(code: String, visit visitCode: String, on date: CalendarDate, note: String?, today: CalendarDate,
                       by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            var visit = try Self.openVisit(db, code: code, visitCode: visitCode)
            let series = try SeriesRecord.fetchOne(db, key: visit.seriesId)
            try Self.markDone(&visit, code: code, on: date, dayZero: series?.dayZero, note: note, today: today, at: instant)
            try visit.update(db)
            try Self.touchLastContact(db, subjectId: visit.subjectId, on: date)
            var change: [String: any Sendable] = ["visit": visitCode, "doneOn": date.description, "deviation": visit.deviation]
            if let note { change["note"] = note }
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "record", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// Records a visit of the current series as missed, with the reason.
    public func miss(code: String, visit visitCode: String, reason: String, by actor: Actor, at instant: Date) throws(LTFUError) -> SubjectDetail {
        try write { db in
            var visit = try Self.openVisit(db, code: code, visitCode: visitCode)
            Self.markMissed(&visit, reason: reason, at: instant)
            try visit.update(db)
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "miss", subject: code,
                                  change: ["visit": visitCode, "reason": reason])
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// SPEC §5: a done date outside the window is accepted and flagged as a deviation; one
    /// before day 0 or after today is refused. The one place `record` (and an import) check it.
    static func markDone(_ visit: inout VisitRecord, code: String, on date: CalendarDate, dayZero: CalendarDate?, note: String?,
                         today: CalendarDate, at instant: Date) throws
    {
        try refuseReconsent(visit, code: code)
        try DateRules.notInFuture(date, today: today, what: .phrase("visit date"))
        if let dayZero { try DateRules.notBeforeDayZero(date, dayZero: dayZero, what: .phrase("visit date")) }
        visit.state = .done
        visit.doneOn = date
        visit.deviation = !visit.window.contains(date)
        visit.note = note
        visit.resolvedAt = Timestamp.string(instant)
    }

    static func markMissed(_ visit: inout VisitRecord, reason: String, at instant: Date) {
        visit.state = .missed
        visit.missReason = reason
        visit.resolvedAt = Timestamp.string(instant)
    }

    /// SPEC §11: only the subject's own consent at majority completes a re-consent visit.
    static func refuseReconsent(_ visit: VisitRecord, code: String) throws(LTFUError) {
        guard visit.purpose == .reConsent else { return }
        throw LTFUError(.data, code: "reconsent-needs-consent",
                        "visit {visit} of subject `{subject}` is the re-consent at majority: the subject's own consent records it (a consent `by` `subject`: `ltfuctl consent {subject} --on DATE --by subject`)",
                        ["visit": visit.code, "subject": code])
    }

    /// The open visit `visitCode` of the subject's current series, or the error that says why not.
    static func openVisit(_ db: Database, code: String, visitCode: String) throws -> VisitRecord {
        let detail = try SubjectDetail.fetch(db, code: code)
        guard let series = detail.currentSeries else { throw LTFUError.unknownSubject(code) }
        let found = detail.visits.first(where: { $0.seriesId == series.id && $0.code == visitCode })
        // An ended subject keeps only what SPEC §10 leaves open (a tissue sample after a death).
        if found?.state != .open { try requireActive(detail.subject) }
        guard let visit = found else {
            let planned = detail.visits.filter { $0.seriesId == series.id }.map(\.code)
            throw LTFUError(.notFound, code: "unknown-visit",
                            "subject `{subject}` has no visit `{visit}` in its current calendar (visits: {visits})",
                            ["subject": code, "visit": visitCode, "visits": planned.joined(separator: ", ")])
        }
        switch visit.state {
        case .open:
            return visit
        case .done:
            throw LTFUError(.conflict, code: "visit-already-recorded",
                            "visit {visit} of subject `{subject}` was already recorded as done on {date}",
                            ["visit": visitCode, "subject": code, "date": visit.doneOn?.description ?? "?"])
        case .missed:
            throw LTFUError(.conflict, code: "visit-already-recorded", "visit {visit} of subject `{subject}` was already recorded as missed",
                            ["visit": visitCode, "subject": code])
        case .cancelled:
            throw LTFUError(.conflict, code: "visit-cancelled", "visit {visit} of subject `{subject}` is cancelled", ["visit": visitCode, "subject": code])
        }
    }
}
