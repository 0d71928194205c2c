import Foundation
import LTFUCore
import TOMLKit

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

    /// Parses a whole file; a syntax error becomes a problem naming its line.
    static func parse(contentsOf path: String, log: ProblemLog) -> TOMLSection? {
        let text: String
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > 1 << 20 {
                log.problems.append(ConfigurationProblem(file: path, key: nil, message: "file is larger than 1 MiB"))
                return nil
            }
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            log.problems.append(ConfigurationProblem(file: path, key: nil, message: "cannot read the file: \(error.localizedDescription)"))
            return nil
        }
        do {
            return TOMLSection(table: try TOMLTable(string: text), file: path, log: log)
        } catch let error as TOMLParseError {
            log.problems.append(ConfigurationProblem(
                file: path, key: nil,
                message: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)"))
        } catch {
            log.problems.append(ConfigurationProblem(file: path, key: nil, message: "not valid TOML: \(error)"))
        }
        return nil
    }

    func problem(_ key: String?, _ message: String) {
        log.problems.append(ConfigurationProblem(file: file, key: key.map { prefix + $0 }, message: message))
    }

    private func value(_ key: String, required: Bool) -> (any TOMLValueConvertible)? {
        read.insert(key)
        guard let value = table[key] else {
            if required { problem(key, "is required") }
            return nil
        }
        return value
    }

    private func typed<T>(_ key: String, required: Bool, _ typeName: String,
                          _ convert: (any TOMLValueConvertible) -> T?) -> T?
    {
        guard let raw = value(key, required: required) else { return nil }
        guard let converted = convert(raw) else {
            problem(key, "must be \(typeName), not a \(raw.type)")
            return nil
        }
        return converted
    }

    func string(_ key: String, required: Bool = false) -> String? {
        typed(key, required: required, "a string") { $0.string }
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let number = typed(key, required: required, "a whole number", { $0.int }) else { return nil }
        if let range, !range.contains(number) {
            problem(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    /// A number: a TOML integer or float.
    func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) -> Double? {
        guard let number = typed(key, required: required, "a number", { $0.double ?? $0.int.map(Double.init) }) else { return nil }
        if let range, !(number.isFinite && range.contains(number)) {
            problem(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        typed(key, required: required, "true or false") { $0.bool }
    }

    func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let array = typed(key, required: required, "an array of strings", { $0.array }) else { return nil }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element.string else {
                problem("\(key)[\(index)]", "must be a string, not a \(element.type)")
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
        guard let table = typed(key, required: false, "a table", { $0.table }) else { return nil }
        return TOMLSection(table: table, file: file, prefix: prefix + key + ".", log: log)
    }

    /// An array of tables such as `[[visits]]`.
    func sections(_ key: String, required: Bool = false) -> [TOMLSection]? {
        guard let array = typed(key, required: required, "an array of tables ([[\(key)]])", { $0.array }) else { return nil }
        var sections: [TOMLSection] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                problem("\(key)[\(index)]", "must be a table, not a \(element.type)")
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
