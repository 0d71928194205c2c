import LTFUCore
import LTFUFormats
import LTFUStore
import LTFUWire

/// SPEC §12: `subjects.csv` and `visits.csv` in the import's columns plus what a reader
/// wants (status, target, window, purpose), so that importing them into an empty database
/// gives back every subject and visit outcome.
enum CSVExport {
    static func render(_ subjects: [SubjectDetail]) -> CSVExportResponse {
        var subjectRows: [[String]] = []
        var visitRows: [[String]] = []
        for detail in subjects {
            let subject = detail.subject
            let consent = detail.consents.last
            subjectRows.append([
                subject.code, subject.productId, detail.infusions.map(\.description).joined(separator: String(ExchangeColumns.listSeparator)),
                subject.birthDate?.description ?? "", consent?.date.description ?? "", consent?.giver.rawValue ?? "",
                subject.endedOn?.description ?? "", subject.endReason?.rawValue ?? "", subject.status.rawValue,
            ])
            for visit in detail.visits {
                let results = detail.results.filter { $0.visitId == visit.id }.sorted { $0.assessment.rawValue < $1.assessment.rawValue }
                    .map(result).joined(separator: String(ExchangeColumns.listSeparator))
                let outcome = switch visit.state {
                case .done: "done"
                case .missed: "missed"
                case .open, .cancelled: ""
                }
                visitRows.append([
                    subject.code, visit.code, outcome, visit.doneOn?.description ?? "", visit.missReason ?? "", results,
                    visit.state.rawValue, visit.target.description, visit.windowOpen.description, visit.windowClose.description,
                    visit.purpose?.rawValue ?? "",
                ])
            }
        }
        return CSVExportResponse(
            subjects: CSVWriter.document(header: ExchangeColumns.subjects + ExchangeColumns.subjectsExported, rows: subjectRows),
            visits: CSVWriter.document(header: ExchangeColumns.visits + ExchangeColumns.visitsExported, rows: visitRows),
            subjectCount: subjectRows.count, visitCount: visitRows.count)
    }

    /// As `results` is read: `assessment=value`, with the percent and the sample in parentheses.
    static func result(_ record: ResultRecord) -> String {
        let parts = [record.percent.map { String($0) }, record.sample].compactMap { $0 }
        let extra = parts.isEmpty ? nil : parts.joined(separator: ",")
        return "\(record.assessment.rawValue)=\(record.value)" + (extra.map { "(\($0))" } ?? "")
    }
}
