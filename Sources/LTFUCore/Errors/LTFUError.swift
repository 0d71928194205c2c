import LTFUL10n

/// A refused input or a failed action, with a stable code and a message a coordinator
/// understands (STYLE.md habit 6). The daemon sends it as JSON, the CLI prints the message
/// and maps its ``Kind`` to a sysexits code; neither invents its own wording.
///
/// Issue #22: the message is kept as its English template with named places and the values
/// that fill them, so it can be read in the reader's language: ``message`` is the English,
/// ``message(in:)`` the text in any ``Language``, through `Translations/zh_CN.po`. The code
/// and the kind never change with the language.
public struct LTFUError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which class of failure this is; decides the exit code and the HTTP status.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The command line or request is malformed (wrong flags, missing fields).
        case usage
        /// The input is well formed but refused (impossible date, contradictory product, …).
        case data
        /// The named subject, visit or product does not exist.
        case notFound
        /// The input conflicts with what is stored (duplicate enrollment, ending twice, …).
        case conflict
        /// A configuration, product or schedule file is broken.
        case configuration
        /// The caller may not do this.
        case permission
        /// A needed service (the daemon, sendmail) cannot be reached.
        case unavailable
        /// The disk holding the database is full: nothing was written (issue #13).
        case storageFull
        /// Issue #24: an output file or folder the caller named cannot be made (`--out`).
        case cannotCreate
        /// Issue #23: another long write (an import) holds the store past the wait a change
        /// is given; nothing was changed, and trying again later will do.
        case busy
        /// Something failed that is not the caller's fault.
        case `internal`
    }

    /// A stable, kebab-case identifier such as `invalid-date` or `unclassifiable-product`.
    public var code: String
    public var kind: Kind
    /// The English text with `{name}` places: the key its translation is found by. One or
    /// more sentences naming the thing that is wrong and, where possible, the fix.
    public let template: String
    /// What fills each place of ``template``.
    public let values: [String: Value]
    /// `false` for a text shown as it is in every language (``init(_:code:verbatim:)``).
    let translatable: Bool

    /// - Parameters:
    ///   - template: a literal, so that the translation test finds it and no value is
    ///     interpolated into it: `"no subject `{subject}` is enrolled"`.
    ///   - values: what fills each `{name}`: codes, dates and numbers as they are, a
    ///     ``Value/phrase(_:_:)`` or a nested error in the reader's language.
    public init(_ kind: Kind, code: String, _ template: StaticString, _ values: KeyValuePairs<String, any Placeable> = [:]) {
        self.kind = kind
        self.code = code
        self.template = template.description
        self.values = Self.values(values)
        translatable = true
    }

    /// A message that is not one of ours to translate: what ltfud already answered in the
    /// reader's language, or a file's problems as another component worded them.
    public init(_ kind: Kind, code: String, verbatim text: String) {
        self.kind = kind
        self.code = code
        template = text
        values = [:]
        translatable = false
    }

    /// The message in English, as every log line, test and `description` reads it.
    public var message: String { message(in: .english) }

    /// The message in `language`: the template's translation, each place filled with its
    /// value rendered in the same language.
    public func message(in language: Language) -> String {
        guard translatable else { return template }
        return Localizer(language)(template, filling: values.mapValues { $0.text(in: language) })
    }

    public var description: String { message }

    static func values(_ pairs: KeyValuePairs<String, any Placeable>) -> [String: Value] {
        Dictionary(pairs.map { ($0.key, $0.value.errorValue) }, uniquingKeysWith: { _, last in last })
    }
}
