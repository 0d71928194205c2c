import GRDB
import LTFUCore

/// A subject with its current series and every visit of every series (history stays).
public struct SubjectDetail: Sendable, Hashable {
    public var subject: SubjectRecord
    public var infusions: [CalendarDate]
    public var series: [SeriesRecord]
    /// Ordered by series, then target date.
    public var visits: [VisitRecord]
    /// The current result of each assessment (corrections replace what they supersede).
    public var results: [ResultRecord] = []
    /// Safety events, in date order.
    public var events: [SafetyEventRecord] = []
    /// SPEC §11: contact attempts and consents, in date order.
    public var contacts: [ContactRecord] = []
    public var consents: [ConsentRecord] = []

    public var currentSeries: SeriesRecord? { series.last }

    /// Whether a subject with this code is enrolled.
    static func exists(_ db: Database, code: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM subject WHERE code = ?)"), arguments: [code]) ?? false
    }

    /// Reads through cached statements: every action, and an import once per subject or more,
    /// comes here, so the SQL is prepared once per connection (issue #11's benchmark).
    static func fetch(_ db: Database, code: String) throws -> SubjectDetail {
        guard let subject = try SubjectRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM subject WHERE code = ?"), arguments: [code]),
              let id = subject.id
        else {
            throw LTFUError.unknownSubject(code)
        }
        func all<Record: FetchableRecord>(_: Record.Type, _ sql: String) throws -> [Record] {
            try Record.fetchAll(db.cachedStatement(sql: sql), arguments: [id])
        }
        let infusions = try all(InfusionRecord.self, "SELECT * FROM infusion WHERE subjectId = ? ORDER BY date")
        let series = try all(SeriesRecord.self, "SELECT * FROM series WHERE subjectId = ? ORDER BY number")
        let visits = ordered(try all(VisitRecord.self, "SELECT * FROM visit WHERE subjectId = ? ORDER BY id"), series: series)
        let results = try all(ResultRecord.self, "SELECT * FROM result WHERE subjectId = ? AND current = 1 ORDER BY date, id")
        let events = try all(SafetyEventRecord.self, "SELECT * FROM safetyEvent WHERE subjectId = ? ORDER BY date, id")
        let contacts = try all(ContactRecord.self, "SELECT * FROM contact WHERE subjectId = ? ORDER BY date, id")
        let consents = try all(ConsentRecord.self, "SELECT * FROM consent WHERE subjectId = ? ORDER BY date, id")
        return SubjectDetail(subject: subject, infusions: infusions.map(\.date), series: series, visits: visits,
                             results: results, events: events, contacts: contacts, consents: consents)
    }
}

extension LTFUError {
    static func unknownSubject(_ code: String) -> LTFUError {
        LTFUError(.notFound, code: "unknown-subject", "no subject `{subject}` is enrolled", ["subject": code])
    }
}
