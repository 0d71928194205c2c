import Foundation
import GRDB
import LTFUCore

extension FollowUpStore {
    /// Marks notifications emitted, after every sink has them, and in `each` mode queues their
    /// mail in the same transaction (one message per notification, id = notification id).
    public func markEmitted(_ ids: [String], at instant: Date, mail: [MailDraft]) throws(LTFUError) {
        guard !ids.isEmpty else { return }
        try write { db in
            let mark = try db.cachedStatement(sql: "UPDATE notification SET state = 'emitted', emittedAt = ? WHERE id = ? AND state = 'pending'")
            let at = Timestamp.string(instant)
            for id in ids {
                try mark.execute(arguments: [at, id])
            }
            for draft in mail {
                var record = MailRecord(id: draft.id, kind: .each, subject: draft.subject, body: draft.body, at: instant)
                try record.insert(db, onConflict: .ignore)
                try db.execute(sql: "UPDATE notification SET mailId = ? WHERE id = ?", arguments: [draft.id, draft.id])
            }
        }
    }

    /// Emitted notifications not yet carried by any mail, fired in `days`.
    public func unmailedNotifications(firedFrom first: CalendarDate, through last: CalendarDate) throws(LTFUError) -> [NotificationDetail] {
        try read { db in
            try NotificationDetail.fetchAll(db, sql: NotificationDetail.selection + """
                 WHERE notification.state = 'emitted' AND notification.mailId IS NULL
                   AND notification.fireOn >= ? AND notification.fireOn <= ?
                 ORDER BY notification.kind, subject.code, visit.code
                """, arguments: [first, last])
        }
    }

    /// Queues a digest and marks the notifications it carries, in one transaction.
    /// Returns false when a digest with this id exists already.
    @discardableResult
    public func queueDigest(_ draft: MailDraft, carrying ids: [String], at instant: Date) throws(LTFUError) -> Bool {
        try write { db in
            var record = MailRecord(id: draft.id, kind: .digest, subject: draft.subject, body: draft.body, at: instant)
            try record.insert(db, onConflict: .ignore)
            guard db.changesCount > 0 else { return false }
            for id in ids {
                try db.execute(sql: "UPDATE notification SET mailId = ? WHERE id = ? AND mailId IS NULL", arguments: [draft.id, id])
            }
            return true
        }
    }

    public func mailExists(id: String) throws(LTFUError) -> Bool {
        try read { db in try MailRecord.fetchOne(db, key: id) != nil }
    }

    /// Queued messages whose next attempt has come.
    public func mailDue(at instant: Date) throws(LTFUError) -> [MailRecord] {
        try read { db in
            try MailRecord.filter(MailRecord.Columns.state == MailRecord.State.queued
                                  && MailRecord.Columns.nextAttemptAt <= Timestamp.string(instant))
                .order(MailRecord.Columns.nextAttemptAt).limit(100).fetchAll(db)
        }
    }

    /// Every queued message, oldest first.
    public func mailQueue() throws(LTFUError) -> [MailRecord] {
        try read { db in
            try MailRecord.filter(MailRecord.Columns.state == MailRecord.State.queued).order(MailRecord.Columns.createdAt).fetchAll(db)
        }
    }

    /// The earliest next attempt of a queued message.
    public func nextMailAttempt() throws(LTFUError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT MIN(nextAttemptAt) FROM mail WHERE state = 'queued'") }
    }

    public func markMailSent(id: String, at instant: Date) throws(LTFUError) {
        try write { db in
            try db.execute(sql: "UPDATE mail SET state = 'sent', sentAt = ?, attempts = attempts + 1 WHERE id = ? AND state = 'queued'",
                           arguments: [Timestamp.string(instant), id])
        }
    }

    /// Records a failed hand-off and when to try again.
    public func markMailFailed(id: String, error: String, retryAt: Date) throws(LTFUError) {
        try write { db in
            try db.execute(sql: "UPDATE mail SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE id = ? AND state = 'queued'",
                           arguments: [error, Timestamp.string(retryAt), id])
        }
    }

    public func markMailAlerted(id: String, at instant: Date) throws(LTFUError) {
        try write { db in
            try db.execute(sql: "UPDATE mail SET lastAlertAt = ? WHERE id = ?", arguments: [Timestamp.string(instant), id])
        }
    }

    /// `ltfuctl mail retry`: every queued message is due now. Returns how many.
    @discardableResult
    public func retryAllMail(at instant: Date) throws(LTFUError) -> Int {
        try write { db in
            try db.execute(sql: "UPDATE mail SET nextAttemptAt = ? WHERE state = 'queued'", arguments: [Timestamp.string(instant)])
            return db.changesCount
        }
    }
}
