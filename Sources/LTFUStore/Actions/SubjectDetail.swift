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

    static func fetch(_ db: Database, code: String) throws -> SubjectDetail {
        guard let subject = try SubjectRecord.filter(SubjectRecord.Columns.code == code).fetchOne(db), let id = subject.id else {
            throw LTFUError.unknownSubject(code)
        }
        let infusions = try InfusionRecord.filter(InfusionRecord.Columns.subjectId == id).order(InfusionRecord.Columns.date).fetchAll(db)
        let series = try SeriesRecord.filter(SeriesRecord.Columns.subjectId == id).order(SeriesRecord.Columns.number).fetchAll(db)
        let order = Dictionary(uniqueKeysWithValues: series.compactMap { record in record.id.map { ($0, record.number) } })
        let visits = try VisitRecord.filter(VisitRecord.Columns.subjectId == id).fetchAll(db)
            .sorted { (order[$0.seriesId] ?? 0, $0.target, $0.month) < (order[$1.seriesId] ?? 0, $1.target, $1.month) }
        let results = try ResultRecord.filter(ResultRecord.Columns.subjectId == id && ResultRecord.Columns.current == true)
            .order(Column("date"), Column("id")).fetchAll(db)
        let events = try SafetyEventRecord.filter(SafetyEventRecord.Columns.subjectId == id)
            .order(SafetyEventRecord.Columns.date, Column("id")).fetchAll(db)
        let contacts = try ContactRecord.filter(ContactRecord.Columns.subjectId == id).order(ContactRecord.Columns.date, Column("id")).fetchAll(db)
        let consents = try ConsentRecord.filter(ConsentRecord.Columns.subjectId == id).order(ConsentRecord.Columns.date, Column("id")).fetchAll(db)
        return SubjectDetail(subject: subject, infusions: infusions.map(\.date), series: series, visits: visits,
                             results: results, events: events, contacts: contacts, consents: consents)
    }
}

extension LTFUError {
    static func unknownSubject(_ code: String) -> LTFUError {
        LTFUError(.notFound, code: "unknown-subject", "no subject `\(code)` is enrolled")
    }
}
