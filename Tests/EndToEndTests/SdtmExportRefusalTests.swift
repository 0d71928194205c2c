import Foundation
import Testing

/// Issue #24: an SDTM export that cannot be made says what is wrong, exits with its sysexits
/// code, and leaves no folder, whole or half, behind.
@Suite struct SdtmExportRefusalTests {
    /// Nothing the export stages (`.ltfu-export-*`) is left in `folder`.
    static func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".ltfu-export-") }
    }

    @Test func aBadStudyOrCreationTime_isRefused_beforeAnythingIsWritten() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        #expect(try daemon.ctl("enroll", "A-1", "--product", "CD19-CART", "--infused", "2025-01-15").status == 0)
        let out = daemon.root.appendingPathComponent("sdtm")
        let study = try daemon.ctl("export", "sdtm", "--study", "bad id!", "--out", out.path)
        #expect(study.status == 64 && study.stderr.contains("`bad id!` is not a study id (--study)"), "\(study.stderr)")
        let created = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out.path, "--created", "2025-06-01 10:00")
        #expect(created.status == 64 && created.stderr.contains("`2025-06-01 10:00` is not a creation date and time (--created)"),
                "\(created.stderr)")
        let day = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out.path, "--created", "2025-02-30T10:00:00+08:00")
        #expect(day.status == 65 && day.stderr.contains("`2025-02-30T10:00:00+08:00` (--created) is not on a real day"), "\(day.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try Self.leftovers(in: daemon.root).isEmpty)
    }

    @Test func noCountry_isData65_namingTheKey() throws {
        let daemon = try DaemonHarness(country: nil)
        try daemon.start()
        #expect(try daemon.ctl("enroll", "A-1", "--product", "CD19-CART", "--infused", "2025-01-15").status == 0)
        let out = daemon.root.appendingPathComponent("sdtm")
        let refused = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out.path)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("set `country` in [site] of \(daemon.configFile.path)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try Self.leftovers(in: daemon.root).isEmpty)
    }

    @Test func anOutThatCannotBeMade_isCantCreate73_namingIt_andLeavesNothing() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        #expect(try daemon.ctl("enroll", "A-1", "--product", "CD19-CART", "--infused", "2025-01-15").status == 0)
        let file = daemon.root.appendingPathComponent("a-file")
        try "not a folder".write(to: file, atomically: true, encoding: .utf8)
        // A folder under a file; the file itself; a folder where nothing may be made, even by root.
        for (out, reason) in [(file.appendingPathComponent("sdtm").path, "its parent `\(file.path)` is not an existing folder"),
                              (file.path, "it exists and is not a folder"),
                              ("/proc/ltfu-sdtm-export", "")] {
            let refused = try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", out)
            #expect(refused.status == 73, "\(out): \(refused.stderr)")
            #expect(refused.stderr.contains("cannot write the export to `\(out)` (--out): \(reason)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("nothing was written"), "\(refused.stderr)")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "not a folder")
        #expect(!FileManager.default.fileExists(atPath: "/proc/ltfu-sdtm-export"))
        #expect(try Self.leftovers(in: daemon.root).isEmpty)
    }

    @Test func checkConfig_refusesACountryThatIsNotAlpha3_namingTheKey() throws {
        let daemon = try DaemonHarness(country: "China")
        let result = try daemon.runDaemon(["--check-config"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("ltfud.toml: key `site.country`: `China` is not an ISO 3166-1 alpha-3 country code"), "\(result.stderr)")
        let fine = try DaemonHarness(country: "CHN").runDaemon(["--check-config"])
        #expect(fine.status == 0 && fine.stdout.hasPrefix("configuration OK"), "\(fine.stderr)")
    }
}
