import Foundation
import LTFUCore

/// Reads typed keys from one TOML table and collects a ``ConfigurationProblem`` for each wrong,
/// missing or unknown key, so a file is validated as a whole. SPEC §9: unknown keys are
/// errors, because a typo must not be silently ignored.
final class TOMLSection {
    let file: String
    private let table: TOMLTable
    private let prefix: String
    private var read: Set<String> = []
    private let log: ProblemLog

    /// Collects problems across all the sections of one load.
    final class ProblemLog {
        var problems: [ConfigurationProblem] = []
    }

    init(table: TOMLTable, file: String, prefix: String = "", log: ProblemLog) {
        self.table = table
        self.file = file
        self.prefix = prefix
        self.log = log
    }

    /// Files larger than this are refused unread: configuration is a few kilobytes, and a
    /// bound keeps a wrong path (a log, a device) from being read whole.
    static let maximumFileSize = 1 << 20

    /// Parses a whole file; a syntax error becomes a problem naming its line and column.
    static func parse(contentsOf path: String, log: ProblemLog) -> TOMLSection? {
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            bytes = [UInt8](try handle.read(upToCount: maximumFileSize + 1) ?? Data())
        } catch {
            log.problems.append(ConfigurationProblem(file: path, key: nil, message: "cannot read the file: \(error.localizedDescription)"))
            return nil
        }
        guard bytes.count <= maximumFileSize else {
            log.problems.append(ConfigurationProblem(file: path, key: nil, message: "file is larger than 1 MiB"))
            return nil
        }
        do {
            return TOMLSection(table: try TOMLParser.parse(bytes), file: path, log: log)
        } catch {
            log.problems.append(ConfigurationProblem(file: path, key: nil, message: error.description))
            return nil
        }
    }

    func problem(_ key: String?, _ message: String) {
        log.problems.append(ConfigurationProblem(file: file, key: key.map { prefix + $0 }, message: message))
    }

    private func value(_ key: String, required: Bool) -> TOMLValue? {
        read.insert(key)
        guard let value = table[key] else {
            if required { problem(key, "is required") }
            return nil
        }
        return value
    }

    /// The value of `key` as `T`; a value of another TOML type is a problem naming both types.
    private func typed<T>(_ key: String, required: Bool, _ typeName: String, _ convert: (TOMLValue) -> T?) -> T? {
        guard let raw = value(key, required: required) else { return nil }
        guard let converted = convert(raw) else {
            problem(key, "must be \(typeName), not \(raw.kind)")
            return nil
        }
        return converted
    }

    func string(_ key: String, required: Bool = false) -> String? {
        typed(key, required: required, "a string", \.string)
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let number = typed(key, required: required, "a whole number", \.integer) else { return nil }
        return within(range, key, number)
    }

    /// A number written whole or with a fraction: `3` and `2.5` both read as a `Double`.
    func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) -> Double? {
        guard let number = typed(key, required: required, "a number", { $0.integer.map(Double.init) ?? $0.float }) else { return nil }
        return within(range, key, number)
    }

    /// `number` when `range` holds it (or there is no range); otherwise a problem and `nil`.
    private func within<Number: Comparable>(_ range: ClosedRange<Number>?, _ key: String, _ number: Number) -> Number? {
        if let range, !range.contains(number) {
            problem(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        typed(key, required: required, "true or false", \.bool)
    }

    func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let array = typed(key, required: required, "an array of strings", \.array) else { return nil }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element.string else {
                problem("\(key)[\(index)]", "must be a string, not \(element.kind)")
                return nil
            }
            strings.append(string)
        }
        return strings
    }

    /// A string that must be one of an enum's raw values.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false, _: E.Type) -> E?
        where E.RawValue == String
    {
        guard let text = string(key, required: required) else { return nil }
        guard let value = E(rawValue: text) else {
            problem(key, "`\(text)` is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A sub-table such as `[mail]`; absent means every key takes its default.
    func section(_ key: String) -> TOMLSection? {
        guard let table = typed(key, required: false, "a table", \.table) else { return nil }
        return TOMLSection(table: table, file: file, prefix: prefix + key + ".", log: log)
    }

    /// An array of tables such as `[[visits]]`.
    func sections(_ key: String, required: Bool = false) -> [TOMLSection]? {
        guard let array = typed(key, required: required, "an array of tables ([[\(key)]])", \.array) else { return nil }
        var sections: [TOMLSection] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                problem("\(key)[\(index)]", "must be a table, not \(element.kind)")
                continue
            }
            sections.append(TOMLSection(table: table, file: file, prefix: "\(prefix)\(key)[\(index)].", log: log))
        }
        return sections
    }

    /// Reports every key that no reader asked for. Call after reading all known keys.
    func rejectUnknownKeys() {
        for key in table.keys.sorted() where !read.contains(key) {
            problem(key, "unknown key (check the spelling)")
        }
    }
}
