import LTFUCore

/// One thing wrong in a configuration, product or schedule file, named by file and key
/// (STYLE.md habit 7: every problem, not just the first).
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The dotted key, e.g. `notify.time` or `visits[2].month`; `nil` for the whole file.
    public var key: String?
    public var message: String

    public init(file: String, key: String?, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        "\(file): " + (key.map { "key `\($0)`: " } ?? "") + message
    }
}

/// Every problem found while loading configuration.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }

    /// The same problems as the error a person or a client sees. Their words are this
    /// module's, in English for the administrator who edits the files: verbatim in every
    /// language (issue #22 translates what coordinators read).
    public func asError(kind: LTFUError.Kind = .configuration) -> LTFUError {
        LTFUError(kind, code: "invalid-configuration", verbatim: description)
    }
}
