import LTFUCore
import LTFUStore
import LTFUWire

/// SPEC §12: data in (CSV import) and out (CSV export).
extension SubjectRegistry {
    public func importFiles(_ request: ImportRequest, by actor: Actor) throws(LTFUError) -> ImportResponse {
        let dryRun = request.dryRun ?? false
        let files = ImportFiles(catalog: catalog, today: today)
        let subjects = files.subjects(request.subjects)
        let visits = request.visits.map { files.visits($0) } ?? [:]
        guard files.problems.isEmpty else { throw ImportProblem.refusal(files.problems) }
        let subjectsSource = ImportSource(name: request.subjects.name, text: request.subjects.text)
        let visitsSource = request.visits.map { ImportSource(name: $0.name, text: $0.text) }
        let configuration = configuration
        let batch = ImportBatch(subjectsFile: subjectsSource, visitsFile: visitsSource, subjects: subjects, visits: visits,
                                today: files.today, consentRule: configuration.consent, safety: configuration.safety)
        let counts = try store.importBatch(batch, dryRun: dryRun, by: actor, at: now)
        if !dryRun, counts.subjectsCreated + counts.subjectsUpdated > 0 { changed() }
        return ImportResponse(dryRun: dryRun, subjectsCreated: counts.subjectsCreated, subjectsUnchanged: counts.subjectsUnchanged,
                              subjectsUpdated: counts.subjectsUpdated, visitsRecorded: counts.visitsRecorded,
                              visitsUnchanged: counts.visitsUnchanged, resultsRecorded: counts.resultsRecorded,
                              unscheduledSkipped: counts.unscheduledSkipped, subjectsSHA256: subjectsSource.sha256,
                              visitsSHA256: visitsSource?.sha256)
    }

    public func exportCSV() throws(LTFUError) -> CSVExportResponse {
        CSVExport.render(try store.everySubject())
    }
}
