import Foundation
import LTFUWire
import Testing

/// `ltfuctl audit --verify` through the real binaries on a trail edited behind the daemon's
/// back with the sqlite3 shell: exit 65 and the broken row named (issue #16).
@Suite struct AuditVerifyTests {
    @Test func aTamperedTrail_exits65_namingTheRow() throws {
        try HostRequirement.program("/usr/bin/sqlite3", package: "sqlite3")
        let daemon = try DaemonHarness()
        try daemon.start()
        for code in ["V-1", "V-2", "V-3"] {
            #expect(try daemon.ctl("enroll", code, "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        }
        let clean = try daemon.ctl("audit", "--verify")
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("audit chain OK (3 rows, not keyed)"))
        #expect(daemon.stop() == 0)
        let database = daemon.stateDirectory.appendingPathComponent("ltfu.sqlite").path
        let edit = try BuiltBinaries.run(path: "/usr/bin/sqlite3", [database, """
            DROP TRIGGER audit_is_append_only_update; UPDATE audit SET user = 'mallory' WHERE id = 2;
            """])
        #expect(edit.status == 0, "\(edit.stderr)")
        try daemon.start()
        let broken = try daemon.ctl("audit", "--verify")
        #expect(broken.status == 65)
        #expect(broken.stdout.contains("audit chain BROKEN: audit row 2 was changed after it was written"), "\(broken.stdout)")
        let json = try daemon.ctl("audit", "--verify", "--json")
        #expect(json.status == 65)
        #expect(try json.json(AuditVerifyResponse.self).ok == false)
    }
}

/// Issue #13: the keyed trail through the real binaries. The attacker can write the database
/// (python3's sqlite3 and hashlib, as one would) but cannot read the key file: rebuilding the
/// chain after an edit fails, and `audit --verify` names the row.
@Suite struct KeyedAuditVerifyTests {
    /// Edits row `row` and rehashes every row from it with plain SHA-256, as the unkeyed code did.
    static let rebuild = #"""
        import hashlib, sqlite3, sys
        db = sqlite3.connect(sys.argv[1]); row = int(sys.argv[2])
        db.execute("DROP TRIGGER audit_is_append_only_update")
        db.execute("UPDATE audit SET user = 'mallory' WHERE id = ?", (row,))
        previous = db.execute("SELECT hash FROM audit WHERE id = ?", (row - 1,)).fetchone()[0]
        for (id, at, user, uid, action, subject, change) in db.execute(
                "SELECT id, at, user, uid, action, subject, change FROM audit WHERE id >= ? ORDER BY id", (row,)).fetchall():
            fields = "\x1f".join([previous, at, user, str(uid), action, subject or "", change])
            digest = hashlib.sha256(fields.encode()).hexdigest()
            db.execute("UPDATE audit SET previousHash = ?, hash = ? WHERE id = ?", (previous, digest, id))
            previous = digest
        db.commit()
        """#

    @Test func anExistingTrail_becomesKeyed_andARebuiltChainIsCaught() throws {
        try HostRequirement.program("/usr/bin/python3", package: "python3")
        let daemon = try DaemonHarness()
        try daemon.start()
        #expect(try daemon.ctl("enroll", "V-1", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(daemon.stop() == 0)

        // The same database, now with a key: ltfud will not bless an unkeyed trail by itself
        // (it is what keyed rows rewritten without the key look like); the operator adopts it,
        // the unkeyed row stays, the keyed chain starts at row 2.
        let keyFile = daemon.root.appendingPathComponent("audit.key")
        try Data((0..<32).map { UInt8($0 * 7 % 256) }).write(to: keyFile)
        chmod(keyFile.path, 0o600)
        let config = try String(contentsOf: daemon.configFile, encoding: .utf8)
        try (config + "\n[audit]\nkey_file = \"\(keyFile.path)\"\n").write(to: daemon.configFile, atomically: true, encoding: .utf8)
        let refused = try daemon.runDaemon([])
        #expect(refused.status == 78 && refused.stderr.contains("start its keyed chain once with `ltfud --adopt-audit-key`"), "\(refused.stderr)")
        let adopted = try daemon.runDaemon(["--adopt-audit-key"])
        #expect(adopted.status == 0 && adopted.stdout == "audit trail keyed from row 2\n", "\(adopted.stdout)\(adopted.stderr)")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "V-2", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        let keyed = try daemon.ctl("audit", "--verify")
        #expect(keyed.stdout.contains("audit chain OK (3 rows, keyed from row 2)"), "\(keyed.stdout)\(keyed.stderr)")
        #expect(try daemon.ctl("audit", "--verify", "--json").json(AuditVerifyResponse.self).keyedFrom == 2)
        #expect(try daemon.ctl("audit", "--json").json([AuditEntry].self).map(\.action) == ["enroll", "audit-keyed", "enroll"])
        #expect(daemon.stop() == 0)

        // Without the key file the keyed database is refused: exit 78, saying why.
        try config.write(to: daemon.configFile, atomically: true, encoding: .utf8)
        let keyless = try daemon.runDaemon([])
        #expect(keyless.status == 78)
        #expect(keyless.stderr.contains("the audit trail is keyed from row 2 but ltfud was given no audit key"), "\(keyless.stderr)")

        // The attacker edits row 3 and rebuilds the chain from there without the key.
        try (config + "\n[audit]\nkey_file = \"\(keyFile.path)\"\n").write(to: daemon.configFile, atomically: true, encoding: .utf8)
        let database = daemon.stateDirectory.appendingPathComponent("ltfu.sqlite").path
        let script = daemon.root.appendingPathComponent("rebuild.py")
        try Self.rebuild.write(to: script, atomically: true, encoding: .utf8)
        let attack = try BuiltBinaries.run(path: "/usr/bin/python3", [script.path, database, "3"])
        #expect(attack.status == 0, "\(attack.stderr)")
        try daemon.start()
        let broken = try daemon.ctl("audit", "--verify")
        #expect(broken.status == 65)
        #expect(broken.stdout.contains("audit chain BROKEN: audit row 3 was changed after it was written (its HMAC does not match the audit key)"),
                "\(broken.stdout)")
    }
}

/// Issue #13: a birth date or a note given as `-` is read from standard input, so it never
/// stands on a command line that sudo and PAM log.
@Suite struct PrivateInputTests {
    @Test func birthDatesAndNotes_fromStandardInput() throws {
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        let enrolled = try daemon.ctl(["enroll", "P-1", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "-"], input: "2016-05-05\n")
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(try daemon.ctl("show", "P-1", "--json").json(ShowResponse.self).subject.pediatric, "the birth date from stdin was used")
        let recorded = try daemon.ctl(["record", "P-1", "M1", "--on", "2025-02-10", "--note", "-"], input: "seen by Dr. Li\nat home\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try daemon.ctl("show", "P-1", "--json").json(ShowResponse.self).visits.first { $0.code == "M1" }?.note == "seen by Dr. Li\nat home")
        let missed = try daemon.ctl(["miss", "P-1", "M3", "--reason", "-"], input: "")
        #expect(missed.status == 65, "an empty reason from stdin is still no reason")
        #expect(missed.stderr.contains("a reason is required"))
    }
}
