#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// SPEC §7: a `kill -9` at any moment loses no acknowledged write.
@Suite struct DaemonDurabilityTests {
    @Test func kill9DuringABurstOfEnrollments_losesNoAcknowledgedOne() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let acknowledged = Locked<[String]>([])
        let attempted = Locked(0)
        let writers = 6, perWriter = 40
        let group = DispatchGroup()
        for writer in 0..<writers {
            DispatchQueue.global().async(group: group) {
                for index in 0..<perWriter {
                    let code = "K\(writer)-\(index)"
                    attempted.withLock { $0 += 1 }
                    guard let result = try? daemon.ctl("enroll", code, "--product", "CD19-CART", "--infused", "2025-01-10") else { continue }
                    if result.status == 0 { acknowledged.withLock { $0.append(code) } }
                    if result.status == 69 { return }   // the daemon is gone
                }
            }
        }
        // Kill it in the middle of the burst.
        #expect(waitUntil(seconds: 60) { acknowledged.withLock { $0.count } >= 25 }, "the burst got going")
        daemon.kill9()
        group.wait()
        let acked = Set(acknowledged.withLock { $0 })
        #expect(acked.count >= 25)
        #expect(attempted.withLock { $0 } > acked.count, "some enrollments were cut off by the kill")

        try daemon.start()
        let stored = Set(try daemon.ctl("list", "--json").json([SubjectSummary].self).map(\.code))
        #expect(acked.isSubset(of: stored), "lost: \(acked.subtracting(stored).sorted())")
        for code in acked.sorted().prefix(5) {
            #expect(try daemon.ctl("show", code, "--json").json(ShowResponse.self).visits.count == 18)
        }
        let verify = try daemon.ctl("audit", "--verify", "--json").json(AuditVerifyResponse.self)
        #expect(verify.ok, "\(verify.problem ?? "")")
        #expect(verify.rows == stored.count, "one audit row per stored enrollment, committed together")
    }
}

/// SPEC §8: the read group may query, the write group (and root) may change data, everyone
/// else is refused; the audit trail names the real user. Needs root to create users.
@Suite(.serialized)
struct DaemonAccessTests {
    /// Names of this test's own (suites run at once), removed again when the suite is dropped.
    let accounts = HostAccounts()
    let readGroup: String, writeGroup: String
    let outsider: String, reader: String, writer: String

    init() throws {
        try HostRequirement.root("creates real users and groups")
        readGroup = try accounts.group("read")
        writeGroup = try accounts.group("write")
        outsider = try accounts.user("out")
        reader = try accounts.user("reader", groups: [readGroup])
        // The socket belongs to the read group, so coordinators are in both groups.
        writer = try accounts.user("writer", groups: [readGroup, writeGroup])
    }

    @Test func groups_decideWhoMayQueryAndWhoMayChange() throws {
        defer { accounts.removeAll() }
        let daemon = try DaemonHarness(readGroup: readGroup, writeGroup: writeGroup)
        try daemon.start()
        var info = stat()
        #expect(stat(daemon.socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        #expect(String(cString: getgrgid(info.st_gid).pointee.gr_name) == readGroup)

        // An outsider cannot even connect.
        let outsider = try daemon.ctl("status", user: self.outsider)
        #expect(outsider.status == 77, "\(outsider.stderr)")
        #expect(outsider.stderr.contains("permission denied"))

        // A reader may query but not change.
        #expect(try daemon.ctl("status", user: reader).status == 0)
        #expect(try daemon.ctl("list", user: reader).status == 0)
        let refused = try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", user: reader)
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("user \(reader) may not change data"))
        #expect(try daemon.ctl("list", "--json").json([SubjectSummary].self).isEmpty)

        // A coordinator may change data, and the audit trail names them.
        let enrolled = try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", user: writer)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(try daemon.ctl("miss", "S01-001", "M1", "--reason", "ill", user: writer).status == 0)
        // SPEC §10: results, events and acknowledgements are changes too.
        for arguments in [["result", "S01-001", "M1", "survival", "done"], ["event", "S01-001", "other-sae", "--on", "2025-01-20"],
                          ["ack", "0123456789abcdef0123456789abcdef"]] {
            let result = try daemon.ctl(arguments, user: reader)
            #expect(result.status == 77, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("user \(reader) may not change data"))
        }
        #expect(try daemon.ctl("signals", "--all", user: reader).status == 0)
        let audit = try daemon.ctl("audit", "--json", user: reader).json([AuditEntry].self)
        #expect(audit.map(\.user) == [writer, writer])
        #expect(audit.map(\.uid).allSatisfy { $0 != 0 })
    }
}

/// A value shared between threads of a test.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// `ltfuctl backup` takes SQLite's online backup while enrollments go on; the copy restores.
@Suite struct BackupTests {
    @Test func backupDuringEnrollments_restoresToAConsistentDatabase() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let running = Locked(true)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            var index = 0
            while running.withLock({ $0 }) {
                _ = try? daemon.ctl("enroll", "BK-\(index)", "--product", "MSLN-CARNK-MRNA", "--infused", "2025-01-10")
                index += 1
            }
        }
        #expect(waitUntil(seconds: 60) { ((try? daemon.ctl("list", "--json").json([SubjectSummary].self).count) ?? 0) >= 5 })
        let file = daemon.root.appendingPathComponent("copy.sqlite").path
        let result = try daemon.ctl("backup", file)
        running.withLock { $0 = false }
        group.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Backup written to \(file)"))
        #expect(try daemon.ctl("backup", file).status == 65, "never overwrites")

        // Restore: a fresh state directory holding the copy; ltfud checks it (quick_check) at start.
        let restored = try DaemonHarness()
        try FileManager.default.createDirectory(at: restored.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: restored.stateDirectory.appendingPathComponent("ltfu.sqlite").path)
        try restored.start()
        let verify = try restored.ctl("audit", "--verify", "--json").json(AuditVerifyResponse.self)
        #expect(verify.ok)
        let subjects = try restored.ctl("list", "--json").json([SubjectSummary].self)
        #expect(subjects.count >= 5)
        #expect(verify.rows == subjects.count, "each enrollment and its audit row are in the copy together")
    }
}
