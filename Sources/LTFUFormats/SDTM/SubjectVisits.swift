import Foundation
import LTFUCore
import LTFUWire

/// The CDISC SDTM (SDTMIG 3.4) Subject Visits domain, SPEC §12: one row per done or missed
/// visit, for a sponsor collecting long-term follow-up from many sites.
///
/// Study days count from the subject's first infusion (SDTM's RFSTDTC): that day is Day 1, the
/// day before it Day -1, and there is no Day 0. A re-infusion starts a new series whose visits
/// keep their codes; their `VISITNUM` is the month plus 1000 per later infusion and their
/// `VISIT` names the infusion, so `USUBJID` + `VISITNUM` stays unique. Unscheduled visits
/// `U<n>` are 9000 + n.
public struct SubjectVisits: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var usubjid: String
        public var visitNumber: Int
        public var visit: String
        /// The planned study day; none for an unscheduled visit (SDTMIG: VISITDY is planned).
        public var plannedDay: Int?
        public var planned: Bool
        public var occurred: Bool
        public var reasonNotDone: String?
        public var contactMode: String
        public var date: CalendarDate?
        public var studyDay: Int?
        public var unplannedDescription: String?
    }

    public var study: String
    public var rows: [Row]

    /// The variables in SPEC §12's order: name, label, Dataset-JSON data type, key sequence.
    static let variables: [(name: String, label: String, type: String, key: Int?)] = [
        ("STUDYID", "Study Identifier", "string", 1), ("DOMAIN", "Domain Abbreviation", "string", nil),
        ("USUBJID", "Unique Subject Identifier", "string", 2), ("VISITNUM", "Visit Number", "float", 3),
        ("VISIT", "Visit Name", "string", nil), ("VISITDY", "Planned Study Day of Visit", "integer", nil),
        ("SVPRESP", "Pre-specified", "string", nil), ("SVOCCUR", "Occurrence", "string", nil),
        ("SVREASOC", "Reason for Occur Value", "string", nil), ("SVCNTMOD", "Contact Mode", "string", nil),
        ("SVSTDTC", "Start Date/Time of Observation", "date", nil), ("SVENDTC", "End Date/Time of Observation", "date", nil),
        ("SVSTDY", "Study Day of Start of Observation", "integer", nil), ("SVUPDES", "Description of Unplanned Visit", "string", nil),
    ]

    /// - Parameter includeText: miss reasons are free text that may identify a person; they
    ///   are exported only when asked for (`--include-text`).
    public init(study: String, site: String, subjects: [ShowResponse], includeText: Bool) {
        self.study = study
        rows = subjects.flatMap { shown -> [Row] in
            let infusions = shown.subject.infusions.sorted()
            guard let first = infusions.first else { return [] }
            return shown.visits.compactMap { visit -> Row? in
                guard visit.status == .done || visit.status == .missed, let number = Self.number(visit) else { return nil }
                let done = visit.status == .done
                return Row(
                    usubjid: "\(study)-\(site)-\(shown.subject.code)",
                    visitNumber: number, visit: visit.series > 1 ? "\(visit.code) INFUSION \(visit.series)" : visit.code,
                    plannedDay: visit.purpose == nil ? Self.studyDay(visit.target, from: first) : nil, planned: visit.purpose == nil,
                    occurred: done,
                    reasonNotDone: done || !includeText ? nil : visit.missReason,
                    contactMode: visit.mode == .remote ? "TELEPHONE CALL" : "IN PERSON",
                    date: done ? visit.doneOn : nil, studyDay: done ? visit.doneOn.map { Self.studyDay($0, from: first) } : nil,
                    unplannedDescription: visit.purpose?.rawValue)
            }
        }.sorted { ($0.usubjid, $0.visitNumber) < ($1.usubjid, $1.visitNumber) }
    }

    /// SDTM's study day: the reference day is Day 1, the day before it Day -1; no Day 0.
    public static func studyDay(_ date: CalendarDate, from reference: CalendarDate) -> Int {
        let days = date.dayNumber - reference.dayNumber
        return days >= 0 ? days + 1 : days
    }

    /// `M<n>` of series k: n + 1000 (k − 1); `U<n>`: 9000 + n.
    static func number(_ visit: ShowResponse.Visit) -> Int? {
        guard let n = Int(visit.code.dropFirst()) else { return nil }
        if visit.code.hasPrefix("U") { return 9000 + n }
        return visit.code.hasPrefix("M") ? n + 1000 * (visit.series - 1) : nil
    }

    /// Each row's values in variable order, `nil` where missing.
    func values(_ row: Row) -> [Value?] {
        [.text(study), .text("SV"), .text(row.usubjid), .number(row.visitNumber), .text(row.visit), row.plannedDay.map(Value.number),
         row.planned ? .text("Y") : nil, .text(row.occurred ? "Y" : "N"), row.reasonNotDone.map(Value.text), .text(row.contactMode),
         row.date.map { .text($0.description) }, row.date.map { .text($0.description) }, row.studyDay.map(Value.number),
         row.unplannedDescription.map(Value.text)]
    }

    enum Value: Hashable {
        case text(String)
        case number(Int)
    }

    /// `sv.csv`: RFC 4180, a header of variable names, CRLF line ends, empty fields for missing.
    public func csv() -> String {
        func field(_ value: Value?) -> String {
            switch value {
            case nil: ""
            case .number(let n)?: String(n)
            case .text(let text)?: text
            }
        }
        return CSVWriter.document(header: Self.variables.map(\.name), rows: rows.map { values($0).map(field) })
    }

    /// `sv.json`: CDISC Dataset-JSON 1.1.
    /// - Parameters:
    ///   - created: when the file was made, local time with its offset (`2026-11-26T14:00:00+08:00`).
    ///   - version: ltfu's version, as the source system's.
    public func datasetJSON(created: String, site: String, version: String) throws -> Data {
        var columns: [[String: Any]] = []
        for variable in Self.variables {
            var column: [String: Any] = ["itemOID": "IT.SV.\(variable.name)", "name": variable.name, "label": variable.label,
                                         "dataType": variable.type]
            if variable.type == "string" {
                column["length"] = max(1, rows.map { (values($0)[columns.count]).map(Self.text)?.utf8.count ?? 0 }.max() ?? 1)
            }
            if let key = variable.key { column["keySequence"] = key }
            columns.append(column)
        }
        let document: [String: Any] = [
            "datasetJSONCreationDateTime": created, "datasetJSONVersion": "1.1.0",
            "fileOID": "ltfu/\(site)/\(study)/SV", "originator": "ltfu site \(site)",
            "sourceSystem": ["name": "ltfu", "version": version], "studyOID": study,
            "itemGroupOID": "IG.SV", "records": rows.count, "name": "SV", "label": "Subject Visits",
            "columns": columns,
            "rows": rows.map { values($0).map { value -> Any in
                switch value {
                case nil: NSNull()
                case .number(let n)?: n
                case .text(let text)?: text
                }
            } },
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func text(_ value: Value) -> String {
        switch value {
        case .text(let text): text
        case .number(let n): String(n)
        }
    }
}
