import Foundation
import GRDB
import LTFUCore

/// Appends to and verifies the audit chain. Callers append inside the transaction of the
/// change they describe, so a change and its audit row commit together or not at all.
///
/// Keying (issue #13): with an `AuditKey`, every new row is keyed. A database written before
/// it had a key keeps its unkeyed prefix as it is; `startKeyedChain` marks where the keyed
/// chain begins with an `audit-keyed` row, itself keyed and linked to the last unkeyed row,
/// so the prefix cannot be rewritten either without breaking the marker's HMAC.
enum AuditTrail {
    /// The action of the row that starts the keyed chain.
    static let keyedStartAction = "audit-keyed"

    static func append(_ db: Database, key: AuditKey?, actor: Actor, at instant: Date, action: String, subject: String?,
                       change: [String: any Sendable]) throws
    {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? AuditRecord.genesis
        let at = Timestamp.string(instant)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: change, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
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

    /// With a key and no keyed row yet (a new database, or one written before the key
    /// existed), appends the marker row that starts the keyed chain. Without a key, refuses a
    /// database whose chain is keyed: rows appended unkeyed would break it.
    static func prepare(_ db: Database, key: AuditKey?, actor: Actor, at instant: Date) throws {
        let keyedFrom = try keyedFrom(db)
        switch (key, keyedFrom) {
        case (nil, let row?):
            throw LTFUError(.configuration, code: "audit-key-missing",
                            "the audit trail is keyed from row \(row) but ltfud was given no audit key: restore the credential `\(AuditKey.credentialName)` (LoadCredential=) or [audit] key_file")
        case (let key?, nil):
            let unkeyed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0
            try append(db, key: key, actor: actor, at: instant, action: keyedStartAction, subject: nil,
                       change: ["unkeyedRows": unkeyed])
        default:
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
        return AuditVerification(ok: true, rows: rows, firstBrokenId: nil, problem: nil, keyedFrom: keyedFrom)
    }
}

/// Timestamps in the database: ISO 8601, UTC, milliseconds.
public enum Timestamp {
    public static func string(_ instant: Date) -> String {
        instant.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
