import Foundation
import LTFUCore

/// One SDTM domain as ltfu writes it (SPEC §14): its variables with their SDTMIG 3.4 metadata and
/// its rows, already in key order. It renders itself as CDISC Dataset-JSON 1.1 and as CSV, and
/// both are functions of the rows alone (plus the creation time Dataset-JSON requires), so an
/// unchanged database exports byte for byte the same files.
public struct SDTMDataset: Sendable, Hashable {
    /// A variable's metadata, as Dataset-JSON 1.1 carries it in `columns`.
    public struct Variable: Sendable, Hashable {
        public var name: String
        /// The SDTMIG 3.4 label; SDTM keeps labels to 40 characters (the SAS V5 transport limit).
        public var label: String
        public var type: DataType
        /// The position among the domain's SDTMIG key variables (`keySequence`), if it is one.
        public var key: Int?

        public init(_ name: String, _ label: String, _ type: DataType = .string, key: Int? = nil) {
            self.name = name
            self.label = label
            self.type = type
            self.key = key
        }
    }

    /// Dataset-JSON 1.1 `dataType`. SDTM's character variables are `string`, its ISO 8601
    /// dates `date` (ltfu only holds whole dates), its numeric ones `integer` or, for `VISITNUM`,
    /// which SDTM allows to be fractional, `float`.
    public enum DataType: String, Sendable, Hashable {
        case string, integer, float, date

        /// Whether the variable is character data in SDTM (and so has a `length`).
        var isCharacter: Bool { self == .string || self == .date }
    }

    /// A value: text or a whole number. A missing value is `nil` (SDTM's null).
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case text(String)
        case number(Int)

        public var description: String {
            switch self {
            case .text(let text): text
            case .number(let n): String(n)
            }
        }
    }

    /// The two-letter domain code (`DM`), which also names the files (`dm.json`, `dm.csv`).
    public var name: String
    public var label: String
    public var variables: [Variable]
    /// In variable order; `nil` where a value is missing.
    public var rows: [[Value?]]

    public init(name: String, label: String, variables: [Variable], rows: [[Value?]]) {
        self.name = name
        self.label = label
        self.variables = variables
        self.rows = rows
    }

    /// Where the named variables stand among `variables` (a domain's keys, for sorting).
    static func positions(of names: [String], in variables: [Variable]) -> [Int] {
        names.compactMap { name in variables.firstIndex { $0.name == name } }
    }

    /// A row's value by variable name, for tests and for domains built from others.
    public func value(_ variable: String, in row: [Value?]) -> Value? {
        guard let index = variables.firstIndex(where: { $0.name == variable }) else { return nil }
        return row[index]
    }

    /// `xx.csv`: RFC 4180 with CRLF line ends, a header of variable names, an empty field for null.
    public func csv() -> String {
        CSVWriter.document(header: variables.map(\.name), rows: rows.map { $0.map { $0?.description ?? "" } })
    }

    /// The provenance Dataset-JSON 1.1 asks for besides the data.
    public struct Provenance: Sendable, Hashable {
        public var study: String
        public var site: String
        /// `datasetJSONCreationDateTime`: ISO 8601 with its offset, e.g. `2028-06-01T10:00:00+08:00`.
        public var created: String
        /// ltfu's version, as `sourceSystem.version`.
        public var version: String

        public init(study: String, site: String, created: String, version: String) {
            self.study = study
            self.site = site
            self.created = created
            self.version = version
        }
    }

    /// `xx.json`: CDISC Dataset-JSON 1.1, keys sorted, so equal rows give equal bytes.
    public func datasetJSON(_ provenance: Provenance) throws -> Data {
        let columns = variables.enumerated().map { index, variable -> [String: Any] in
            var column: [String: Any] = ["itemOID": "IT.\(name).\(variable.name)", "name": variable.name, "label": variable.label,
                                         "dataType": variable.type.rawValue]
            // Dataset-JSON 1.1 `length` is for character data: the longest value in bytes (UTF-8), at least 1.
            if variable.type.isCharacter {
                column["length"] = max(1, rows.map { $0[index]?.description.utf8.count ?? 0 }.max() ?? 1)
            }
            if let key = variable.key { column["keySequence"] = key }
            return column
        }
        let document: [String: Any] = [
            "datasetJSONCreationDateTime": provenance.created, "datasetJSONVersion": "1.1.0",
            "fileOID": "ltfu/\(provenance.site)/\(provenance.study)/\(name)", "originator": "ltfu site \(provenance.site)",
            "sourceSystem": ["name": "ltfu", "version": provenance.version], "studyOID": provenance.study,
            "itemGroupOID": "IG.\(name)", "records": rows.count, "name": name, "label": label,
            "columns": columns,
            "rows": rows.map { row in row.map { value -> Any in
                switch value {
                case nil: NSNull()
                case .number(let n)?: n
                case .text(let text)?: text
                }
            } },
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The file names this domain is written as.
    public var jsonFileName: String { name.lowercased() + ".json" }
    public var csvFileName: String { name.lowercased() + ".csv" }
}

extension SDTMDataset.Value {
    /// An ISO 8601 date, as every `--DTC` variable holds it (SDTMIG 3.4: ISO 8601 dates and times).
    static func date(_ date: CalendarDate) -> Self { .text(date.description) }
}
