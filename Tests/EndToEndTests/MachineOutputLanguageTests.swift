import Foundation
import LTFUWire
import Testing

/// SPEC §15: nothing a machine reads changes with the language. The same site in English
/// and in Chinese, the same subjects on the same day: every JSON answer, the CSV export and
/// the SDTM files are the same bytes; only what people read differs.
@Suite(.serialized) struct MachineOutputLanguageTests {
    struct Site {
        let daemon: DaemonHarness
        func run(_ arguments: String...) throws -> CommandResult {
            let result = try daemon.ctl(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }
    }

    static func site(_ language: String) throws -> Site {
        let daemon = try LanguageEndToEndTests.daemon(language: language, today: ReportTests.today)
        try daemon.start()
        try ReportTests.enrollTheDemoSite(daemon)
        return Site(daemon: daemon)
    }

    /// What a machine reads of a site, by name: JSON answers (emission instants left out:
    /// they are when, not what), the CSV export, the SDTM files.
    static func machineOutputs(_ site: Site) throws -> [String: String] {
        var outputs: [String: String] = [:]
        for code in ["DEMO-001", "DEMO-002", "DEMO-003", "DEMO-004"] { outputs["show \(code)"] = try site.run("show", code, "--json").stdout }
        outputs["list"] = try site.run("list", "--json").stdout
        outputs["due"] = try site.run("due", "--within", "60", "--json").stdout
        outputs["overdue"] = try site.run("overdue", "--json").stdout
        outputs["signals"] = try site.run("signals", "--all", "--json").stdout
        outputs["classify"] = try site.run("classify", "--modification", "lentiviral", "--exogenous-expression", "true",
                                           "--alters-survival", "false", "--json").stdout
        let notifications = try JSONSerialization.jsonObject(with: Data(try site.run("notifications", "--json").stdout.utf8)) as? [[String: Any]] ?? []
        outputs["notifications"] = String(decoding: try JSONSerialization.data(
            withJSONObject: notifications.map { $0.filter { $0.key != "emittedAt" } }, options: [.sortedKeys]), as: UTF8.self)
        let csv = site.daemon.root.appendingPathComponent("csv")
        _ = try site.run("export", "csv", "--out", csv.path)
        for file in ["subjects.csv", "visits.csv"] { outputs[file] = try String(contentsOf: csv.appendingPathComponent(file), encoding: .utf8) }
        let sdtm = site.daemon.root.appendingPathComponent("sdtm")
        _ = try site.run("export", "sdtm", "--study", "LTFU-1", "--out", sdtm.path, "--include-text", "--created", "2025-06-01T10:00:00+08:00")
        let domains = try FileManager.default.contentsOfDirectory(atPath: sdtm.path).sorted()
        #expect(domains.contains("dm.json") && domains.contains("sv.csv"), "\(domains)")
        for file in domains { outputs["sdtm/\(file)"] = try String(contentsOf: sdtm.appendingPathComponent(file), encoding: .utf8) }
        return outputs
    }

    @Test func everyMachineOutput_isTheSameInEnglishAndChinese() throws {
        let english = try Self.site("en"), chinese = try Self.site("zh-CN")
        defer {
            _ = english.daemon.stop()
            _ = chinese.daemon.stop()
        }
        let a = try Self.machineOutputs(english), b = try Self.machineOutputs(chinese)
        #expect(a.keys.sorted() == b.keys.sorted())
        for name in a.keys.sorted() {
            #expect(a[name] == b[name], "\(name) differs between an English and a Chinese site")
            // The guideline's own section number (CDE 2021 §三(一)) is the one Chinese a rationale cites.
            #expect(!LanguageEndToEndTests.hasChinese((b[name] ?? "").replacingOccurrences(of: "§三(一)", with: "")),
                    "\(name) of the Chinese site holds Chinese")
        }
        // What people read does differ: the day's notification messages.
        let messages = try chinese.run("notifications", "--json").stdout
        #expect(!messages.isEmpty)
        #expect(LanguageEndToEndTests.hasChinese(try chinese.run("show", "DEMO-001").stdout) == false, "ltfuctl follows LANG, not the site")
    }
}
