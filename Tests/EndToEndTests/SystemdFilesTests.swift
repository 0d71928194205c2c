import Foundation
import LTFUCore
import Testing

/// The files under systemd/ that a Debian admin installs, checked with systemd's own tools.
@Suite struct SystemdFilesTests {
    static let systemd = repositoryRoot.appendingPathComponent("systemd")

    @Test func catalog_explainsEveryNotificationKind() throws {
        let text = try String(contentsOf: Self.systemd.appendingPathComponent("ltfu.catalog"), encoding: .utf8)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(ids.sorted() == NotificationKind.allCases.map(\.messageID).sorted())
    }

    /// Issue #22: every entry has its Simplified Chinese twin (journalctl picks the file by
    /// its name's language, `ltfu.zh_CN.catalog`, and the entry by `LANG`).
    @Test func chineseCatalog_explainsEveryNotificationKind_inChinese() throws {
        let text = try String(contentsOf: Self.systemd.appendingPathComponent("ltfu.zh_CN.catalog"), encoding: .utf8)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(ids.sorted() == NotificationKind.allCases.map(\.messageID).sorted())
        let subjects = text.split(separator: "\n").filter { $0.hasPrefix("Subject: ") }
        #expect(subjects.count == ids.count)
        for subject in subjects {
            #expect(subject.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(subject)")
        }
    }

    @Test func catalog_isAcceptedByJournalctl() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-catalog-\(UUID().uuidString)")
        let catalogs = root.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: catalogs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("var/lib/systemd/catalog"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["ltfu.catalog", "ltfu.zh_CN.catalog"] {
            try FileManager.default.copyItem(at: Self.systemd.appendingPathComponent(name), to: catalogs.appendingPathComponent(name))
        }
        let update = try BuiltBinaries.run(path: "/bin/journalctl", ["--root", root.path, "--update-catalog"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(!update.stderr.contains("ltfu.catalog"), "no complaint about our file: \(update.stderr)")
        let listed = try BuiltBinaries.run(path: "/bin/journalctl", ["--root", root.path, "--list-catalog"])
        for kind in NotificationKind.allCases {
            #expect(listed.stdout.contains(kind.messageID), "\(kind) missing from \(listed.stdout)")
        }
    }

    @Test func unit_isHardenedToAnExposureOfAtMost2() throws {
        let result = try BuiltBinaries.run(path: "/usr/bin/systemd-analyze",
                                           ["security", "--offline=true", Self.systemd.appendingPathComponent("ltfud.service").path])
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level for ltfud.service") })
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 2.0, "\(line)")
    }

    @Test func unit_parsesWithoutUnknownKeys() throws {
        let result = try BuiltBinaries.run(path: "/usr/bin/systemd-analyze",
                                           ["verify", "--man=no", Self.systemd.appendingPathComponent("ltfud.service").path])
        // Until installed, only the missing /usr/bin/ltfud may be reported.
        let complaints = result.stderr.split(separator: "\n").filter { !$0.contains("/usr/bin/ltfud is not executable") }
        #expect(complaints.isEmpty, "\(result.stderr)")
    }

    @Test func sysusers_createTheUserAndBothGroups() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-sysusers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try BuiltBinaries.run(path: "/usr/bin/systemd-sysusers",
                                           ["--root", root.path, Self.systemd.appendingPathComponent("ltfu.sysusers").path])
        #expect(result.status == 0, "\(result.stderr)")
        let groups = try String(contentsOf: root.appendingPathComponent("etc/group"), encoding: .utf8)
        let users = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        #expect(groups.contains("ltfu:x:") && groups.contains("ltfu-coord:x:"))
        #expect(users.contains("ltfu:x:") && users.contains(":/var/lib/ltfu:/usr/sbin/nologin"))
    }
}
