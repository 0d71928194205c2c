import LTFUCore

/// One problem of an import, where it is: `FILE:LINE: column: message` (SPEC §12).
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String
    /// What is wrong there, put into the reader's language when it is shown (issue #22).
    public var reason: LTFUError.Value

    public init(file: String, line: Int, column: String, _ reason: LTFUError.Value) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var message: String { reason.text(in: .english) }
    public var description: String { "\(file):\(line): \(column): \(message)" }
    /// The problem's line in the refusal: the place as it is, the reason in any language.
    var located: LTFUError.Value { .list([.verbatim("\(file):\(line): \(column): "), reason], separator: "") }

    /// SPEC §12: at most this many are listed.
    public static let listed = 100

    /// The error an import with problems answers: every problem on a line of its own.
    public static func refusal(_ problems: [ImportProblem]) -> LTFUError {
        var lines = problems.prefix(listed).map(\.located)
        if problems.count > listed { lines.append(.phrase("… and {count} more", ["count": problems.count - listed])) }
        let values: KeyValuePairs<String, any LTFUError.Placeable> = ["problems": LTFUError.Value.list(lines, separator: "\n"), "count": problems.count]
        if problems.count == 1 { return LTFUError(.data, code: "import-refused", "{problems}\nnothing was imported: {count} problem", values) }
        return LTFUError(.data, code: "import-refused", "{problems}\nnothing was imported: {count} problems", values)
    }
}
