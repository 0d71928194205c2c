import LTFUL10n

extension LTFUError {
    /// What fills one place of a message.
    public enum Value: Sendable, Hashable {
        /// Shown as it is in every language: a code, a date, a number, a path, a system's
        /// own words (`strerror`, SQLite) that are not ours to translate.
        case verbatim(String)
        /// English words with `{name}` places, translated like a template; made with
        /// ``phrase(_:_:)`` from a literal, so that the translation test finds it.
        case translated(String, [String: Value])
        /// Another error's message, rendered in the same language as the one it is part of.
        case error(LTFUError)
        /// Several values, each rendered, joined by `separator` (never translated).
        case list([Value], separator: String)

        /// This value in `language`.
        public func text(in language: Language) -> String {
            switch self {
            case .verbatim(let text): text
            case .translated(let english, let values): Localizer(language)(english, filling: values.mapValues { $0.text(in: language) })
            case .error(let error): error.message(in: language)
            case .list(let values, let separator): values.map { $0.text(in: language) }.joined(separator: separator)
            }
        }

        /// English words translated like a template: `what: .phrase("infusion date")`.
        public static func phrase(_ english: StaticString, _ values: KeyValuePairs<String, any Placeable> = [:]) -> Value {
            .translated(english.description, LTFUError.values(values))
        }
    }

    /// A type whose values can fill a place of a message.
    public protocol Placeable: Sendable {
        var errorValue: Value { get }
    }
}

extension LTFUError: LTFUError.Placeable {
    public var errorValue: Value { .error(self) }
}

extension LTFUError.Value: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { self }
}

extension String: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(self) }
}

extension Substring: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(String(self)) }
}

extension Int: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(String(self)) }
}

extension Int64: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(String(self)) }
}

extension Double: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(String(describing: self)) }
}

extension CalendarDate: LTFUError.Placeable {
    public var errorValue: LTFUError.Value { .verbatim(description) }
}
