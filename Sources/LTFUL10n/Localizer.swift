/// Puts a text into a language (issue #22). Every text a person reads is written in the code
/// in English, as a literal with named places, `tr("visit {visit} is overdue", ["visit": code])`;
/// the English is the key a translation is found by in `Translations/zh_CN.po`, which a
/// translator edits without touching Swift (the build embeds it). A text without a
/// translation comes out in English; a test fails the build when any text lacks one.
public struct Localizer: Sendable {
    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    /// `english` in this language, each `{name}` replaced by its value.
    public func callAsFunction(_ english: String, _ values: KeyValuePairs<String, String> = [:]) -> String {
        translated(english, values)
    }

    /// The same with the values in a dictionary, for a text whose values are gathered at run
    /// time (an error's: `LTFUError.message(in:)`).
    public func callAsFunction(_ english: String, filling values: [String: String]) -> String {
        translated(english, values)
    }

    private func translated(_ english: String, _ values: some Collection<(key: String, value: String)>) -> String {
        let text = language == .chinese ? (Translations.chinese[english] ?? english) : english
        return Self.fill(text, values)
    }

    /// Replaces each `{name}` in `text` by its value; a `{name}` without one stays as it is.
    /// One pass over `text`: a value that itself holds `{name}` (a typed code, say) is never
    /// read as a place, so the result does not depend on the order of the values.
    static func fill(_ text: String, _ values: some Collection<(key: String, value: String)>) -> String {
        guard !values.isEmpty, text.contains("{") else { return text }
        var lookup: [Substring: String] = [:]
        for (name, value) in values { lookup[name[...]] = value }
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            rest = rest[open...]
            guard let close = rest.firstIndex(of: "}") else { break }
            let name = rest[rest.index(after: open)..<close]
            if !name.contains("{"), let value = lookup[name] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest.dropFirst()
            }
        }
        return result + rest
    }
}

extension String {
    /// `{name}` places, for the test that a translation keeps every one.
    public var placeholders: Set<String> {
        var names: Set<String> = []
        var rest = self[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
