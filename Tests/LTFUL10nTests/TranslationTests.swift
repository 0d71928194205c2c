import Foundation
import LTFUCore
@testable import LTFUL10n
import Testing

/// Issue #22: every text a person reads has its Chinese; a missing one fails here, in the
/// build's tests, never in front of a coordinator.
@Suite struct TranslationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `tr("…")`, `.phrase("…")` and `LTFUError` template under Sources/, outside
    /// comments (``SourceTexts``), and the place of one of its uses.
    static func textsInCode() throws -> [String: String] {
        var texts: [String: String] = [:]
        for text in try SourceTexts.scan(repository.appendingPathComponent("Sources")).texts { texts[text.english] = text.place }
        return texts
    }

    @Test func everyTextInTheCode_hasItsChinese_withTheSamePlaces() throws {
        let texts = try Self.textsInCode()
        #expect(texts.count > 50, "the scan found the texts: \(texts.count)")
        for (text, file) in texts.sorted(by: { $0.key < $1.key }) {
            guard let chinese = Translations.chinese[text] else {
                Issue.record("\(file): `\(text)` has no msgstr in Sources/LTFUL10n/Translations/zh_CN.po")
                continue
            }
            #expect(!chinese.trimmingCharacters(in: .whitespaces).isEmpty, "\(text)")
            #expect(chinese.placeholders == text.placeholders, "\(file): the places of `\(text)` differ in `\(chinese)`")
        }
    }

    @Test func theTranslatorsFile_holdsNoTextTheCodeNoLongerUses() throws {
        let texts = try Self.textsInCode()
        for text in Translations.chinese.keys.sorted() where texts[text] == nil {
            Issue.record("zh_CN.po translates `\(text)`, which no tr(\"…\") in Sources/ uses any more")
        }
    }

    @Test func commandsInBackticks_stayAsTheyAre() throws {
        let pattern = try Regex(#"`[^`]+`"#)
        for (english, chinese) in Translations.chinese {
            for match in english.matches(of: pattern) {
                #expect(chinese.contains(english[match.range]), "`\(english)` → `\(chinese)` lost \(english[match.range])")
            }
        }
    }

    @Test func localizer_fillsPlaces_andFallsBackToEnglish() {
        let english = Localizer(.english), chinese = Localizer(.chinese)
        #expect(english("window opens {date}", ["date": "2026-03-01"]) == "window opens 2026-03-01")
        #expect(chinese("window opens {date}", ["date": "2026-03-01"]).contains("2026-03-01"))
        #expect(chinese("window opens {date}", ["date": "2026-03-01"]) != "window opens 2026-03-01")
        #expect(chinese("a text nobody translated {x}", ["x": "1"]) == "a text nobody translated 1")
    }

    @Test(arguments: [
        (["LC_ALL": "zh_CN.UTF-8", "LANG": "C"], Language.chinese),
        (["LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"], Language.english),
        (["LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"], Language.chinese),
        (["LANG": "zh_TW.UTF-8"], Language.chinese),
        (["LANG": "de_DE.UTF-8"], Language.english),
        ([:], Language.english),
    ])
    func language_followsLCALL_thenLCMESSAGES_thenLANG(environment: [String: String], expected: Language) {
        #expect(Language.fromEnvironment(environment) == expected)
    }

    @Test func displayWidth_countsCJKAsTwoColumns() {
        #expect("Site:".displayWidth == 5)
        #expect("研究中心：".displayWidth == 10)
        #expect("超过 365 天未联系：".displayWidth == 19)
        #expect("受试者".padded(toColumns: 10) == "受试者    ")
    }

    @Test func portableObject_readsContinuations_escapes_andSkipsFuzzyAndHeader() {
        let text = #"""
            msgid ""
            msgstr "Content-Type: text/plain; charset=UTF-8\n"

            # a comment
            msgid "Say \"hi\""
            msgstr "说“你好”"
            "，再见"

            #, fuzzy
            msgid "unsure"
            msgstr "不确定"

            msgid "tab\there"
            msgstr "制表\t符"
            """#
        let entries = PortableObject.entries(text)
        #expect(entries == ["Say \"hi\"": "说“你好”，再见", "tab\there": "制表\t符"])
    }

    @Test func notificationMessages_inChinese_keepCodesAndDates() throws {
        let window = VisitWindow(open: try CalendarDate(parsing: "2026-03-01"), close: try CalendarDate(parsing: "2026-03-31"))
        for kind in [NotificationKind.upcoming, .windowOpen, .closing, .overdue, .escalation] {
            let english = NotificationMessage.render(kind: kind, subject: "S01-0042", visit: "M3", window: window,
                                                     target: try CalendarDate(parsing: "2026-03-15"), date: try CalendarDate(parsing: "2026-04-20"))
            let chinese = NotificationMessage.render(kind: kind, subject: "S01-0042", visit: "M3", window: window,
                                                     target: try CalendarDate(parsing: "2026-03-15"), date: try CalendarDate(parsing: "2026-04-20"),
                                                     language: .chinese)
            #expect(english.hasPrefix("Subject S01-0042: visit M3"), "\(english)")
            #expect(chinese != english)
            #expect(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(chinese)")
            for code in ["S01-0042", "M3"] { #expect(chinese.contains(code), "\(kind): \(chinese)") }
        }
    }
}
