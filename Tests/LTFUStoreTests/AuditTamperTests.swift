import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// Someone with write access to the file, behind the daemon's back (triggers dropped), edits,
/// removes, inserts or cuts off audit rows: the chain says which row breaks it (issue #16).
@Suite struct AuditTamperTests {
    let fixture: FollowUpStoreTests

    init() throws {
        fixture = try FollowUpStoreTests()
        for code in ["A-1", "A-2", "A-3", "A-4"] { try fixture.enroll(code) }
        #expect(try fixture.store.verifyAuditChain() == AuditVerification(ok: true, rows: 4, firstBrokenId: nil, problem: nil, keyedFrom: nil))
    }

    /// Runs SQL on the file through a connection of its own, with the append-only triggers gone.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: fixture.store.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_is_append_only_update; DROP TRIGGER IF EXISTS audit_is_append_only_delete")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    @Test func anEditedRow_isNamed() throws {
        try tamper("UPDATE audit SET user = 'mallory' WHERE id = 2")
        let result = try fixture.store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.firstBrokenId == 2)
        #expect(result.problem == "audit row 2 was changed after it was written")
    }

    @Test func aRemovedRow_breaksTheLinkOfTheNext() throws {
        try tamper("DELETE FROM audit WHERE id = 2")
        let result = try fixture.store.verifyAuditChain()
        #expect(result.firstBrokenId == 3)
        #expect(result.problem?.contains("does not link to the row before it") == true)
    }

    @Test func anInsertedRow_isNamed() throws {
        // A forged row at the end that copies a real row's link: it cannot link to row 4.
        try tamper("""
            INSERT INTO audit (at, user, uid, action, subject, change, previousHash, hash)
            SELECT at, 'mallory', 0, action, subject, change, previousHash, hash || '' || 'x' FROM audit WHERE id = 3
            """)
        let result = try fixture.store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.firstBrokenId == 5)
    }

    @Test func aTruncatedTrail_isNamed() throws {
        try tamper("DELETE FROM audit WHERE id >= 3")
        let result = try fixture.store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.firstBrokenId == 3)
        #expect(result.problem == "audit rows 3 to 4 were removed from the end of the trail (it was truncated)")
    }
}
