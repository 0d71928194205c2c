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
        #expect(clean.stdout.contains("audit chain OK (3 rows)"))
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
