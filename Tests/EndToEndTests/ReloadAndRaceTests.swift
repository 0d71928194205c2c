#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// Issue #16: a reload that changes when notifications fire or who may write takes effect at
/// once, without a restart; two coordinators recording the same visit at the same moment get
/// one success and one refusal.
@Suite(.serialized)
struct ReloadAndRaceTests {
    static func rewrite(_ daemon: DaemonHarness, _ change: (String) -> String) throws {
        let text = try String(contentsOf: daemon.configFile, encoding: .utf8)
        try change(text).write(to: daemon.configFile, atomically: true, encoding: .utf8)
    }

    static func reload(_ daemon: DaemonHarness) throws {
        let reloads = daemon.log.components(separatedBy: "reloaded").count
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.components(separatedBy: "reloaded").count > reloads }, "\(daemon.log)")
    }

    @Test func reloadOfTheNotifyTime_movesTheNextFireTime() throws {
        let daemon = try DaemonHarness(today: "2025-02-05")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-02-10 08:00")
        try Self.rewrite(daemon) { $0 + "\n[notify]\ntime = \"09:30\"\n" }
        try Self.reload(daemon)
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).nextNotification == "2025-02-10 09:30")
    }

    @Test func reloadOfTheWriteGroup_letsANewCoordinatorWrite_withoutARestart() throws {
        try HostRequirement.root("creates a real user and groups")
        // Names of this test's own, removed again after it.
        let accounts = HostAccounts()
        defer { accounts.removeAll() }
        let readers = try accounts.group("r"), writers = try accounts.group("w")
        let user = try accounts.user("late", groups: [readers])
        let daemon = try DaemonHarness(readGroup: readers, writeGroup: writers)
        try daemon.start()
        let refused = try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", user: user)
        #expect(refused.status == 77, "\(refused.stderr)")
        try Self.rewrite(daemon) { $0.replacingOccurrences(of: "write_group = \"\(writers)\"", with: "write_group = \"\(readers)\"") }
        try Self.reload(daemon)
        let allowed = try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", user: user)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try daemon.ctl("audit", "--json").json([AuditEntry].self).map(\.user) == [user])
    }

    @Test func twoCoordinatorsRecordingTheSameVisitAtOnce_oneWinsAndOneIsRefused() throws {
        let daemon = try DaemonHarness(today: "2025-08-01")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        for visit in ["M1", "M3", "M6"] {
            let statuses = Locked<[Int32]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                let result = try? daemon.ctl("record", "S01-001", visit, "--on", "2025-07-2\(writer)")
                statuses.withLock { $0.append(result?.status ?? -1) }
            }
            #expect(statuses.withLock { $0.sorted() } == [0, 65], "\(visit)")
        }
        let records = try daemon.ctl("audit", "S01-001", "--json").json([AuditEntry].self).filter { $0.action == "record" }
        #expect(records.count == 3, "one audited record per visit")
        #expect(try daemon.ctl("audit", "--verify").status == 0)
    }
}
