import LTFUCore
import LTFUStore
import LTFUWire

/// SPEC §12: data in (CSV import) and out (CSV export).
extension SubjectRegistry {
    /// Issue #23: while it runs, `status` says what it is and how far it got, every writer
    /// that must wait for it hears the same, and the heartbeat hears every 500 subjects.
    public func importFiles(_ request: ImportRequest, by actor: Actor) throws(LTFUError) -> ImportResponse {
        let dryRun = request.dryRun ?? false
        let started = now
        let zone = configuration.site.timeZone
        let holder = WriteGate.Holder(.phrase("an import of {file} started by {user} at {time}",
                                              ["file": request.subjects.name, "user": actor.name,
                                               "time": FireTime(minuteOfDay: 0, zone: zone).describe(instant: started)]), since: started)
        let description = holder.description
        let begun = activity.withLock { current -> Bool in
            guard current == nil else { return false }
            current = ActivityResponse(kind: "import", description: description, startedBy: actor.name, file: request.subjects.name,
                                       rowsChecked: 0, subjectsHandled: 0, subjectsTotal: 0)
            return true
        }
        guard begun else {
            let running = activityHolder.withLock { $0 }?.phrase ?? .phrase("another import")
            throw LTFUError(.busy, code: LTFUError.Kind.busyCode,
                            "ltfud is busy: {holder} is running. Nothing was imported; import the files when it has finished (`ltfuctl status` shows how far it got)",
                            ["holder": running])
        }
        activityHolder.withLock { $0 = holder }
        defer {
            activityHolder.withLock { $0 = nil }
            activity.withLock { $0 = nil }
        }
        let heartbeat = heartbeat
        let files = ImportFiles(catalog: catalog, today: today) { heartbeat.beat() }
        let subjects = files.subjects(request.subjects)
        let visits = request.visits.map { files.visits($0) } ?? [:]
        guard files.problems.isEmpty else { throw ImportProblem.refusal(files.problems) }
        activity.withLock {
            $0?.rowsChecked = subjects.count
            $0?.subjectsTotal = subjects.count
        }
        heartbeat.beat()
        let subjectsSource = ImportSource(name: request.subjects.name, text: request.subjects.text)
        let visitsSource = request.visits.map { ImportSource(name: $0.name, text: $0.text) }
        let configuration = configuration
        // Issue #28, README "Moving a register in": past one escalation period, an overdue
        // visit would only ever raise escalations; nearer ones keep their overdue alert.
        let quietBefore = request.historyOnly == true ? files.today.adding(days: -configuration.notify.escalateEveryDays) : nil
        let batch = ImportBatch(subjectsFile: subjectsSource, visitsFile: visitsSource, subjects: subjects, visits: visits,
                                today: files.today, consentRule: configuration.consent, safety: configuration.safety,
                                quietBefore: quietBefore)
        let counts = try store.waiting(upTo: FollowUpStore.importWait).importBatch(batch, dryRun: dryRun, by: actor, at: now,
                                           holder: holder,
                                           subjectDone: { heartbeat.beat() }) { handled in
            self.activity.withLock { $0?.subjectsHandled = handled }
        }
        if !dryRun, counts.subjectsCreated + counts.subjectsUpdated > 0 { changed() }
        return ImportResponse(dryRun: dryRun, subjectsCreated: counts.subjectsCreated, subjectsUnchanged: counts.subjectsUnchanged,
                              subjectsUpdated: counts.subjectsUpdated, visitsRecorded: counts.visitsRecorded,
                              visitsUnchanged: counts.visitsUnchanged, resultsRecorded: counts.resultsRecorded,
                              unscheduledSkipped: counts.unscheduledSkipped, subjectsSHA256: subjectsSource.sha256,
                              visitsSHA256: visitsSource?.sha256, visitsQuiet: request.historyOnly == true ? counts.visitsQuiet : nil)
    }

    public func exportCSV() throws(LTFUError) -> CSVExportResponse {
        CSVExport.render(try store.everySubject())
    }
}
