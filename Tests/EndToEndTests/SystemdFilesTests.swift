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

    @Test func catalog_isAcceptedByJournalctl() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-catalog-\(UUID().uuidString)")
        let catalogs = root.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: catalogs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("var/lib/systemd/catalog"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.systemd.appendingPathComponent("ltfu.catalog"),
                                         to: catalogs.appendingPathComponent("ltfu.catalog"))
        let update = try BuiltBinaries.run(path: "/bin/journalctl", ["--root", root.path, "--update-catalog"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(!update.stderr.contains("ltfu.catalog"), "no complaint about our file: \(update.stderr)")
        let listed = try BuiltBinaries.run(path: "/bin/journalctl", ["--root", root.path, "--list-catalog"])
        for kind in NotificationKind.allCases {
            #expect(listed.stdout.contains(kind.messageID), "\(kind) missing from \(listed.stdout)")
        }
    }
}
