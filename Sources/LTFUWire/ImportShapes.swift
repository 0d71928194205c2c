/// SPEC §12: `ltfuctl import` sends the files as they are; ltfud reads and checks them, so
/// every rule of the import lives in one place and a problem names the file's own line.
public struct ImportRequest: Codable, Sendable, Hashable {
    public var subjects: ImportFile
    public var visits: ImportFile?
    /// Check and count only; nothing is written.
    public var dryRun: Bool?
    /// Issue #28 (`--history-only`): the files move a register in; visits of new subjects
    /// whose window closed more than `[notify] escalate_every_days` ago raise no notification.
    public var historyOnly: Bool?

    public init(subjects: ImportFile, visits: ImportFile?, dryRun: Bool, historyOnly: Bool = false) {
        self.subjects = subjects
        self.visits = visits
        self.dryRun = dryRun
        self.historyOnly = historyOnly ? true : nil
    }
}

/// Issue #23: the long write under way, in `status` while it runs: what it is, who started
/// it and how far it got. ltfuctl's progress line reads it; a refused writer hears it.
public struct ActivityResponse: Codable, Sendable, Hashable {
    /// `import`.
    public var kind: String
    /// "an import of subjects.csv started by alice at 2026-12-02 10:02".
    public var description: String
    public var startedBy: String
    public var file: String
    /// Rows of the subjects file read and checked (all of them before any is written).
    public var rowsChecked: Int
    /// Subjects of the file written (or found unchanged) so far, of `subjectsTotal`.
    public var subjectsHandled: Int
    public var subjectsTotal: Int

    public init(kind: String, description: String, startedBy: String, file: String, rowsChecked: Int, subjectsHandled: Int,
                subjectsTotal: Int)
    {
        self.kind = kind
        self.description = description
        self.startedBy = startedBy
        self.file = file
        self.rowsChecked = rowsChecked
        self.subjectsHandled = subjectsHandled
        self.subjectsTotal = subjectsTotal
    }
}

/// One CSV file: the name problems are reported under, and its whole text (UTF-8).
public struct ImportFile: Codable, Sendable, Hashable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The largest file an import takes (SPEC §12; the README says why): larger ones are
    /// refused by name before anything is sent.
    public static let maximumBytes = 64 * 1024 * 1024
    /// Two files at most, each at most doubled by JSON's escapes, and the rest of the request.
    public static let maximumRequestBytes = 4 * maximumBytes + 64 * 1024
}

/// What an import did, or with `dryRun` would do.
public struct ImportResponse: Codable, Sendable, Hashable {
    public var dryRun: Bool
    public var subjectsCreated: Int
    /// Subjects already stored as the file has them; visit rows may still have added outcomes.
    public var subjectsUnchanged: Int
    /// Stored subjects to which the files added visit outcomes, results, a consent or an end.
    public var subjectsUpdated: Int
    public var visitsRecorded: Int
    public var visitsUnchanged: Int
    public var resultsRecorded: Int
    /// Unscheduled visits (from safety events and consents) are not imported; rows of an
    /// export that list them are counted here.
    public var unscheduledSkipped: Int
    public var subjectsSHA256: String
    public var visitsSHA256: String?
    /// Issue #28: with `historyOnly`, the open visits that will raise no notification.
    public var visitsQuiet: Int?

    public init(dryRun: Bool, subjectsCreated: Int, subjectsUnchanged: Int, subjectsUpdated: Int, visitsRecorded: Int,
                visitsUnchanged: Int, resultsRecorded: Int, unscheduledSkipped: Int, subjectsSHA256: String, visitsSHA256: String?,
                visitsQuiet: Int? = nil)
    {
        self.visitsQuiet = visitsQuiet
        self.dryRun = dryRun
        self.subjectsCreated = subjectsCreated
        self.subjectsUnchanged = subjectsUnchanged
        self.subjectsUpdated = subjectsUpdated
        self.visitsRecorded = visitsRecorded
        self.visitsUnchanged = visitsUnchanged
        self.resultsRecorded = resultsRecorded
        self.unscheduledSkipped = unscheduledSkipped
        self.subjectsSHA256 = subjectsSHA256
        self.visitsSHA256 = visitsSHA256
    }

    /// Nothing was (or would be) written.
    public var changesNothing: Bool { subjectsCreated == 0 && subjectsUpdated == 0 }
}

/// `ltfuctl export csv`: `subjects.csv` and `visits.csv` as ltfud writes them. Write group
/// only: they hold birth dates and reasons.
public struct CSVExportResponse: Codable, Sendable, Hashable {
    public var subjects: String
    public var visits: String
    public var subjectCount: Int
    public var visitCount: Int

    public init(subjects: String, visits: String, subjectCount: Int, visitCount: Int) {
        self.subjects = subjects
        self.visits = visits
        self.subjectCount = subjectCount
        self.visitCount = visitCount
    }
}
