import Foundation
import GRDB
import LTFUCore

/// Issue #28: what one catch-up summary tells of a backlog: the recorded notifications that
/// no mail carries yet, safety kinds left out (they are always mailed on their own).
public struct CatchUpBacklog: Sendable, Hashable {
    public struct Count: Sendable, Hashable {
        public var kind: NotificationKind
        public var product: String
        public var count: Int
    }

    public struct OverdueVisit: Sendable, Hashable {
        public var subject: String
        public var visit: String
        public var product: String
        public var windowClose: CalendarDate
    }

    public var total: Int
    /// By kind, then product.
    public var counts: [Count]
    /// The visits whose windows closed longest ago, at most ``FollowUpStore/catchUpShown``.
    public var mostOverdue: [OverdueVisit]
}

extension FollowUpStore {
    /// How many of the most overdue visits a catch-up summary (and a digest) lists by name.
    public static let catchUpShown = 50

    /// The kinds a catch-up summary may carry: all but those mailed at once (SPEC §10).
    static var summarizedKinds: String {
        NotificationKind.allCases.filter { !$0.isMailedAtOnce }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// Issue #28: when more than `limit` notifications that would be mailed are pending and no
    /// mail carries them yet, queues one summary (`compose` writes it from the backlog) that
    /// carries every one of them, in one transaction: each is still emitted to its file and
    /// journald, but none gets a message of its own or a line in a digest. Returns the backlog
    /// summarized, or `nil` when there was none above the limit. Safety kinds are never carried.
    public func queueCatchUp(limit: Int, at instant: Date, compose: (CatchUpBacklog) -> MailDraft) throws(LTFUError) -> CatchUpBacklog? {
        let kinds = Self.summarizedKinds
        return try write { db -> CatchUpBacklog? in
            let total = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM notification INDEXED BY notification_pending
                WHERE state = 'pending' AND mailId IS NULL AND kind IN (\(kinds))
                """) ?? 0
            guard total > limit else { return nil }
            let counts = try Row.fetchAll(db, sql: """
                SELECT notification.kind, subject.productId, COUNT(*) FROM notification INDEXED BY notification_pending
                JOIN subject ON subject.id = notification.subjectId
                WHERE notification.state = 'pending' AND notification.mailId IS NULL AND notification.kind IN (\(kinds))
                GROUP BY 1, 2 ORDER BY 1, 2
                """).compactMap { row -> CatchUpBacklog.Count? in
                    guard let kind = NotificationKind(rawValue: row[0]) else { return nil }
                    return CatchUpBacklog.Count(kind: kind, product: row[1], count: row[2])
                }
            let overdue = try Row.fetchAll(db, sql: """
                SELECT subject.code, visit.code, subject.productId, visit.windowClose FROM notification INDEXED BY notification_pending
                JOIN subject ON subject.id = notification.subjectId
                JOIN visit ON visit.id = notification.visitId
                WHERE notification.state = 'pending' AND notification.mailId IS NULL AND notification.kind IN ('overdue', 'escalation')
                ORDER BY visit.windowClose, subject.code, visit.code LIMIT ?
                """, arguments: [Self.catchUpShown]).map {
                    CatchUpBacklog.OverdueVisit(subject: $0[0], visit: $0[1], product: $0[2], windowClose: $0[3])
                }
            let backlog = CatchUpBacklog(total: total, counts: counts, mostOverdue: overdue)
            let draft = compose(backlog)
            var record = MailRecord(id: draft.id, kind: .digest, subject: draft.subject, body: draft.body, at: instant)
            try record.insert(db)
            try db.execute(sql: """
                UPDATE notification SET mailId = ? WHERE state = 'pending' AND mailId IS NULL AND kind IN (\(kinds))
                """, arguments: [draft.id])
            return backlog
        }
    }
}
