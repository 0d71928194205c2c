import Foundation
import GRDB
import LTFUCore

/// An open visit with its subject's code, for `due` and `overdue`.
public struct OpenVisit: Sendable, Hashable, FetchableRecord {
    public var subject: String
    public var code: String
    public var target: CalendarDate
    public var windowOpen: CalendarDate
    public var windowClose: CalendarDate
    public var purpose: VisitPurpose?

    public var window: VisitWindow { VisitWindow(open: windowOpen, close: windowClose) }

    /// Read by column position: these lists run to tens of thousands of rows at a large site.
    public init(row: Row) {
        subject = row[0]
        code = row[1]
        target = row[2]
        windowOpen = row[3]
        windowClose = row[4]
        purpose = row[5]
    }
}

/// Counts for `status`.
public struct SiteCounts: Sendable, Hashable {
    public var activeSubjects: Int
    public var due: Int
    public var overdue: Int
    /// SPEC §11: active subjects whose last contact is more than 365 days ago.
    public var noContactOver365Days: Int = 0
}

extension FollowUpStore {
    public func subject(code: String) throws(LTFUError) -> SubjectDetail {
        try read { db in try SubjectDetail.fetch(db, code: code) }
    }

    /// The next `limit` subjects in code order after `code` (`nil`: from the first), with all
    /// they hold: the site report reads a snapshot (``snapshot()``) in such batches.
    public func subjects(after code: String?, limit: Int) throws(LTFUError) -> [SubjectDetail] {
        try read { db in try SubjectDetail.fetchBatch(db, after: code, limit: limit) }
    }

