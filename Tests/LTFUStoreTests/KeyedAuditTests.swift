import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// Issue #13: the audit chain keyed with HMAC-SHA256 under a key the database does not hold.
/// Someone who can write the file but not read the key rebuilds the chain with plain SHA-256,
/// as the unkeyed code would; `audit --verify` names the row that gives it away.
@Suite struct KeyedAuditTests {
    let fixture: FollowUpStoreTests
    let key = AuditKey(bytes: Array(repeating: UInt8(7), count: 32))

    init() throws {
        fixture = try FollowUpStoreTests()
    }

    func keyedStore(_ key: AuditKey?, adopt: Bool = false) throws -> FollowUpStore {
        try FollowUpStore.open(path: fixture.store.path, auditKey: key, adoptUnkeyedAudit: adopt, now: fixture.instant)
    }

    /// Rewrites rows `from...` of the chain as an attacker without the key would: every field
    /// kept (or edited by `edit`), each hash recomputed with SHA-256 and linked again.
    func rebuildWithoutKey(from first: Int64, keyed: Bool, edit: String? = nil) throws {
        let queue = try DatabaseQueue(path: fixture.store.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_is_append_only_update; DROP TRIGGER IF EXISTS audit_is_append_only_delete")
            if let edit { try db.execute(sql: edit) }
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [first - 1]) ?? AuditRecord.genesis
            for var row in try AuditRecord.filter(AuditRecord.Columns.id >= first).order(AuditRecord.Columns.id).fetchAll(db) {
                row.previousHash = previous
                row.hash = row.expectedHash(key: nil)
                row.keyed = keyed
                try row.update(db)
                previous = row.hash
            }
        }
        try queue.close()
    }

    @Test func aNewDatabase_isKeyedFromItsFirstRow() throws {
        let store = try keyedStore(key)
        try fixture.enroll("K-1", into: store)
        try fixture.enroll("K-2", into: store)
        #expect(try store.verifyAuditChain() == AuditVerification(ok: true, rows: 3, firstBrokenId: nil, problem: nil, keyedFrom: 1))
        let marker = try store.auditTrail(subject: nil).first
        #expect(marker?.action == "audit-keyed")
        #expect(marker?.user == "ltfud")
    }

    @Test func anEditRehashedWithoutTheKey_isNamed() throws {
        let store = try keyedStore(key)
        for code in ["K-1", "K-2", "K-3"] { try fixture.enroll(code, into: store) }
        try rebuildWithoutKey(from: 3, keyed: true, edit: "UPDATE audit SET user = 'mallory' WHERE id = 3")
        let result = try store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.firstBrokenId == 3)
        #expect(result.problem == "audit row 3 was changed after it was written (its HMAC does not match the audit key)")
    }

    @Test func rowsRewrittenAsUnkeyed_areNamed() throws {
        let store = try keyedStore(key)
        for code in ["K-1", "K-2", "K-3"] { try fixture.enroll(code, into: store) }
        try rebuildWithoutKey(from: 3, keyed: false)
        let result = try store.verifyAuditChain()
        #expect(result.firstBrokenId == 3)
        #expect(result.problem == "audit row 3 is not keyed, but the keyed chain began at row 1: it was rewritten without the key")

        // The whole chain rewritten as unkeyed, marker included: the marker gives it away.
        try rebuildWithoutKey(from: 1, keyed: false)
        #expect(try store.verifyAuditChain().problem == "audit row 1 marks the start of the keyed chain but is not keyed: it was rewritten without the key")
    }

    @Test func theMarkerRemovedAndEverythingRewritten_isStillRefused() throws {
        let store = try keyedStore(key)
        for code in ["K-1", "K-2"] { try fixture.enroll(code, into: store) }
        // Shift the rows down over the marker, and the sequence with them, then rehash.
        try rebuildWithoutKey(from: 1, keyed: false, edit: """
            DELETE FROM audit WHERE id = 1; UPDATE audit SET id = id - 1; UPDATE sqlite_sequence SET seq = seq - 1 WHERE name = 'audit'
            """)
        let result = try store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.problem == "ltfud has an audit key but no row of the trail is keyed: the keyed rows were rewritten without the key")
        // And a restart does not bless the forgery with a new marker: ltfud refuses to start.
        let error = try #require(throws: LTFUError.self) { try keyedStore(key) }
        #expect(error.code == "audit-unkeyed")
    }

    @Test func anEmptiedTrail_isNamedByTheSubjectsItLost() throws {
        let store = try keyedStore(key)
        for code in ["K-1", "K-2"] { try fixture.enroll(code, into: store) }
        let queue = try DatabaseQueue(path: fixture.store.path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit; DELETE FROM sqlite_sequence WHERE name = 'audit'
                """)
        }
        try queue.close()
        let result = try store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.problem == "subject `K-1` has no row in the audit trail: rows were removed from it")
    }

    @Test func aDatabaseFromBeforeKeying_isKeyedOnUpgrade() throws {
        let path = fixture.directory.appendingPathComponent("v8.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v8 contacts and consents")
        try queue.write { db in
            let hash = AuditRecord.hash(previous: AuditRecord.genesis, at: "2025-01-10T02:00:00.000Z", user: "alice", uid: 1001,
                                        action: "note", subject: nil, change: "{}", key: nil)
            try db.execute(sql: """
                INSERT INTO audit (at, user, uid, action, subject, change, previousHash, hash)
                VALUES ('2025-01-10T02:00:00.000Z', 'alice', 1001, 'note', NULL, '{}', ?, ?)
                """, arguments: [AuditRecord.genesis, hash])
        }
        try queue.close()
        let store = try FollowUpStore.open(path: path, auditKey: key, now: fixture.instant)
        #expect(try store.verifyAuditChain() == AuditVerification(ok: true, rows: 2, firstBrokenId: nil, problem: nil, keyedFrom: 2))
    }

    @Test func aTrailWrittenWithoutAKey_isKeyedOnlyWhenTheOperatorAdoptsIt() throws {
        for code in ["U-1", "U-2"] { try fixture.enroll(code) }
        let refused = try #require(throws: LTFUError.self) { try keyedStore(key) }
        #expect(refused.code == "audit-unkeyed")
        #expect(refused.message.hasPrefix("the audit trail has 2 rows and none is keyed, though ltfud has an audit key"))
        let store = try keyedStore(key, adopt: true)
        try fixture.enroll("K-1", into: store)
        let result = try store.verifyAuditChain()
        #expect(result == AuditVerification(ok: true, rows: 4, firstBrokenId: nil, problem: nil, keyedFrom: 3))
        let trail = try store.auditTrail(subject: nil)
        #expect(trail.map(\.action) == ["enroll", "enroll", "audit-keyed", "enroll"])
        #expect(trail[2].change == #"{"keyId":"\#(key.id)","unkeyedRows":2}"#)

        // Opening it again with the key adds no second marker.
        #expect(try keyedStore(key).verifyAuditChain().rows == 4)

        // The unkeyed prefix is covered too: the marker's HMAC covers its hash.
        try rebuildWithoutKey(from: 1, keyed: false, edit: "UPDATE audit SET user = 'mallory' WHERE id = 1")
        #expect(try store.verifyAuditChain().firstBrokenId == 3)
    }

    @Test func aKeyedDatabase_refusesToOpenWithoutTheKey() throws {
        _ = try keyedStore(key)
        let error = try #require(throws: LTFUError.self) { try keyedStore(nil) }
        #expect(error.code == "audit-key-missing")
        #expect(error.message.hasPrefix("the audit trail is keyed from row 1 but ltfud was given no audit key"))
    }

    @Test func anotherKey_isRefusedAtOpen() throws {
        let store = try keyedStore(key)
        try fixture.enroll("K-1", into: store)
        let error = try #require(throws: LTFUError.self) { try keyedStore(AuditKey(bytes: Array(repeating: UInt8(8), count: 32))) }
        #expect(error.code == "audit-key-mismatch")
        #expect(error.message.hasPrefix("the audit key (id "))
        #expect(error.message.contains("is not the one this trail was keyed with (id \(key.id), audit row 1)"))
    }

    @Test func aKeyFile_isReadAsBytes_andAShortOneIsNamed() throws {
        let file = fixture.directory.appendingPathComponent("audit.key")
        try Data(repeating: 9, count: 16).write(to: file)
        let error = try #require(throws: LTFUError.self) { try AuditKey(contentsOf: file.path) }
        #expect(error.message == "the audit key \(file.path) is 16 bytes; it needs at least 32 (head -c 32 /dev/urandom)")
        let missing = try #require(throws: LTFUError.self) { try AuditKey(contentsOf: file.path + ".gone") }
        #expect(missing.message.hasPrefix("cannot read the audit key \(file.path).gone"))
        try Data(repeating: 9, count: 32).write(to: file)
        #expect(try AuditKey(contentsOf: file.path).bytes == Array(repeating: 9, count: 32))
    }
}
