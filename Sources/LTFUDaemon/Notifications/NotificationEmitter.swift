import Foundation
import LTFUCore
import LTFUL10n
import LTFUStore
import LTFUWire
import Logging

/// Emits recorded notifications: to the day's file, then to journald with structured fields,
/// then, once the batch's files are fsync'd, marks them emitted (SPEC §6: recorded before
/// emitted, emitted once).
///
/// The file is the witness (issue #13): the journal hears a notification right after its
/// line is written, so after a crash one already in its file is only marked, never sent
/// again; the marks of a batch can be lost to a `kill -9` without anything repeating. Only a
/// kill in the instant between the `write` and the journal call leaves that one notification
/// out of the journal (it is in the file and the database). A file that cannot be written (a
/// full disk) holds the notification back from the journal too; it stays pending and is
/// retried. Issue #15: the lines of a batch are fsync'd together, once per day file, and
/// nothing is marked before its line is durable (see ``NotificationFiles`` for why one fsync
/// per line bought nothing worth its cost).
public struct NotificationEmitter: Sendable {
    public let store: FollowUpStore
    public let files: NotificationFiles
    public let logger: Logger

    public init(store: FollowUpStore, files: NotificationFiles, logger: Logger) {
        self.store = store
        self.files = files
        self.logger = logger
    }

    /// Emits every pending notification; returns how many.
    /// - Parameter mail: when mail is on, composes the message queued with each notification
    ///   that goes out on its own (every one in `each` mode; signals always, SPEC §10).
    /// - Parameter catchUp: issue #28: above this many non-safety notifications waiting for
    ///   mail, one catch-up summary carries them all (``FollowUpStore/queueCatchUp``), on
    ///   `day`; their own messages and digest lines are left out.
    /// - Parameter progress: hears the running count after each batch; a stop it throws ends
    ///   the emission between batches, and what is left stays pending for the next pass.
    @discardableResult
    public func emitPending(site: String, language: Language = .english, mail: MailComposer?, catchUp: (limit: Int, day: CalendarDate)? = nil,
                            at instant: @Sendable () -> Date, tick: () -> Void = {},
                            progress: (Int) throws(LTFUError) -> Void = { _ in }) throws(LTFUError) -> Int
    {
        if let mail, let catchUp {
            let backlog = try store.queueCatchUp(limit: catchUp.limit, at: instant()) { backlog in
                mail.catchUp(backlog, day: catchUp.day, id: "catch-up-\(site)-\(catchUp.day)-\(UUID().uuidString.lowercased())")
            }
            if let backlog { logger.notice("\(backlog.total) notifications due at once: one catch-up summary mailed for them") }
        }
        var emitted = 0
        while true {
            let pending = try store.pendingNotifications(limit: 1000)
            guard !pending.isEmpty else { return emitted }
            let batch = NotificationFiles.Batch()
            var written: [NotificationDetail] = []
            for notification in pending {
                tick()
                let line = NotificationLine(
                    id: notification.id, kind: notification.kind, site: site, subject: notification.subject,
                    visit: notification.visit, tier: notification.tier, target: notification.target,
                    windowOpen: notification.windowOpen, windowClose: notification.windowClose,
                    date: notification.date, message: notification.message(in: language), purpose: notification.purpose,
                    finding: notification.finding)
                do {
                    try files.write(line, firedOn: notification.fireOn, into: batch) {
                        Journal.send(Self.journalFields(line, priority: notification.priority))
                    }
                } catch {
                    // Stays pending, unsent to the journal: retried on the next pass.
                    logger.error("\(error.message)")
                    continue
                }
                written.append(notification)
            }
            // Only what is durable in its file is marked; a day whose fsync failed stays pending
            // (its lines were cut from the file and are written again on the retry).
            let unsynced = files.sync(batch)
            for (_, error) in unsynced.sorted(by: { $0.key < $1.key }) { logger.error("\(error.message)") }
            var done: [String] = []
            var drafts: [MailDraft] = []
            for notification in written where unsynced[notification.fireOn] == nil {
                done.append(notification.id)
                if let mail, notification.mailId == nil, mail.mailsAtOnce(notification.kind) { drafts.append(mail.each(notification)) }
            }
            try store.markEmitted(done, at: instant(), mail: drafts)
            emitted += done.count
            try progress(emitted)
            if done.count < pending.count { return emitted }
        }
    }

    /// SPEC §6's journal fields. `MESSAGE` is a sentence; `LTFU_*` carry the data.
    static func journalFields(_ line: NotificationLine, priority: Int) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("MESSAGE", line.message),
            ("PRIORITY", String(priority)),
            ("MESSAGE_ID", line.kind.messageID),
            ("SYSLOG_IDENTIFIER", "ltfud"),
            ("LTFU_EVENT", line.kind.rawValue),
            ("LTFU_SUBJECT", line.subject),
            ("LTFU_TIER", line.tier.rawValue),
            ("LTFU_SITE", line.site),
            ("LTFU_NOTIFICATION_ID", line.id),
            ("LTFU_DATE", line.date.description),
        ]
        if let visit = line.visit { fields.append(("LTFU_VISIT", visit)) }
        if let target = line.target { fields.append(("LTFU_TARGET", target.description)) }
        if let open = line.windowOpen { fields.append(("LTFU_WINDOW_OPEN", open.description)) }
        if let close = line.windowClose { fields.append(("LTFU_WINDOW_CLOSE", close.description)) }
        // SPEC §10, where they apply.
        let finding: [(String, String?)] = [
            ("LTFU_PURPOSE", line.purpose?.rawValue), ("LTFU_SIGNAL", line.signal?.rawValue),
            ("LTFU_ASSESSMENT", line.assessment?.rawValue), ("LTFU_VALUE", line.value),
            ("LTFU_EVENT_KIND", line.eventKind?.rawValue), ("LTFU_PRODUCT", line.product), ("LTFU_RULE", line.rule?.rawValue),
            ("LTFU_COUNT", line.count.map(String.init)), ("LTFU_THRESHOLD", line.threshold.map(String.init)),
            ("LTFU_SIGNAL_ID", line.signalId),
        ]
        for case let (name, value?) in finding { fields.append((name, value)) }
        return fields
    }
}
