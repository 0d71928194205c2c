import Foundation
import LTFUWire
import Testing

/// `ltfuctl report` end to end (SPEC §13): the real daemon on sample subjects, the report opened
/// in a real headless Chromium (its DOM and a screenshot), every page through a strict HTML5
/// parser, and nothing private in any file written. With LTFU_SCREENSHOTS=DIR it also leaves
/// the screenshots there (how docs/ got the README's pictures).
@Suite struct ReportTests {
    static func chromium(_ arguments: [String]) throws -> CommandResult {
        try BuiltBinaries.run(path: "/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                          "--allow-file-access-from-files"] + arguments)
    }

    @Test func report_opensInChromium_isValidHTML_andHoldsNothingPrivate() throws {
        try HostRequirement.program("/usr/bin/chromium", package: "chromium")
        let daemon = try DaemonHarness(today: Self.today)
        try daemon.start()
        try Self.enrollTheDemoSite(daemon)
        let folder = daemon.root.appendingPathComponent("report")
        let made = try daemon.ok("report", "--out", folder.path)
        #expect(made.stdout.contains("Wrote 12 files for 4 subjects"))
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".css") }.sorted()
        #expect(files == ["due.html", "index.html", "no-contact.html", "overdue.html", "reconsent.html", "report.css", "retention-risk.html",
                          "signals.html", "subjects/DEMO-001.html", "subjects/DEMO-002.html", "subjects/DEMO-003.html", "subjects/DEMO-004.html"])
        try Self.readsAsAReaderWould(folder, files: files, keepingScreenshotsAs: "report")
    }

    static let today = "2025-06-01"

    /// Four subjects with every kind of row a report shows: a child with a re-consent, a
    /// positive RCL test (an open safety signal), a miss, a failed contact; notes that must
    /// never reach a page.
    static func enrollTheDemoSite(_ daemon: DaemonHarness) throws {
        for arguments in [
            ["enroll", "DEMO-001", "--product", "CD19-CART", "--infused", "2025-02-20", "--born", "1961-07-04"],
            ["enroll", "DEMO-002", "--product", "CD19-CART", "--infused", "2024-04-27", "--born", "2013-03-31",
             "--consent-on", "2024-04-20", "--consent-by", "guardian"],
            ["enroll", "DEMO-003", "--product", "MSLN-CARNK-MRNA", "--infused", "2025-05-07"],
            ["enroll", "DEMO-004", "--product", "CIK-AUTO", "--infused", "2024-11-13"],
            ["record", "DEMO-001", "M1", "--on", "2025-03-20", "--note", "SECRET-NOTE"],
            ["record", "DEMO-001", "M3", "--on", "2025-05-20"],
            ["result", "DEMO-001", "M3", "rcl-test", "positive", "--note", "SECRET-NOTE"],
            ["miss", "DEMO-004", "M1", "--reason", "SECRET-REASON"],
            ["record", "DEMO-002", "M1", "--on", "2024-05-27"],
            ["contact", "DEMO-004", "--on", "2025-05-02", "--by", "phone", "--outcome", "no-answer", "--note", "SECRET-NOTE"],
        ] {
            let result = try daemon.ctl(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    /// The English report's DOM in Chromium, screenshots that are not blank, strict HTML5,
    /// and nothing private in any file.
    static func readsAsAReaderWould(_ folder: URL, files: [String], keepingScreenshotsAs prefix: String) throws {
        // The DOM Chromium builds holds the subjects and the figures.
        let index = folder.appendingPathComponent("index.html")
        let dom = try Self.chromium(["--dump-dom", index.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr)")
        #expect(dom.stdout.contains("1 OPEN SAFETY SIGNAL"))
        #expect(dom.stdout.contains("<a href=\"subjects/DEMO-004.html\">DEMO-004</a>"))
        #expect(dom.stdout.contains("Overdue visits ("))
        #expect(dom.stdout.contains("Quality: visits whose window has closed"))
        #expect(dom.stdout.contains("rcl-test positive"))
        let subjectDom = try Self.chromium(["--dump-dom", folder.appendingPathComponent("subjects/DEMO-002.html").absoluteString]).stdout
        #expect(subjectDom.contains("<svg"))
        #expect(subjectDom.contains("re-consent"))
        #expect(subjectDom.contains(">18</text>"), "the age of majority on the timeline")

        // Screenshots that are not blank: a white page compresses to a few kilobytes.
        let shots = folder.deletingLastPathComponent().appendingPathComponent("shots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        for (name, page) in [("\(prefix)-index.png", "index.html"), ("\(prefix)-subject.png", "subjects/DEMO-002.html")] {
            let png = shots.appendingPathComponent(name)
            let shot = try Self.chromium(["--screenshot=\(png.path)", "--window-size=1100,1000", folder.appendingPathComponent(page).absoluteString])
            #expect(shot.status == 0, "\(shot.stderr)")
            let data = try Data(contentsOf: png)
            #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            #expect(data.count > 30_000, "\(name) is not blank (\(data.count) bytes)")
            if let keep = ProcessInfo.processInfo.environment["LTFU_SCREENSHOTS"] {
                try? FileManager.default.removeItem(atPath: (keep as NSString).appendingPathComponent(name))
                try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep).appendingPathComponent(name))
            }
        }

        // Valid HTML5, by a strict parser.
        let html = files.filter { $0.hasSuffix(".html") }.map { folder.appendingPathComponent($0).path }
        let check = try BuiltBinaries.run(path: "/usr/bin/env", ["python3", "-c", """
            import sys, html5lib
            for name in sys.argv[1:]:
                with open(name, 'rb') as f:
                    html5lib.HTMLParser(strict=True).parse(f)
            print('valid', len(sys.argv) - 1)
            """] + html)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "valid \(html.count)\n")
        #expect(html.count >= 5)

        // Privacy: no birth date, note, reason or contact detail in any file written.
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("SECRET-"), "\(file)")
            #expect(!text.contains("1961") && !text.contains("2013-03-31"), "\(file): a birth date")
        }
    }
}
