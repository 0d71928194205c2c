import Foundation
import LTFUConfig
import LTFUCore
import LTFUFormats
import LTFUStore
import LTFUWire

/// SPEC §12: reads the import's CSV files into checked rows, each problem at its
/// `FILE:LINE: column`. What depends on the database (a stored subject, a visit's state) is
/// the store's to check, inside the import's transaction. One per request.
final class ImportFiles {
    let catalog: ProductCatalog
    let today: CalendarDate
    var problems: [ImportProblem] = []
    /// Told after every row read (issue #23: the watchdog's proof that a long check moves).
    let onRow: () -> Void

    init(catalog: ProductCatalog, today: CalendarDate, onRow: @escaping () -> Void = {}) {
        self.catalog = catalog
        self.today = today
        self.onRow = onRow
    }

    /// A file's table with every column by name, or `nil` and the problem.
    func table(_ file: ImportFile, required: [String], optional: [String]) -> [(line: Int, cell: [String: String])]? {
        guard file.text.utf8.count <= ImportFile.maximumBytes else {
            problems.append(ImportProblem(file: file.name, line: 1, column: "file",
                                          .phrase("the file is {size} MiB; an import takes files up to {maximum} MiB: split it",
                                                  ["size": file.text.utf8.count / 1_048_576, "maximum": ImportFile.maximumBytes / 1_048_576])))
            return nil
        }
        let table: CSVTable
        do {
            table = try CSVTable(bytes: Array(file.text.utf8))
        } catch {
            problems.append(ImportProblem(file: file.name, line: error.line, column: "file", error.reason))
            return nil
        }
        var seen: Set<String> = []
        var bad = false
        for name in table.header {
            if !seen.insert(name).inserted {
                problems.append(ImportProblem(file: file.name, line: 1, column: name, .phrase("the column is named twice")))
                bad = true
            } else if !required.contains(name) && !optional.contains(name) {
                problems.append(ImportProblem(file: file.name, line: 1, column: name,
                                              .phrase("unknown column (the columns are: {columns})", ["columns": (required + optional).joined(separator: ", ")])))
                bad = true
            }
        }
        for name in required where !seen.contains(name) {
            problems.append(ImportProblem(file: file.name, line: 1, column: name, .phrase("the column is missing from the header")))
            bad = true
        }
        if bad { return nil }
        // A row of empty fields (`,,,,`, as spreadsheets save trailing rows) is a blank line.
        return table.rows.lazy.filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }.map { row in
            (row.line, Dictionary(uniqueKeysWithValues: zip(table.header, row.fields.map { $0.trimmingCharacters(in: .whitespaces) })))
        }.map { $0 }
    }

    /// Runs `body`; a refusal becomes a problem at the cell, and `nil`.
    func cell<T>(_ file: ImportFile, _ line: Int, _ column: String, _ body: () throws(LTFUError) -> T) -> T? {
        do {
            return try body()
        } catch {
            problems.append(ImportProblem(file: file.name, line: line, column: column, .error(error)))
            return nil
        }
    }

    // MARK: - subjects.csv

    func subjects(_ file: ImportFile) -> [ImportedSubject] {
        guard let rows = table(file, required: ExchangeColumns.subjects, optional: ExchangeColumns.subjectsExported) else { return [] }
        var firstLine: [String: Int] = [:]
        var subjects: [ImportedSubject] = []
        // Past the problems listed, reading on finds nothing more to print.
        for (line, cell) in rows where problems.count <= ImportProblem.listed {
            onRow()
            let before = problems.count
            let code = cell["code"] ?? ""
            _ = self.cell(file, line, "code") { () throws(LTFUError) in try SubjectRegistry.requireSubjectCode(code) }
            if let first = firstLine[code] {
                problems.append(ImportProblem(file: file.name, line: line, column: "code",
                                              .phrase("subject `{subject}` is also on line {line}", ["subject": code, "line": first])))
            } else {
                firstLine[code] = line
            }
            let product = self.cell(file, line, "product") { () throws(LTFUError) in try findProduct(named: cell["product"] ?? "") }
            let infusions = self.cell(file, line, "infused") { () throws(LTFUError) in try infusionDates(cell["infused"] ?? "") }
            let born = self.cell(file, line, "born") { () throws(LTFUError) in try optionalDate(cell["born"], what: .phrase("birth date")) }
            let consentColumn = ConsentGiver(rawValue: cell["consent_by"] ?? "") == nil && cell["consent_by"].nonEmpty != nil
                ? "consent_by" : "consent_on"
            let consent = self.cell(file, line, consentColumn) { () throws(LTFUError) -> ConsentInput? in
                switch (cell["consent_on"].nonEmpty, cell["consent_by"].nonEmpty) {
                case (nil, nil): return nil
                case let (on?, by?): return try SubjectRegistry.consentInput(on: on, by: by, form: nil)
                default: throw LTFUError(.data, code: "incomplete-consent", "give consent_on and consent_by together, or neither")
                }
            }
            let endColumn = EndReason(rawValue: cell["end_reason"] ?? "") == nil && cell["end_reason"].nonEmpty != nil ? "end_reason" : "ended_on"
            let end = self.cell(file, line, endColumn) { () throws(LTFUError) -> (reason: EndReason, date: CalendarDate)? in
                switch (cell["ended_on"].nonEmpty, cell["end_reason"].nonEmpty) {
                case (nil, nil): return nil
                case let (on?, reason?):
                    guard let reason = EndReason(rawValue: reason) else {
                        throw LTFUError(.data, code: "invalid-end-reason", "`{text}` is not a reason to end follow-up (one of: {choices})",
                                        ["text": reason, "choices": EndReason.choices])
                    }
                    let date = try CalendarDate(parsing: on, what: .phrase("end date"))
                    try DateRules.notInFuture(date, today: today, what: .phrase("end date"))
                    return (reason, date)
                default: throw LTFUError(.data, code: "incomplete-end", "give ended_on and end_reason together, or neither")
                }
            }
            guard problems.count == before, let product, let infusions, let born, let consent, let end else { continue }
            // SPEC §5: each later infusion re-anchors day 0, as `ltfuctl infuse` would.
            var series: [ImportedSubject.Series] = []
            for index in infusions.indices {
                let column = index == 0 && born != nil ? "born" : "infused"
                guard let plan = self.cell(file, line, column, { () throws(LTFUError) in
                    try catalog.plan(for: product, infusions: Array(infusions[...index]), birthDate: born)
                }) else { break }
                series.append(.init(infusion: infusions[index], plan: plan))
            }
            guard series.count == infusions.count else { continue }
            subjects.append(ImportedSubject(line: line, code: code, product: product, templateId: catalog.template(for: product).id,
                                            series: series, birthDate: born, consent: consent, end: end))
        }
        return subjects
    }

    func findProduct(named id: String) throws(LTFUError) -> Product {
        guard let product = catalog.products[id] else {
            throw LTFUError(.notFound, code: "unknown-product",
                            "no product `{product}` (known: {known})", ["product": id, "known": catalog.products.keys.sorted().joined(separator: ", ")])
        }
        return product
    }

    func infusionDates(_ text: String) throws(LTFUError) -> [CalendarDate] {
        var dates: [CalendarDate] = []
        for part in text.split(separator: ExchangeColumns.listSeparator) {
            let date = try CalendarDate(parsing: part.trimmingCharacters(in: .whitespaces), what: .phrase("infusion date"))
            try DateRules.notInFuture(date, today: today, what: .phrase("infusion date"))
            guard !dates.contains(date) else {
                throw LTFUError(.data, code: "duplicate-infusion", "the infusion on {date} is listed twice", ["date": date])
            }
            dates.append(date)
        }
        guard !dates.isEmpty else {
            throw LTFUError(.data, code: "missing-infusion", "at least one infusion date is needed (several joined by `;`)")
        }
        return dates.sorted()
    }

    func optionalDate(_ text: String?, what: LTFUError.Value) throws(LTFUError) -> CalendarDate? {
        guard let text = text.nonEmpty else { return nil }
        let date = try CalendarDate(parsing: text, what: what)
        try DateRules.notInFuture(date, today: today, what: what)
        return date
    }

    // MARK: - visits.csv

    func visits(_ file: ImportFile) -> [String: [ImportedVisit]] {
        guard let rows = table(file, required: ExchangeColumns.visits, optional: ExchangeColumns.visitsExported) else { return [:] }
        struct Key: Hashable { var code: String, visit: String, target: CalendarDate?, on: String }
        var firstLine: [Key: Int] = [:]
        var visits: [String: [ImportedVisit]] = [:]
        // Past the problems listed, reading on finds nothing more to print.
        for (line, cell) in rows where problems.count <= ImportProblem.listed {
            onRow()
            let before = problems.count
            let code = cell["code"] ?? ""
            let visit = cell["visit"] ?? ""
            _ = self.cell(file, line, "code") { () throws(LTFUError) in try SubjectRegistry.requireSubjectCode(code) }
            _ = self.cell(file, line, "visit") { () throws(LTFUError) in try SubjectRegistry.requireVisitCode(visit) }
            let target = self.cell(file, line, "target") { () throws(LTFUError) in
                try cell["target"].nonEmpty.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("target date")) }
            }
            let on = self.cell(file, line, "on") { () throws(LTFUError) in try optionalDate(cell["on"], what: .phrase("visit date")) }
            var outcome: ImportedVisit.Outcome??
            if let parsed = on { outcome = self.cell(file, line, "outcome") { () throws(LTFUError) in try outcomeOf(cell, on: parsed) } }
            var results: [ResultInput] = []
            if let text = cell["results"].nonEmpty {
                if case .done? = outcome ?? nil {
                    results = self.cell(file, line, "results") { () throws(LTFUError) in try resultsOf(text) } ?? []
                } else {
                    problems.append(ImportProblem(file: file.name, line: line, column: "results", .phrase("results belong to a done visit")))
                }
            }
            guard problems.count == before, let target, let outcome else { continue }
            let key = Key(code: code, visit: visit, target: target, on: cell["on"] ?? "")
            if let first = firstLine[key] {
                problems.append(ImportProblem(file: file.name, line: line, column: "visit",
                                              .phrase("visit {visit} of subject `{subject}` is also on line {line}",
                                                      ["visit": visit, "subject": code, "line": first])))
                continue
            }
            firstLine[key] = line
            visits[code, default: []].append(ImportedVisit(line: line, code: code, visit: visit, outcome: outcome, target: target,
                                                           results: results))
        }
        return visits
    }

    /// `done` needs `on`; `missed` needs a `reason` and no date; empty lists the visit only.
    func outcomeOf(_ cell: [String: String], on: CalendarDate?) throws(LTFUError) -> ImportedVisit.Outcome? {
        let reason = cell["reason"].nonEmpty
        switch cell["outcome"] ?? "" {
        case "done":
            guard let on else { throw LTFUError(.data, code: "missing-date", "a done visit needs its date in `on`") }
            guard reason == nil else { throw LTFUError(.data, code: "unexpected-reason", "a done visit has no `reason`; that is for a missed one") }
            return .done(on)
        case "missed":
            guard on == nil else { throw LTFUError(.data, code: "unexpected-date", "a missed visit has no date in `on`") }
            return .missed(reason: try SubjectRegistry.freeText(reason ?? "", field: "reason", required: true))
        case "":
            guard on == nil, reason == nil else {
                throw LTFUError(.data, code: "missing-outcome", "`on` or `reason` is given without an outcome (done or missed)")
            }
            return nil
        case let other:
            throw LTFUError(.data, code: "invalid-outcome", "`{text}` is not an outcome (done or missed, or empty)", ["text": other])
        }
    }

    /// `assessment=value` joined by `;`; `persistence=detected(12.5)` gives the percent,
    /// `rcl-archive=archived(S-1)` the sample id, `persistence=detected(12.5,S-1)` both
    /// (SPEC §10's vocabulary).
    func resultsOf(_ text: String) throws(LTFUError) -> [ResultInput] {
        var results: [ResultInput] = []
        for part in text.split(separator: ExchangeColumns.listSeparator) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let assessment = Assessment(rawValue: pair[0]) else {
                throw LTFUError(.data, code: "invalid-result", "`{text}` is not assessment=value (assessments: {choices})",
                                ["text": part, "choices": Assessment.choices])
            }
            var value = pair[1]
            var extra: String?
            if value.hasSuffix(")"), let open = value.firstIndex(of: "(") {
                extra = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
                value = String(value[..<open])
            }
            // In the parentheses: the percent (a number), the sample id, or both joined by `,`.
            // Only `persistence detected` has a percent: elsewhere a number is a sample id (one
            // of digits only, as `ltfuctl result --sample` takes and `export csv` writes it).
            let takesPercent = assessment == .persistence && value == "detected"
            var percent: Double?
            var sample: String?
            for item in (extra ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init) where extra != nil {
                if takesPercent, let number = Double(item), number.isFinite, percent == nil, sample == nil {
                    percent = number
                } else if sample == nil, !item.isEmpty {
                    sample = item
                } else {
                    throw LTFUError(.data, code: "invalid-result", "`({extra})` in `{text}` is not (percent), (sample) or (percent,sample)",
                                    ["extra": extra ?? "", "text": part])
                }
            }
            try ResultVocabulary.check(assessment: assessment, value: value, sample: sample, percent: percent)
            guard !results.contains(where: { $0.assessment == assessment }) else {
                throw LTFUError(.data, code: "duplicate-result", "{assessment} is given twice", ["assessment": assessment.rawValue])
            }
            results.append(ResultInput(assessment: assessment, value: value, date: nil, sample: sample, percent: percent, note: nil))
        }
        return results
    }
}

extension Optional where Wrapped == String {
    /// The text, or `nil` when missing or empty.
    var nonEmpty: String? {
        switch self {
        case let text? where !text.isEmpty: text
        default: nil
        }
    }
}
