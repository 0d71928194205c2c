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
