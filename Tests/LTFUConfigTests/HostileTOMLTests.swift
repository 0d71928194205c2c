import Foundation
import Testing
@testable import LTFUConfig

/// Files that must each give exactly one problem naming the file and a line, and never take the
/// process down: the six inputs that made toml++ abort (`[#`, `[=`, `[,`, `[{`, `[.a]`, `[[[`)
/// at the start, middle and end of the shipped ltfud.toml and of a product file; nesting
/// 10,000 deep; unterminated strings, arrays and inline tables; invalid UTF-8; NUL and other
/// control bytes; integers beyond 64 bits; and keys or tables defined twice.
@Suite struct HostileTOMLTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile-toml")
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
    static let killers = ["[#", "[=", "[,", "[{", "[.a]", "[[["]

    @Test func corpus_isAllThere() {
        #expect(Self.files.count == 67)
    }

    @Test(arguments: HostileTOMLTests.files)
    func hostileFile_isOneProblemNamingTheFileAndALine(name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let log = TOMLSection.ProblemLog()
        #expect(TOMLSection.parse(contentsOf: path, log: log) == nil)
        try #require(log.problems.count == 1, "\(log.problems)")
        let problem = log.problems[0]
        #expect(problem.file == path)
        #expect(problem.key == nil)
        let line = try #require(problem.message.firstMatch(of: /^line (\d+), column \d+: ./).flatMap { Int($0.1) }, "\(problem.message)")
        let lines = try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect((1...lines.count).contains(line), "\(problem.message)")
        // A killer put into a good file is named on its own line, wherever it stands.
        if let killerLine = lines.firstIndex(where: { line in Self.killers.contains { line.starts(with: Array($0.utf8)) } }) {
            #expect(line == killerLine - lines.startIndex + 1, "\(problem.message)")
        }
    }

    @Test func everyPrefixOfTheShippedConfiguration_parsesOrNamesALine() throws {
        let etc = Self.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/ltfu")
        let bytes = try [UInt8](Data(contentsOf: etc.appendingPathComponent("ltfud.toml")))
        var refused = 0
        for end in 0...bytes.count {
            do {
                _ = try TOMLParser.parse(Array(bytes[..<end]))
            } catch {
                refused += 1
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        #expect(refused > 0 && refused < bytes.count)
    }
}
