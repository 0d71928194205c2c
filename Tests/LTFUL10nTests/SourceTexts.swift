import Foundation
@testable import LTFUL10n

/// The translatable texts written in Sources/ (issue #22), outside `//` comment lines:
/// every `tr("…")`, every `.phrase("…")` (words filling a place of an error), and the
/// template of every `LTFUError(kind, code: …, "…")`, also when the call spans lines (the
/// whole file is read, not line by line). An `LTFUError(` that is neither a template nor
/// `verbatim:` is listed in ``Scan/unread``, so no way of building one slips past the test.
enum SourceTexts {
    struct Text {
        enum Source { case tr, phrase, error }
        var source: Source
        /// The text as a program shows it: the key of its translation.
        var english: String
        /// The literal as written in the source, escapes and all.
        var literal: String
        var place: String
    }

    struct Scan {
        var texts: [Text]
        /// `file:line` of each `LTFUError(` the scan could not read.
        var unread: [String]
    }

    private static let literal = #""((?:[^"\\\n]|\\.)*)""#
    private static let kind = #"[^,()]*(?:\([^()]*\))?[^,()]*"#
    private static let code = #"(?:"(?:[^"\\]|\\.)*"|[^,"()]+)"#

    static func scan(_ sources: URL) throws -> Scan {
        let template = try Regex(#"LTFUError\(\s*"# + kind + #"\s*,\s*code:\s*"# + code + #"\s*,\s*"# + literal)
        let verbatim = try Regex(#"LTFUError\(\s*"# + kind + #"\s*,\s*code:\s*"# + code + #"\s*,\s*verbatim:"#)
        let patterns: [(String, Text.Source, Regex<AnyRegexOutput>)] = [
            ("tr(", .tr, try Regex(#"tr\("# + literal)), (".phrase(", .phrase, try Regex(#"\.phrase\(\s*"# + literal)),
        ]
        var scan = Scan(texts: [], unread: [])
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path } ?? []
        for file in files {
            let name = file.path.replacingOccurrences(of: sources.path + "/", with: "")
            // Comment lines are emptied, not dropped, so line numbers stay right.
            let text = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("//") ? "" : $0 }.joined(separator: "\n")
            func place(_ index: String.Index) -> String { "\(name):\(text[..<index].filter { $0 == "\n" }.count + 1)" }
            func add(_ match: Regex<AnyRegexOutput>.Match, _ source: Text.Source) {
                guard let written = match.output[1].substring.map(String.init) else { return }
                scan.texts.append(Text(source: source, english: unescape(written), literal: written, place: place(match.range.lowerBound)))
            }
            for (start, source, pattern) in patterns {
                for range in text.ranges(of: start) {
                    // `tr(` as a name of its own, not the end of `str(` or `attr(`.
                    if start == "tr(", range.lowerBound > text.startIndex,
                       let before = text[text.index(before: range.lowerBound)].unicodeScalars.first,
                       CharacterSet.alphanumerics.contains(before) || before == "_" { continue }
                    if let match = text[range.lowerBound...].prefixMatch(of: pattern) { add(match, source) }
                }
            }
            for range in text.ranges(of: "LTFUError(") {
                if let match = text[range.lowerBound...].prefixMatch(of: template) {
                    add(match, .error)
                } else if text[range.lowerBound...].prefixMatch(of: verbatim) == nil {
                    scan.unread.append(place(range.lowerBound))
                }
            }
        }
        return scan
    }

    /// A Swift literal's text: `\"`, `\\`, `\n`, `\t` read as the program reads them, as the
    /// PO reader reads its strings.
    static func unescape(_ written: String) -> String {
        PortableObject.unescape(Substring(written))
    }
}