    /// Every subject with all it holds, in code order (`export csv`), read in one snapshot.
    public func everySubject() throws(LTFUError) -> [SubjectDetail] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code").map { code in try SubjectDetail.fetch(db, code: code) }
        }
    }

    /// Subjects with their current day 0, filtered by tier and status, ordered by code.
    public func subjects(tier: RiskTier?, status: SubjectStatus?) throws(LTFUError) -> [(subject: SubjectRecord, dayZero: CalendarDate?)] {
        try read { db in
            var request = SubjectRecord.all()
            if let tier { request = request.filter(SubjectRecord.Columns.tier == tier) }
            if let status { request = request.filter(SubjectRecord.Columns.status == status) }
            let subjects = try request.order(SubjectRecord.Columns.code).fetchAll(db)
            let dayZeros = try Row.fetchAll(db, sql: "SELECT subjectId, MAX(dayZero) AS dayZero FROM series GROUP BY subjectId")
            let bySubject = Dictionary(uniqueKeysWithValues: dayZeros.map { ($0["subjectId"] as Int64, $0["dayZero"] as CalendarDate?) })
            return subjects.map { ($0, $0.id.flatMap { bySubject[$0] } ?? nil) }
        }
    }

    /// Open visits whose window is open on `today` or opens within `within` days (SPEC §8 `due`).
    /// Reads the partial index on open visits' window opening, never all visits, and of it only
    /// the windows opened since the longest open window began (issue #15: at 100,000 subjects
    /// this halved the query).
    public func dueVisits(today: CalendarDate, within: Int) throws(LTFUError) -> [OpenVisit] {
        try read { db in
            try OpenVisit.fetchAll(db, sql: """
                SELECT subject.code AS subject, visit.code, visit.target, visit.windowOpen, visit.windowClose, visit.purpose
                FROM visit INDEXED BY visit_open_by_window_open JOIN subject ON subject.id = visit.subjectId
                WHERE visit.state = 'open' AND visit.windowOpen BETWEEN ? AND ? AND visit.windowClose >= ?
                ORDER BY visit.windowClose, subject.code
                """, arguments: [try Self.earliestOpenWindowOpening(db, covering: today), today.adding(days: within), today])
        }
    }

    /// The earliest day an open visit's window can have opened and still be open on `day`:
    /// `day` less the longest window any visit was given (schema v12 keeps it in one row).
    static func earliestOpenWindowOpening(_ db: Database, covering day: CalendarDate) throws -> CalendarDate {
        let longest = try Int.fetchOne(db, sql: "SELECT longestDays FROM visitWindowBound WHERE id = 1") ?? 0
        return day.adding(days: -longest)
    }

    /// Open visits whose window closed before `today` (SPEC §8 `overdue`). A window opens no
    /// later than it closes, so `due`'s index finds them among the windows opened before
    /// today: the overdue ones and those open now (schema v12 dropped an index of their own).
    public func overdueVisits(today: CalendarDate) throws(LTFUError) -> [OpenVisit] {
        try read { db in
            try OpenVisit.fetchAll(db, sql: """
                SELECT subject.code AS subject, visit.code, visit.target, visit.windowOpen, visit.windowClose, visit.purpose
                FROM visit INDEXED BY visit_open_by_window_open JOIN subject ON subject.id = visit.subjectId
                WHERE visit.state = 'open' AND visit.windowOpen < ?1 AND visit.windowClose < ?1
                ORDER BY visit.windowClose, subject.code
                """, arguments: [today])
        }
    }

    public func counts(today: CalendarDate) throws(LTFUError) -> SiteCounts {
        try read { db in
            let active = try SubjectRecord.filter(SubjectRecord.Columns.status == SubjectStatus.active).fetchCount(db)
            let due = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM visit INDEXED BY visit_open_by_window_open
                WHERE state = 'open' AND windowOpen BETWEEN ? AND ? AND windowClose >= ?
                """, arguments: [try Self.earliestOpenWindowOpening(db, covering: today), today, today]) ?? 0
            let overdue = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM visit INDEXED BY visit_open_by_window_open WHERE state = 'open' AND windowOpen < ?1 AND windowClose < ?1
                """, arguments: [today]) ?? 0
            let silent = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM subject INDEXED BY subject_active_by_last_contact WHERE status = 'active' AND lastContact < ?
                """, arguments: [today.adding(days: -365)]) ?? 0
            return SiteCounts(activeSubjects: active, due: due, overdue: overdue, noContactOver365Days: silent)
        }
    }

    /// The audit trail, oldest first; for one subject when `subject` is given.
    public func auditTrail(subject: String?) throws(LTFUError) -> [AuditRecord] {
        try read { db in
            var request = AuditRecord.order(AuditRecord.Columns.id)
            if let subject { request = request.filter(AuditRecord.Columns.subject == subject) }
            return try request.fetchAll(db)
        }
    }

    public func verifyAuditChain() throws(LTFUError) -> AuditVerification {
        try read { db in try AuditTrail.verify(db, key: auditKey) }
    }

    /// The first keyed audit row (`nil`: none), without walking the chain.
    public func auditKeyedFrom() throws(LTFUError) -> Int64? {
        try read { db in try AuditTrail.keyedFrom(db) }
    }
}

extension FollowUpStore {
    /// The calendar feed's visits (SPEC §12): every open visit, and every visit done, missed
    /// or cancelled since `changedSince`, in window order; of one subject when `subject` is set.
    public func calendarEvents(changedSince: Date, subject: String?) throws(LTFUError) -> [CalendarEvent] {
        var events: [CalendarEvent] = []
        try forEachCalendarEvent(changedSince: changedSince, subject: subject) { events.append($0) }
        return events
    }

    /// The same events one at a time from one read, so a large site's feed is never whole in memory.
    public func forEachCalendarEvent(changedSince: Date, subject: String?, _ body: (CalendarEvent) throws -> Void) throws(LTFUError) {
        try read { db in
            var sql = """
                SELECT subject.code, subject.tier, visit.code, visit.purpose, visit.windowOpen, visit.windowClose, visit.state,
                       visit.doneOn, visit.uid, series.number, visit.sequence
                FROM visit JOIN subject ON subject.id = visit.subjectId JOIN series ON series.id = visit.seriesId
                WHERE (visit.state = 'open' OR visit.resolvedAt >= ?)
                """
            var arguments: StatementArguments = [Timestamp.string(changedSince)]
            if let subject {
                sql += " AND subject.code = ?"
                arguments += [subject]
            }
            sql += " ORDER BY visit.windowOpen, subject.code, visit.month"
            let uids = try CalendarUID(db)
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                try body(CalendarEvent(subject: row[0], tier: row[1], visit: row[2], purpose: row[3], windowOpen: row[4], windowClose: row[5],
                                       state: row[6], doneOn: row[7], uid: uids.uid(stored: row[8], subject: row[0], series: row[9], visit: row[2]),
                                       sequence: row[10]))
            }
        }
    }
}
