import Foundation
import LTFUCore
@testable import LTFUL10n
import Testing

/// Issue #22: error messages follow the reader's language. Every `LTFUError` is built from a
/// template the translation test can find, with its values apart, and ltfud picks the language
/// from `Accept-Language`.
@Suite struct ErrorTemplateTests {
    static let sources = TranslationTests.repository.appendingPathComponent("Sources")

    @Test func everyLTFUErrorInTheCode_isATemplateTheScanReads_orVerbatim() throws {
        let scan = try SourceTexts.scan(Self.sources)
        #expect(scan.unread.isEmpty, "write these as LTFUError(kind, code: \"…\", \"template {place}\", [\"place\": value]): \(scan.unread)")
        let templates = scan.texts.filter { $0.source == .error }
        #expect(templates.count > 150, "the scan found the error templates: \(templates.count)")
        #expect(scan.texts.contains { $0.english == "no subject `{subject}` is enrolled" })
    }

    @Test func noTranslatableText_interpolatesAValue() throws {
        for text in try SourceTexts.scan(Self.sources).texts where text.literal.contains(#"\("#) {
            Issue.record("\(text.place): `\(text.literal)` interpolates a value: name a {place} and give the value beside the text")
        }
    }

    @Test func theScan_readsTemplatesOverSeveralLines_skipsComments_andReportsWhatItCannotRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"""
            let a = LTFUError(.data,
                              code: "c-\(x)",
                              "first {x} line\n \"quoted\"", ["x": x])
            // throw LTFUError(.data, code: "commented", "not a text")
            let b = LTFUError(LTFUError.Kind(httpStatus: 404, code: code), code: code, verbatim: message)
            let c = LTFUError(.data, code: "c", message)
            let d = words(what: .phrase("infusion date"), Ctl.tr("usage {x}", ["x": x]), str("not this"))
            """#.write(to: folder.appendingPathComponent("Sample.swift"), atomically: true, encoding: .utf8)
        let scan = try SourceTexts.scan(folder)
        #expect(Set(scan.texts.map(\.english)) == ["first {x} line\n \"quoted\"", "infusion date", "usage {x}"])
        #expect(scan.texts.first { $0.source == .error }?.place == "Sample.swift:1")
        #expect(scan.unread == ["Sample.swift:6"])
    }

    @Test(arguments: [
        (nil, Language.english), ("", .english), ("zh-CN", .chinese), ("zh", .chinese), ("zh-Hans-CN", .chinese),
        ("ZH-cn", .chinese), ("en-US", .english), ("fr", .english), ("*", .english), ("en-US,zh;q=0.8", .english),
        ("zh-CN,zh;q=0.9,en;q=0.8", .chinese), ("fr, zh;q=0.5", .chinese), ("zh;q=0, en", .english), ("en;q=0.5, zh-CN", .chinese),
    ] as [(String?, Language)])
    func acceptLanguage_picksTheMostWantedLanguageLtfuSpeaks(header: String?, expected: Language) {
        #expect(Language(acceptLanguage: header) == expected)
    }

    @Test func localizer_fillsEachPlaceOnce_soAValueIsNeverReadAsAPlace() {
        #expect(Localizer(.english)("{a} and {b}", filling: ["a": "{b}", "b": "x"]) == "{b} and x")
        #expect(Localizer(.english)("{a} {unknown} {", filling: ["a": "1"]) == "1 {unknown} {")
        #expect(Localizer(.english)("{subject} {visit} is overdue", ["subject": "S01", "visit": "M3"]) == "S01 M3 is overdue")
    }
}
