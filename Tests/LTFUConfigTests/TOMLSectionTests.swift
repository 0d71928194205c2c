import Foundation
import Testing
@testable import LTFUConfig

/// Typed reads from a parsed file: each wrong value is a problem that names the key, what it
/// must be and the TOML type that was found.
@Suite final class TOMLSectionTests: Sendable {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Issue #16: every test cleans up what it creates on the host.
    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    func write(_ bytes: some Sequence<UInt8>, to name: String = "file.toml") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func section(_ text: String) throws -> (TOMLSection, TOMLSection.ProblemLog) {
        let log = TOMLSection.ProblemLog()
        let section = try #require(TOMLSection.parse(contentsOf: try write(text.utf8), log: log), "\(log.problems)")
        return (section, log)
    }

    /// `key: message` for each problem.
    func messages(_ log: TOMLSection.ProblemLog) -> [String] {
        log.problems.map { "\($0.key ?? "-"): \($0.message)" }
    }

    @Test func double_takesIntegersAndFloats_andChecksTheRange() throws {
        let (file, log) = try section("a = 3\nb = -2.5\nc = \"x\"\nd = 7.5\ne = nan\nf = 1e3\n")
        #expect(file.double("a") == 3)
        #expect(file.double("b") == -2.5)
        #expect(file.double("f", range: 0...1000) == 1000)
        #expect(file.double("c") == nil)
        #expect(file.double("d", range: 0...5) == nil)
        #expect(file.double("e", range: 0...1) == nil)
        #expect(file.double("missing", required: true) == nil)
        #expect(file.double("optional") == nil)
        file.rejectUnknownKeys()
        #expect(messages(log) == [
            "c: must be a number, not a string",
            "d: must be between 0.0 and 5.0, not 7.5",
            "e: must be between 0.0 and 1.0, not nan",
            "missing: is required",
        ])
    }

    @Test func wrongTypes_nameTheTOMLTypeFound() throws {
        let (file, log) = try section("""
            n = "14"
            f = 1.5
            d = 1979-05-27
            s = 12
            list = ["a", 2]
            t = 1
            v = [{ month = 1 }, 2]
            [sub]
            x = true
            """)
        #expect(file.int("n") == nil)
        #expect(file.int("f") == nil)
        #expect(file.bool("d") == nil)
        #expect(file.string("s") == nil)
        #expect(file.stringArray("list") == nil)
        #expect(file.section("t") == nil)
        #expect(file.sections("v")?.count == 1)
        #expect(file.sections("sub") == nil)
        let sub = try #require(file.section("sub"))
        #expect(sub.int("x", required: true) == nil)
        file.rejectUnknownKeys()
        #expect(messages(log) == [
            "n: must be a whole number, not a string",
            "f: must be a whole number, not a float",
            "d: must be true or false, not a date",
            "s: must be a string, not an integer",
            "list[1]: must be a string, not an integer",
            "t: must be a table, not an integer",
            "v[1]: must be a table, not an integer",
            "sub: must be an array of tables ([[sub]]), not a table",
            "sub.x: must be a whole number, not a boolean",
        ])
    }

    @Test func syntaxError_isOneProblemWithLineAndColumn() throws {
        let log = TOMLSection.ProblemLog()
        let path = try write("[site]\nid = \"S01\"\n[#\n".utf8)
        #expect(TOMLSection.parse(contentsOf: path, log: log) == nil)
        #expect(log.problems == [ConfigurationProblem(file: path, key: nil, message: ##"line 3, column 2: expected a key after "[", found "#""##)])
    }

    @Test func fileOfOneMiB_isRead_andOneByteMoreIsRefused() throws {
        let ending = Array("\na = 1\n".utf8)
        let padding = [UInt8(ascii: "#")] + [UInt8](repeating: UInt8(ascii: "x"), count: TOMLSection.maximumFileSize - ending.count - 1)
        let log = TOMLSection.ProblemLog()
        let whole = TOMLSection.parse(contentsOf: try write(padding + ending, to: "whole.toml"), log: log)
        #expect(whole?.int("a") == 1, "the last key of a 1 MiB file is read")
        let tooLarge = try write(padding + ending + [0x0A], to: "large.toml")
        #expect(TOMLSection.parse(contentsOf: tooLarge, log: log) == nil)
        #expect(log.problems == [ConfigurationProblem(file: tooLarge, key: nil, message: "file is larger than 1 MiB")])
    }

    @Test func missingFile_isAProblem() {
        let log = TOMLSection.ProblemLog()
        let path = folder.appendingPathComponent("none.toml").path
        #expect(TOMLSection.parse(contentsOf: path, log: log) == nil)
        #expect(log.problems.count == 1)
        #expect(log.problems.first?.message.hasPrefix("cannot read the file: ") == true)
    }
}
