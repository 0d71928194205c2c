import Foundation
import GRDB
import LTFUCore

/// Appends to and verifies the audit chain. Callers append inside the transaction of the
/// change they describe, so a change and its audit row commit together or not at all.
///
/// Keying (issue #13): with an `AuditKey`, every new row is keyed. A database written before
/// it had a key keeps its unkeyed prefix as it is; an `audit-keyed` row marks where the keyed
/// chain begins, itself keyed and linked to the last unkeyed row, so the prefix cannot be
/// rewritten either without breaking the marker's HMAC. The marker is written by itself only
/// on an empty trail or in the open that upgrades a database from before keying (schema v9);
/// anywhere else an unkeyed trail beside a key could be keyed rows rewritten without it, and
/// only an operator may start the chain there (`ltfud --adopt-audit-key`).
enum AuditTrail {
    /// The action of the row that starts the keyed chain.
    static let keyedStartAction = "audit-keyed"

    /// When `prepare` may write the marker on a trail that has rows but none keyed.
    enum KeyedStart {
        /// Only on an empty trail.
        case newTrailOnly
        /// Also on rows written before keying existed: this open ran the v9 migration.
        case upgrade
        /// The operator adopts the unkeyed rows (`ltfud --adopt-audit-key`).
        case adopt
    }

    static func append(_ db: Database, key: AuditKey?, actor: Actor, at instant: Date, action: String, subject: String?,
                       change: [String: any Sendable]) throws
    {
        let previous = try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1")) ?? AuditRecord.genesis
        let at = Timestamp.string(instant)
        let json = try AuditChangeJSON.encode(change)
        var record = AuditRecord(
            at: at, user: actor.name, uid: Int64(actor.uid), action: action, subject: subject, change: json,
            previousHash: previous,
            hash: AuditRecord.hash(previous: previous, at: at, user: actor.name, uid: Int64(actor.uid),
                                   action: action, subject: subject, change: json, key: key),
            keyed: key != nil)
        try record.insert(db)
    }

    /// The id of the first keyed row, if any.
    static func keyedFrom(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM audit WHERE keyed")
    }

    /// With a key and no keyed row yet, appends the marker row that starts the keyed chain
    /// where `start` allows it. Refuses a keyed trail without a key (rows appended unkeyed
    /// would break it) or with another key (its last keyed row does not match).
    static func prepare(_ db: Database, key: AuditKey?, start: KeyedStart, actor: Actor, at instant: Date) throws {
        let keyedFrom = try keyedFrom(db)
        switch (key, keyedFrom) {
        case (nil, let row?):
            throw LTFUError(.configuration, code: "audit-key-missing",
                            "the audit trail is keyed from row {row} but ltfud was given no audit key: restore the credential `{credential}` (LoadCredential=) or [audit] key_file",
                            ["row": row, "credential": AuditKey.credentialName])
        case (let key?, nil):
            let unkeyed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0
            guard unkeyed == 0 || start != .newTrailOnly else {
                throw LTFUError(.configuration, code: "audit-unkeyed",
                                "the audit trail has {rows} rows and none is keyed, though ltfud has an audit key: its keyed rows may have been rewritten by someone without the key. If this database was written before it had a key, check it (`ltfuctl audit`) and start its keyed chain once with `ltfud --adopt-audit-key`",
                                ["rows": unkeyed])
            }
            try append(db, key: key, actor: actor, at: instant, action: keyedStartAction, subject: nil,
                       change: ["unkeyedRows": unkeyed, "keyId": key.id])
        case (let key?, let row?):
            // Another key (a restore onto a new host, a reinstall) would append rows no check can
            // tell from forgeries: refuse it at start, where the cause is plain. (A tampered row
            // elsewhere does not stop ltfud; `verify` names it.)
            let change = try String.fetchOne(db, sql: "SELECT change FROM audit WHERE id = ?", arguments: [row]) ?? "{}"
            let keyId = (try? JSONSerialization.jsonObject(with: Data(change.utf8)) as? [String: Any])?["keyId"] as? String
            if let keyId, keyId != key.id {
                throw LTFUError(.configuration, code: "audit-key-mismatch",
                                "the audit key (id {key}) is not the one this trail was keyed with (id {trailKey}, audit row {row}): give ltfud the key this database was written with",
                                ["key": key.id, "trailKey": keyId, "row": row])
            }
        case (nil, nil):
            break
        }
    }

    /// Walks the whole chain in order, in one read transaction. Keyed rows are checked with
    /// `key`; an unkeyed row after the keyed chain began, or a marker that is not keyed, is a
    /// forgery by someone without the key.
    static func verify(_ db: Database, key: AuditKey?) throws -> AuditVerification {
        var previous = AuditRecord.genesis
        var rows = 0
        var last: Int64 = 0
        var keyedFrom: Int64?
        func broken(_ id: Int64?, _ problem: String) -> AuditVerification {
            AuditVerification(ok: false, rows: rows, firstBrokenId: id, problem: problem, keyedFrom: keyedFrom)
        }
        let cursor = try AuditRecord.order(AuditRecord.Columns.id).fetchCursor(db)
        while let record = try cursor.next() {
            rows += 1
            let id = record.id ?? 0
            if record.previousHash != previous {
                return broken(id, "audit row \(id) does not link to the row before it (a row was removed or inserted)")
            }
            if record.keyed {
                guard let key else {
                    return broken(id, "audit row \(id) is keyed and ltfud has no audit key to check it")
                }
                keyedFrom = keyedFrom ?? id
                if record.hash != record.expectedHash(key: key) {
                    return broken(id, "audit row \(id) was changed after it was written (its HMAC does not match the audit key)")
                }
            } else {
                if let keyedFrom {
                    return broken(id, "audit row \(id) is not keyed, but the keyed chain began at row \(keyedFrom): it was rewritten without the key")
                }
                if record.action == keyedStartAction {
                    return broken(id, "audit row \(id) marks the start of the keyed chain but is not keyed: it was rewritten without the key")
                }
                if record.hash != record.expectedHash(key: nil) {
                    return broken(id, "audit row \(id) was changed after it was written")
                }
            }
            previous = record.hash
            last = id
        }
        // AUTOINCREMENT remembers the highest id ever given: rows cut off the end of the chain
        // leave it above the last row (unless sqlite_sequence was edited too).
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        if issued > last {
            return broken(last + 1, "audit rows \(last + 1) to \(issued) were removed from the end of the trail (it was truncated)")
        }
        if key != nil, keyedFrom == nil, rows > 0 {
            return broken(nil, "ltfud has an audit key but no row of the trail is keyed: the keyed rows were rewritten without the key")
        }
        // Rows removed with the sequence lowered to match: every subject was enrolled with an
        // audit row, so a subject without one shows the trail lost rows.
        if let orphan = try String.fetchOne(db, sql: """
            SELECT code FROM subject WHERE NOT EXISTS (SELECT 1 FROM audit WHERE audit.subject = subject.code) ORDER BY id LIMIT 1
            """)
        {
            return broken(nil, "subject `\(orphan)` has no row in the audit trail: rows were removed from it")
        }
        return AuditVerification(ok: true, rows: rows, firstBrokenId: nil, problem: nil, keyedFrom: keyedFrom)
    }
}

/// Timestamps in the database: ISO 8601, UTC, milliseconds.
public enum Timestamp {
    public static func string(_ instant: Date) -> String {
        instant.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
