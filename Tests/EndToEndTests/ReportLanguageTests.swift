import Foundation
import LTFUWire
import Testing

/// The site report in both languages (SPEC §13, §15), read by the tools a reader's browser
/// would be checked with: axe-core in Debian's Chromium (no serious or critical violation on
/// `index.html` and a subject page), the fonts Chromium draws Chinese with (a CJK font, never
/// boxes), and the page's `lang`. With LTFU_SCREENSHOTS=DIR the Chinese screenshots are left
/// there too (the README's picture).
@Suite(.serialized) struct ReportLanguageTests {
    static let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/report-reader.py").path

    static func hasChinese(_ text: String) -> Bool { LanguageEndToEndTests.hasChinese(text) }

    /// Reports of the demo site: the site's language decides, `--language` overrides it.
    @Test func chineseSite_writesAChineseReport_thatPassesAxe_andDrawsCJKGlyphs() throws {
        try HostRequirement.program("/usr/bin/chromium", package: "chromium")
        try HostRequirement.program("/usr/bin/chromedriver", package: "chromium-driver")
        let daemon = try LanguageEndToEndTests.daemon(language: "zh-CN", today: ReportTests.today)
        try daemon.start()
        try ReportTests.enrollTheDemoSite(daemon)
        let chinese = daemon.root.appendingPathComponent("zh"), english = daemon.root.appendingPathComponent("en")
        let made = try daemon.ctl("report", "--out", chinese.path)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try daemon.ctl("report", "--out", english.path, "--language", "en").status == 0)
        #expect(try daemon.ctl("report", "--out", daemon.root.appendingPathComponent("bad").path, "--language", "fr").status == 64)
        #expect(daemon.stop() == 0)

        let index = try String(contentsOf: chinese.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("<html lang=\"zh-CN\">"))
        #expect(index.contains("长期随访") && index.contains("逾期访视") && index.contains("复制型慢病毒检测 阳性"), "labels in the glossary's words")
        #expect(index.contains("<a href=\"subjects/DEMO-004.html\">DEMO-004</a>"), "subject codes stay as they are")
        let subject = try String(contentsOf: chinese.appendingPathComponent("subjects/DEMO-002.html"), encoding: .utf8)
        #expect(subject.contains("再次知情同意") && subject.contains("<svg"))
        let englishIndex = try String(contentsOf: english.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(englishIndex.contains("<html lang=\"en\">") && !Self.hasChinese(englishIndex), "--language en on a Chinese site")
        for file in ["index.html", "subjects/DEMO-001.html"] {
            let text = try String(contentsOf: chinese.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("SECRET-") && !text.contains("1961"), "\(file): nothing private, in Chinese too")
        }

        let pages = [english, chinese].flatMap { [$0.appendingPathComponent("index.html").path, $0.appendingPathComponent("subjects/DEMO-002.html").path] }
        let read = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", Self.reader] + pages)
        #expect(read.status == 0, "axe-core found serious or critical violations:\n\(read.stderr)\n\(read.stdout)")
        let lines = read.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(read.stdout)\n\(read.stderr)")
        for line in lines {
            #expect(line.contains("violations=0"), "\(line)")
            if line.hasPrefix(chinese.path) {
                #expect(line.contains("lang=zh-CN"), "\(line)")
                // The heading's Chinese characters come from Noto Sans CJK (fonts-noto-cjk) or WenQuanYi.
                #expect(line.contains("CJK") || line.contains("WenQuanYi"), "a CJK font draws the Chinese heading: \(line)")
            } else {
                #expect(line.contains("lang=en"), "\(line)")
            }
        }
        for page in pages {
            let png = try Data(contentsOf: URL(fileURLWithPath: page + ".png"))
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]) && png.count > 30_000, "\(page).png is a screenshot, not blank")
        }
        if let keep = ProcessInfo.processInfo.environment["LTFU_SCREENSHOTS"] {
            for (name, page) in [("report-index-zh.png", pages[2]), ("report-subject-zh.png", pages[3])] {
                let target = URL(fileURLWithPath: keep).appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: URL(fileURLWithPath: page + ".png"), to: target)
            }
        }
    }
}
