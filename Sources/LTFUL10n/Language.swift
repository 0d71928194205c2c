/// The languages a person can read ltfu in (SPEC §15). English is the source of every text;
/// Simplified Chinese is what most of the guideline's sites read.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case english = "en"
    case chinese = "zh-CN"

    /// `[site] language`'s values.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The language of a POSIX locale name (`zh_CN.UTF-8`, `zh_TW`, `en_US.UTF-8`, `C`):
    /// anything starting `zh` is Chinese, everything else English (issue #22).
    public init(locale: String) {
        self = locale.lowercased().hasPrefix("zh") ? .chinese : .english
    }

    /// The language an HTTP request asks for in `Accept-Language` (RFC 9110 §12.5.4):
    /// the range of highest weight that ltfu serves decides (`zh…` Chinese, `en…` or `*`
    /// English; a weight of 0 refuses a range; equal weights go by order). No header, or
    /// nothing ltfu serves, is English, the source of every text.
    public init(acceptLanguage header: String?) {
        var best: (language: Language, weight: Double)?
        for element in (header ?? "").split(separator: ",") {
            let parameters = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parameters.first, !range.isEmpty else { continue }
            var weight = 1.0
            for parameter in parameters.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            let language: Language? = range.hasPrefix("zh") ? .chinese
                : range == "en" || range.hasPrefix("en-") || range == "*" ? .english : nil
            guard let language, weight > 0, weight > best?.weight ?? 0 else { continue }
            best = (language, weight)
        }
        self = best?.language ?? .english
    }

    /// What a POSIX tool reads its messages in: the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// that is set and not empty (POSIX.1-2017 §8.2), else English.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return Language(locale: value) }
        }
        return .english
    }

    /// The `lang` attribute of a page (BCP 47).
    public var tag: String { rawValue }
}
