import Foundation
import Testing

/// `scripts/install` into a DESTDIR, checked file by file, then uninstalled (issue: install
/// and forget; never overwrite an edited configuration; keep data on uninstall).
@Suite struct InstallTests {
    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    func install(_ destdir: URL, _ arguments: [String] = []) throws -> CommandResult {
        try BuiltBinaries.run(path: "/bin/bash", [repositoryRoot.appendingPathComponent("scripts/install").path] + arguments,
                              environment: ["DESTDIR": destdir.path, "LTFU_BIN_DIR": BuiltBinaries.directory.path])
    }

    @Test func destdirInstall_placesEveryFile_keepsAnEditedConfig_andUninstallKeepsData() throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: destdir) }
        let first = try install(destdir)
        #expect(first.status == 0, "\(first.stderr)")
        let expected: [(String, Int)] = [
            ("usr/bin/ltfud", 0o755), ("usr/bin/ltfuctl", 0o755),
            ("usr/lib/systemd/system/ltfud.service", 0o644), ("usr/lib/sysusers.d/ltfu.conf", 0o644),
            ("usr/lib/systemd/catalog/ltfu.catalog", 0o644), ("usr/lib/systemd/catalog/ltfu.zh_CN.catalog", 0o644),
            ("usr/share/man/man8/ltfud.8", 0o644), ("usr/share/man/man1/ltfuctl.1", 0o644), ("usr/share/man/man5/ltfud.toml.5", 0o644),
            ("usr/share/bash-completion/completions/ltfuctl", 0o644),
            ("usr/share/doc/ltfu/openapi.yaml", 0o644), ("usr/share/doc/ltfu/examples/cd19-cart.toml", 0o644),
            ("etc/ltfu/ltfud.toml", 0o644),
        ]
        for (path, mode) in expected {
            #expect(Self.mode(destdir.appendingPathComponent(path).path) == mode, "\(path)")
        }
        #expect(FileManager.default.fileExists(atPath: destdir.appendingPathComponent("etc/ltfu/products.d").path))
        let completion = try String(contentsOf: destdir.appendingPathComponent("usr/share/bash-completion/completions/ltfuctl"), encoding: .utf8)
        #expect(completion.contains("enroll") && completion.contains("overdue"))

        // The installed man pages render without warnings.
        for page in ["usr/share/man/man8/ltfud.8", "usr/share/man/man1/ltfuctl.1", "usr/share/man/man5/ltfud.toml.5"] {
            let rendered = try BuiltBinaries.run(path: "/usr/bin/man", ["--warnings", "-l", destdir.appendingPathComponent(page).path],
                                                 environment: ["MANPAGER": "cat", "MANWIDTH": "80"])
            #expect(rendered.status == 0 && rendered.stderr.isEmpty, "\(page): \(rendered.stderr)")
            #expect(rendered.stdout.contains("NAME"))
        }

        // Issue #13: no audit key in a staging root, or every site built from it would share one.
        #expect(!FileManager.default.fileExists(atPath: destdir.appendingPathComponent("etc/ltfu/audit.key").path))
        #expect(first.stderr.contains("no audit key in a DESTDIR install: make one on the server"))

        // An admin's edit survives a reinstall; the new default goes beside it.
        let config = destdir.appendingPathComponent("etc/ltfu/ltfud.toml")
        try (try String(contentsOf: config, encoding: .utf8) + "\n# edited by the admin\n").write(to: config, atomically: true, encoding: .utf8)
        #expect(try install(destdir).status == 0)
        #expect(try String(contentsOf: config, encoding: .utf8).contains("# edited by the admin"))
        #expect(FileManager.default.fileExists(atPath: config.path + ".new"))

        // Uninstall removes the programs and keeps the configuration.
        #expect(try install(destdir, ["--uninstall"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: destdir.appendingPathComponent("usr/bin/ltfud").path))
        #expect(!FileManager.default.fileExists(atPath: destdir.appendingPathComponent("usr/lib/systemd/system/ltfud.service").path))
        #expect(try String(contentsOf: config, encoding: .utf8).contains("# edited by the admin"))
    }

    /// The installed unit, pointing at installed binaries and man pages, passes
    /// `systemd-analyze verify` (Documentation= checked with man) with nothing on stderr.
    @Test func installedUnit_verifiesWithoutWarnings() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let result = try BuiltBinaries.run(path: "/bin/bash", [repositoryRoot.appendingPathComponent("scripts/install").path],
                                           environment: ["PREFIX": prefix.path, "SYSCONFDIR": prefix.appendingPathComponent("etc").path,
                                                         "LTFU_BIN_DIR": BuiltBinaries.directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let unit = prefix.appendingPathComponent("lib/systemd/system/ltfud.service")
        #expect(try String(contentsOf: unit, encoding: .utf8).contains("ExecStart=\(prefix.path)/bin/ltfud"))
        let verify = try BuiltBinaries.run(path: "/usr/bin/systemd-analyze", ["verify", unit.path],
                                           environment: ["MANPATH": prefix.appendingPathComponent("share/man").path + ":"])
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
    }
}
