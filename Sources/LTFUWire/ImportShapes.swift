/// SPEC §12: `ltfuctl import` sends the files as they are; ltfud reads and checks them, so
/// every rule of the import lives in one place and a problem names the file's own line.
public struct ImportRequest: Codable, Sendable, Hashable {
    public var subjects: ImportFile
    public var visits: ImportFile?
    /// Check and count only; nothing is written.
    public var dryRun: Bool?

    public init(subjects: ImportFile, visits: ImportFile?, dryRun: Bool) {
        self.subjects = subjects
        self.visits = visits
        self.dryRun = dryRun
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

    public init(dryRun: Bool, subjectsCreated: Int, subjectsUnchanged: Int, subjectsUpdated: Int, visitsRecorded: Int,
                visitsUnchanged: Int, resultsRecorded: Int, unscheduledSkipped: Int, subjectsSHA256: String, visitsSHA256: String?)
    {
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
