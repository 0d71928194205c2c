import Foundation
import GRDB

/// Appends to and verifies the audit chain. Callers append inside the transaction of the
/// change they describe, so a change and its audit row commit together or not at all.
enum AuditTrail {
    static func append(_ db: Database, actor: Actor, at instant: Date, action: String, subject: String?,
                       change: [String: any Sendable]) throws
    {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? AuditRecord.genesis
        let at = Timestamp.string(instant)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: change, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        var record = AuditRecord(
            at: at, user: actor.name, uid: Int64(actor.uid), action: action, subject: subject, change: json,
            previousHash: previous,
            hash: AuditRecord.hash(previous: previous, at: at, user: actor.name, uid: Int64(actor.uid),
                                   action: action, subject: subject, change: json))
        try record.insert(db)
    }

    /// Walks the whole chain in order, in one read transaction.
    static func verify(_ db: Database) throws -> AuditVerification {
        var previous = AuditRecord.genesis
        var rows = 0
        var last: Int64 = 0
        let cursor = try AuditRecord.order(AuditRecord.Columns.id).fetchCursor(db)
        while let record = try cursor.next() {
            rows += 1
            if record.previousHash != previous {
                return AuditVerification(ok: false, rows: rows, firstBrokenId: record.id,
                                         problem: "audit row \(record.id ?? 0) does not link to the row before it (a row was removed or inserted)")
            }
            if record.hash != record.expectedHash {
                return AuditVerification(ok: false, rows: rows, firstBrokenId: record.id,
                                         problem: "audit row \(record.id ?? 0) was changed after it was written")
            }
            previous = record.hash
            last = record.id ?? last
        }
        // AUTOINCREMENT remembers the highest id ever given: rows cut off the end of the chain
        // leave it above the last row (unless sqlite_sequence was edited too).
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        if issued > last {
            return AuditVerification(ok: false, rows: rows, firstBrokenId: last + 1,
                                     problem: "audit rows \(last + 1) to \(issued) were removed from the end of the trail (it was truncated)")
        }
        return AuditVerification(ok: true, rows: rows, firstBrokenId: nil, problem: nil)
    }
}

/// Timestamps in the database: ISO 8601, UTC, milliseconds.
public enum Timestamp {
    public static func string(_ instant: Date) -> String {
        instant.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
