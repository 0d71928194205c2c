import Foundation
import GRDB
import LTFUCore

/// A product's stopping-rule count (SPEC §10), for `status`.
public struct StoppingRuleCount: Sendable, Hashable {
    public var product: String
    public var rule: StoppingRule
    public var count: Int
    /// The notification of an unacknowledged trip: the rule is met until someone acknowledges it.
    public var openNotification: String?
}

extension FollowUpStore {
    /// The terms of the partial indexes on signals, repeated word for word so SQLite uses them.
    static let signalTerm = "notification.kind IN ('safety-signal', 'stopping-rule')"
    static let openSignalTerm = "notification.kind IN ('safety-signal', 'stopping-rule') AND notification.acknowledgedAt IS NULL"

    /// `ltfuctl ack` (SPEC §10): a person has seen a signal or a stopping rule; its daily
    /// escalation stops. An escalation's id acknowledges the signal it repeats.
    public func acknowledge(id: String, note: String?, by actor: Actor, at instant: Date) throws(LTFUError) -> NotificationDetail {
        try write { db in
            guard var record = try NotificationRecord.fetchOne(db, key: id) else {
                throw LTFUError(.notFound, code: "unknown-notification", "no notification `{id}` (`ltfuctl signals --all` lists the ids)", ["id": id])
            }
            if record.kind == .safetyEscalation, let signalId = record.signalId, let signal = try NotificationRecord.fetchOne(db, key: signalId) {
                record = signal
            }
            guard record.kind.needsAcknowledgement else {
                throw LTFUError(.data, code: "not-a-signal",
                                "notification `{id}` is a `{kind}` notification; only safety signals and stopping rules are acknowledged",
                                ["id": id, "kind": record.kind.rawValue])
            }
            if let at = record.acknowledgedAt {
                throw LTFUError(.conflict, code: "already-acknowledged",
                                "notification `{id}` was already acknowledged by {user} at {time}",
                                ["id": record.id, "user": record.acknowledgedBy ?? "?", "time": at])
            }
            try db.execute(sql: "UPDATE notification SET acknowledgedAt = ?, acknowledgedBy = ? WHERE id = ?",
                           arguments: [Timestamp.string(instant), actor.name, record.id])
            let subject = try String.fetchOne(db, sql: "SELECT code FROM subject WHERE id = ?", arguments: [record.subjectId])
            var change: [String: any Sendable] = ["notification": record.id, "kind": record.kind.rawValue]
            if let signal = record.signal { change["signal"] = signal.rawValue }
            if let rule = record.rule { change["rule"] = rule.rawValue; change["count"] = record.count ?? 0 }
            if let product = record.product { change["product"] = product }
            if let note { change["note"] = note }
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "ack",
                                  subject: record.kind == .stoppingRule ? nil : subject, change: change)
            return try Self.notificationDetail(db, id: record.id)
        }
    }

    /// Signals and stopping rules, newest first; only those not yet acknowledged unless `all`.
    public func signals(all: Bool) throws(LTFUError) -> [NotificationDetail] {
        try read { db in
            try NotificationDetail.fetchAll(db, sql: NotificationDetail.selection + """
                 WHERE \(all ? Self.signalTerm : Self.openSignalTerm)
                 ORDER BY notification.fireOn DESC, notification.createdAt DESC, notification.id
                """)
        }
    }

    public func openSignalCount() throws(LTFUError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification WHERE \(Self.openSignalTerm) AND notification.kind = 'safety-signal'") ?? 0
        }
    }

    /// SPEC §10: every day at the notify time, a `safety-escalation` for each signal or
    /// stopping rule raised before `day` and not yet acknowledged. After downtime only the
    /// newest day's is recorded. Returns how many became pending.
    public func scheduleSignalEscalations(through day: CalendarDate, fireOn: CalendarDate, at instant: Date) throws(LTFUError) -> Int {
        try write { db in
            let open = try NotificationRecord.fetchAll(db, sql: "SELECT * FROM notification WHERE \(Self.openSignalTerm) AND fireOn < ?",
                                                       arguments: [day])
            var created = 0
            for signal in open {
                var escalation = NotificationRecord(
                    id: NotificationRecord.id(parts: ["safety-escalation", signal.id, day.description]), kind: .safetyEscalation,
                    subjectId: signal.subjectId, visitId: signal.visitId, date: day, state: .pending, fireOn: fireOn,
                    createdAt: Timestamp.string(instant), emittedAt: nil)
                var repeated = signal.finding
                repeated.detail = nil
                repeated.signalId = signal.id
                escalation.carry(repeated)
                try escalation.insert(db, onConflict: .ignore)
                created += db.changesCount
            }
            return created
        }
    }

    /// True when a signal or stopping rule waits for a person: the scheduler must wake for
    /// tomorrow's escalation.
    public func hasOpenSignals() throws(LTFUError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM notification WHERE \(Self.openSignalTerm))") ?? false }
    }

    /// Every product's stopping-rule counts (SPEC §10): confirmed RCL signals, and new
    /// malignancies and deaths related `yes` or `unknown`, over all its subjects. Each row
    /// names the subject and date of the latest contribution.
    static func stoppingRuleContributions(_ db: Database) throws -> [(product: String, rule: StoppingRule, subjectId: Int64, date: CalendarDate)] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT subject.productId AS product, 'confirmed-rcl' AS rule, notification.subjectId, notification.date
            FROM notification JOIN subject ON subject.id = notification.subjectId
            WHERE notification.signal = 'rcl-confirmed' AND notification.kind = 'safety-signal'
            UNION ALL
            SELECT subject.productId, CASE safetyEvent.kind WHEN 'death' THEN 'related-deaths' ELSE 'related-malignancy' END,
                   safetyEvent.subjectId, safetyEvent.date
            FROM safetyEvent JOIN subject ON subject.id = safetyEvent.subjectId
            WHERE safetyEvent.kind IN ('new-malignancy', 'death') AND safetyEvent.related IN ('yes', 'unknown')
            """)
        return rows.compactMap { row in
            guard let rule = StoppingRule(rawValue: row["rule"]) else { return nil }
            return (row["product"], rule, row["subjectId"], row["date"])
        }
    }

    /// Trips every stopping rule whose count has reached its threshold and risen past the
    /// count it last tripped at: a `stopping-rule` notification (priority alert) naming the
    /// product, the rule and the count. Returns how many tripped.
    public func tripStoppingRules(settings: (String) -> SafetySettings, fireOn: CalendarDate, at instant: Date) throws(LTFUError) -> Int {
        try write { db in
            let contributions = try Self.stoppingRuleContributions(db)
            let grouped = Dictionary(grouping: contributions) { "\($0.product)\u{1F}\($0.rule.rawValue)" }
            var tripped = 0
            for group in grouped.values {
                guard let latest = group.max(by: { $0.date < $1.date }) else { continue }
                let count = group.count, threshold = latest.rule.threshold(in: settings(latest.product))
                guard latest.rule.isMet(count: count, settings: settings(latest.product)) else { continue }
                // Trips again only once its open trip is acknowledged: one alarm at a time per rule.
                let open = try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM notification WHERE \(Self.openSignalTerm)
                                   AND notification.product = ? AND notification.rule = ? AND notification.kind = 'stopping-rule')
                    """, arguments: [latest.product, latest.rule]) ?? false
                guard !open else { continue }
                let before = try Int.fetchOne(db, sql: """
                    SELECT MAX(count) FROM notification WHERE product = ? AND rule = ? AND kind = 'stopping-rule'
                    """, arguments: [latest.product, latest.rule]) ?? 0
                guard count > before else { continue }
                try Self.insertNotification(
                    db, kind: .stoppingRule,
                    id: NotificationRecord.id(parts: ["stopping-rule", latest.product, latest.rule.rawValue, String(count)]),
                    subjectId: latest.subjectId, visitId: nil, date: latest.date,
                    finding: NotificationFinding(product: latest.product, rule: latest.rule, count: count, threshold: threshold),
                    today: fireOn, at: instant)
                tripped += 1
            }
            return tripped
        }
    }

    /// Each product's nonzero stopping-rule counts, with the open trip if any.
    public func stoppingRuleCounts() throws(LTFUError) -> [StoppingRuleCount] {
        try read { db in
            let contributions = try Self.stoppingRuleContributions(db)
            let open = try Row.fetchAll(db, sql: """
                SELECT id, product, rule FROM notification WHERE \(Self.openSignalTerm) AND notification.kind = 'stopping-rule'
                ORDER BY count
                """)
            var openByRule: [String: String] = [:]
            for row in open { openByRule["\(row["product"] as String)\u{1F}\(row["rule"] as String)"] = row["id"] }
            let grouped = Dictionary(grouping: contributions) { "\($0.product)\u{1F}\($0.rule.rawValue)" }
            return grouped.compactMap { key, group -> StoppingRuleCount? in
                guard let first = group.first else { return nil }
                return StoppingRuleCount(product: first.product, rule: first.rule, count: group.count, openNotification: openByRule[key])
            }.sorted { ($0.product, $0.rule.rawValue) < ($1.product, $1.rule.rawValue) }
        }
    }

    static func notificationDetail(_ db: Database, id: String) throws -> NotificationDetail {
        guard let detail = try NotificationDetail.fetchOne(db, sql: NotificationDetail.selection + " WHERE notification.id = ?",
                                                           arguments: [id])
        else { throw LTFUError(.notFound, code: "unknown-notification", "no notification `{id}`", ["id": id]) }
        return detail
    }
}
