#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Issue #13: a typo in ltfud.toml or a product file used to abort ltfud (an assertion in the
/// C++ TOML parser), `--check-config` and, on SIGHUP, the serving daemon. Every hostile file of
/// the corpus now gets exit 78 and a message from the real binaries, and a reload with one
/// keeps the daemon serving.
@Suite struct HostileConfigTests {
    static let corpus = repositoryRoot.appendingPathComponent("Tests/LTFUConfigTests/Fixtures/hostile-toml")

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }.sorted { $0.path < $1.path }
    }

    @Test func checkConfig_exits78_withTheFileAndALine_forEveryHostileFile() throws {
        let files = try Self.files()
        #expect(files.count >= 60)
        for file in files {
            // As ltfud.toml, and as a product file beside a valid configuration.
            let asConfig = try BuiltBinaries.run("ltfud", ["--config", file.path, "--check-config"])
            #expect(asConfig.status == 78, "\(file.lastPathComponent): \(asConfig.stderr)")
            #expect(asConfig.stderr.contains(file.path) && asConfig.stderr.contains("line "), "\(file.lastPathComponent): \(asConfig.stderr)")
            let daemon = try DaemonHarness()
            let products = daemon.configFile.deletingLastPathComponent().appendingPathComponent("products.d")
            try FileManager.default.copyItem(at: file, to: products.appendingPathComponent("hostile.toml"))
            let asProduct = try daemon.runDaemon(["--check-config"])
            #expect(asProduct.status == 78, "\(file.lastPathComponent): \(asProduct.stderr)")
            #expect(asProduct.stderr.contains("hostile.toml"), "\(file.lastPathComponent): \(asProduct.stderr)")
        }
    }

    @Test func sighupWithAHostileFile_keepsServing_withTheOldConfiguration() throws {
        let daemon = try DaemonHarness(today: "2025-02-05")
        try daemon.start()
        let good = try String(contentsOf: daemon.configFile, encoding: .utf8)
        for name in ["ltfud-middle-bracket-hash.toml", "ltfud-start-triple-bracket.toml", "ltfud-end-bracket-dot.toml", "deep-arrays.toml"] {
            try FileManager.default.removeItem(at: daemon.configFile)
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: daemon.configFile)
            let refusals = daemon.log.components(separatedBy: "reload refused").count
            kill(try #require(daemon.daemonPid), SIGHUP)
            #expect(waitUntil { daemon.log.components(separatedBy: "reload refused").count > refusals }, "\(name): \(daemon.log)")
            #expect(try daemon.ctl("status").status == 0, "\(name): still serving")
        }
        try good.write(to: daemon.configFile, atomically: true, encoding: .utf8)
        kill(try #require(daemon.daemonPid), SIGHUP)
        #expect(waitUntil { daemon.log.contains("reloaded") })
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
    }
}
