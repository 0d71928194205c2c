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
