import Crypto
import Foundation
import GRDB

/// Who did a change: the Unix user behind the socket (SO_PEERCRED), SPEC §5.
public struct Actor: Sendable, Hashable {
    public var uid: UInt32
    public var name: String

    public init(uid: UInt32, name: String) {
        self.uid = uid
        self.name = name
    }

    /// ltfud itself, for rows no person caused (the start of the keyed chain).
    public static var daemon: Actor { Actor(uid: getuid(), name: "ltfud") }
}

/// A row of the append-only `audit` table. Each row's `hash` covers its fields and the
/// previous row's hash, so an edit made behind the daemon's back breaks the chain. A keyed
/// row's hash is an HMAC under the `AuditKey`, which the database does not hold.
public struct AuditRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit"

    public var id: Int64?
    /// ISO 8601 timestamp, UTC, to the millisecond.
    public var at: String
    public var user: String
    public var uid: Int64
    public var action: String
    public var subject: String?
    /// The change as JSON (sorted keys).
    public var change: String
    public var previousHash: String
    public var hash: String
    /// The hash is an HMAC-SHA256 under the audit key; rows from before a key existed are
    /// plain SHA-256 (schema v9 added the column, 0 for them).
    public var keyed: Bool

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let subject = Column(CodingKeys.subject)
    }

    /// The hash before the first row.
    public static let genesis = String(repeating: "0", count: 64)

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The previous hash and every field, separated by unit separators: SHA-256 of it, or its
    /// HMAC-SHA256 under `key`.
    static func hash(previous: String, at: String, user: String, uid: Int64, action: String, subject: String?, change: String,
                     key: AuditKey?) -> String
    {
        let fields = [previous, at, user, String(uid), action, subject ?? "", change].joined(separator: "\u{1F}")
        if let key { return key.authenticationCode(fields) }
        return SHA256.hash(data: Data(fields.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func expectedHash(key: AuditKey?) -> String {
        Self.hash(previous: previousHash, at: at, user: user, uid: uid, action: action, subject: subject, change: change, key: key)
    }
}

/// The outcome of checking the audit chain.
public struct AuditVerification: Sendable, Hashable, Codable {
    public var ok: Bool
    public var rows: Int
    /// The first row whose hash or link does not match, when `ok` is false.
    public var firstBrokenId: Int64?
    public var problem: String?
    /// The first row of the keyed chain (`nil`: no row is keyed). Rows before it are the
    /// unkeyed prefix of a database older than its key.
    public var keyedFrom: Int64?
}
