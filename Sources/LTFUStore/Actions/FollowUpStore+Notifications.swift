import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Plans every open visit's notifications due by `through` (SPEC §6), in batches of
    /// visits, each batch one transaction: per visit the newest due event is recorded as
    /// pending (to fire on `fireOn`), older ones as superseded, and the visit's bookmark
    /// moves to its next event. Reads only visits whose bookmark has come, through the
    /// partial index. Returns how many notifications became pending.
    ///
    /// Issue #15: the first pass on a large database plans every open visit (373,820 at
    /// 100,000 subjects), so each statement is prepared once per batch, not once per row, and
    /// `progress` hears the running count of visits after each batch (systemd is told).
    /// Most of those visits have nothing due yet (their windows open months or years ahead):
    /// ``fastForwardUnplanned(_:through:planner:)`` moves their bookmarks first, in one
    /// statement, and only the rest are read one by one.
    public func scheduleNotifications(through: CalendarDate, fireOn: CalendarDate, planner: NotificationPlanner,
                                      at instant: Date, batchSize: Int = 5000, tick: () -> Void = {},
                                      progress: (Int) throws(LTFUError) -> Void = { _ in }) throws(LTFUError) -> Int
    {
        var pending = 0
        var visits = try write { db in try Self.fastForwardUnplanned(db, through: through, planner: planner) }
        if visits > 0 { try progress(visits) }
        while true {
            let (handled, created) = try write { db -> (Int, Int) in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT visit.id, visit.code, visit.windowOpen, visit.windowClose, visit.notifiedThrough,
                           visit.subjectId, series.number AS series, subject.code AS subject
                    FROM visit INDEXED BY visit_open_by_next_notify
                    JOIN series ON series.id = visit.seriesId
                    JOIN subject ON subject.id = visit.subjectId
                    WHERE visit.state = 'open' AND visit.nextNotifyOn <= ?
                    LIMIT ?
                    """, arguments: [through, batchSize])
                // After a replan an event may come back on a new date: once is once.
                let firedOnce = try db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM notification INDEXED BY notification_by_visit WHERE visitId = ? AND kind = ?)
                    """)
                // The columns a visit's notification has; the others (SPEC §10 findings) stay NULL.
                let insert = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO notification (id, kind, subjectId, visitId, date, state, fireOn, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let bookmark = try db.cachedStatement(sql: "UPDATE visit SET nextNotifyOn = ?, notifiedThrough = ? WHERE id = ?")
                var created = 0
                let createdAt = Timestamp.string(instant)
                for row in rows {
                    tick()
                    let id: Int64 = row[0], visit: String = row[1]
                    let window = VisitWindow(open: row[2], close: row[3])
                    let after: CalendarDate? = row[4]
                    let subjectId: Int64 = row[5], series: Int = row[6], subject: String = row[7]
                    let plan = planner.catchUp(for: window, after: after, through: through)
                    func record(_ event: NotificationPlanner.Event, _ state: NotificationState) throws -> Bool {
                        if event.kind.isOncePerVisit, try Bool.fetchOne(firedOnce, arguments: [id, event.kind.rawValue]) == true {
                            return false
                        }
                        try insert.execute(arguments: [
                            NotificationRecord.id(subject: subject, series: series, visit: visit, kind: event.kind, date: event.date),
                            event.kind.rawValue, subjectId, id, event.date, state.rawValue, fireOn, createdAt,
                        ])
                        return db.changesCount > 0
                    }
                    for event in plan.superseded { _ = try record(event, .superseded) }
                    if let event = plan.emit, try record(event, .pending) { created += 1 }
                    try bookmark.execute(arguments: [plan.next.date, through, id])
                }
                return (rows.count, created)
            }
            pending += created
            visits += handled
            try progress(visits)
            if handled < batchSize { return pending }
        }
    }

    /// Issue #15: moves the bookmark of every never-planned open visit (`notifiedThrough` is
    /// NULL: enrolled or imported since the last pass) whose first event falls after
    /// `through` straight to that event, as ``NotificationPlanner/catchUp(for:after:through:)``
    /// would (nothing is due, so nothing is recorded; `next` is the first fixed event, and
    /// the day is handled), in one statement instead of a round trip through Swift per visit:
    /// after a bulk load that is ~93 % of all open visits. The first event's date is the
    /// window's opening less ``NotificationPlanner/firstEventLeadDays`` (SPEC §6), by SQLite's
    /// `date()`, which counts whole days on `YYYY-MM-DD` like ``CalendarDate/adding(days:)``.
    ///
    /// A visit planned before keeps `notifiedThrough` even when a `[notify]` reload sets its
    /// bookmark back (``replanNotifications()``), so it is left to the per-visit path, which
    /// knows which once-per-visit kinds already fired. Returns how many visits moved.
    static func fastForwardUnplanned(_ db: Database, through: CalendarDate, planner: NotificationPlanner) throws -> Int {
        let firstEvent = "date(windowOpen, '-\(planner.firstEventLeadDays) days')"
        try db.execute(sql: """
            UPDATE visit INDEXED BY visit_open_by_next_notify
            SET nextNotifyOn = \(firstEvent), notifiedThrough = ?
            WHERE state = 'open' AND nextNotifyOn <= ? AND notifiedThrough IS NULL AND \(firstEvent) > ?
            """, arguments: [through, through, through])
        return db.changesCount
    }

    /// The bookmark of a visit that raises no notification again (issue #28: the past of a
    /// history-only import). No pass reaches it, a replan leaves it, and it is not "the next
    /// notification"; recording the visit closes it as any other.
    public static let neverNotify = "9999-12-31"

    /// After the `[notify]` day counts change: every open visit is planned again on the next
    /// pass, from the day it was last handled, so nothing already handled fires again and a
    /// once-per-visit kind that already fired stays fired. Returns how many visits.
    @discardableResult
    public func replanNotifications() throws(LTFUError) -> Int {
        try write { db in
            try db.execute(sql: "UPDATE visit SET nextNotifyOn = '0000-00-00' WHERE state = 'open' AND nextNotifyOn < ?",
                           arguments: [Self.neverNotify])
            return db.changesCount
        }
    }

    /// Notifications recorded but not yet marked emitted, oldest first.
    public func pendingNotifications(limit: Int = 10_000) throws(LTFUError) -> [NotificationDetail] {
        try read { db in
            try NotificationDetail.fetchAll(db, sql: NotificationDetail.selection + """
                 WHERE notification.state = 'pending' ORDER BY notification.fireOn, notification.date, notification.id LIMIT ?
                """, arguments: [limit])
        }
    }

    /// The earliest date a visit's next notification can fire, or `nil` when none is planned.
    public func nextNotificationDate() throws(LTFUError) -> CalendarDate? {
        try read { db in
            let next = try String.fetchOne(db, sql: """
                SELECT MIN(nextNotifyOn) FROM visit INDEXED BY visit_open_by_next_notify WHERE state = 'open' AND nextNotifyOn < ?
                """, arguments: [Self.neverNotify])
            return next.flatMap { try? CalendarDate(parsing: $0) }
        }
    }

    /// True when an open visit has notifications due by `through` that no pass has planned yet.
    public func hasVisitsToPlan(through: CalendarDate) throws(LTFUError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM visit INDEXED BY visit_open_by_next_notify WHERE state = 'open' AND nextNotifyOn <= ?)
                """, arguments: [through]) ?? false
        }
    }

    /// True when something is recorded and waiting to be emitted.
    public func hasPendingNotifications() throws(LTFUError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM notification INDEXED BY notification_pending WHERE state = 'pending')") ?? false }
    }

    /// What was emitted, fired on or after `since` (everything when `nil`), in the order it fired.
    public func emittedNotifications(since: CalendarDate?) throws(LTFUError) -> [NotificationDetail] {
        try read { db in
            try NotificationDetail.fetchAll(db, sql: NotificationDetail.selection + """
                 WHERE notification.state = 'emitted' AND notification.fireOn >= ?
                 ORDER BY notification.emittedAt, notification.id
                """, arguments: [since?.description ?? "0000-00-00"])
        }
    }

    /// Records the `subject-ended` notification of an end, inside its transaction.
    static func recordSubjectEnded(_ db: Database, subject: SubjectRecord, on date: CalendarDate, fireOn: CalendarDate, at instant: Date) throws {
        guard let subjectId = subject.id else { return }
        var record = NotificationRecord(
            id: NotificationRecord.id(subject: subject.code, series: 0, visit: nil, kind: .subjectEnded, date: date),
            kind: .subjectEnded, subjectId: subjectId, visitId: nil, date: date, state: .pending, fireOn: fireOn,
            createdAt: Timestamp.string(instant), emittedAt: nil)
        try record.insert(db, onConflict: .ignore)
    }
}
