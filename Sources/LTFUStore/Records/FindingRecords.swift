import GRDB
import LTFUCore

extension Assessment: DatabaseValueConvertible {}
extension VisitPurpose: DatabaseValueConvertible {}
extension SafetyEventKind: DatabaseValueConvertible {}
extension Relatedness: DatabaseValueConvertible {}
extension SignalKind: DatabaseValueConvertible {}
extension StoppingRule: DatabaseValueConvertible {}

/// A row of `result`: what one assessment of a done visit found (SPEC §10).
public struct ResultRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "result"

    public var id: Int64?
    public var subjectId: Int64
    public var visitId: Int64
    public var assessment: Assessment
    public var value: String
    public var date: CalendarDate
    public var sample: String?
    public var percent: Double?
    public var note: String?
    public var recordedAt: String
    /// The result this one corrects, if any.
    public var supersedes: Int64?
    /// False once a correction supersedes it.
    public var current: Bool

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let visitId = Column(CodingKeys.visitId)
        public static let assessment = Column(CodingKeys.assessment)
        public static let current = Column(CodingKeys.current)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `safetyEvent`: a delayed adverse event reported for a subject (SPEC §10).
public struct SafetyEventRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "safetyEvent"

    public var id: Int64?
    public var subjectId: Int64
    public var kind: SafetyEventKind
    public var date: CalendarDate
    public var related: Relatedness
    public var note: String?
    public var resultId: Int64?
    public var recordedAt: String

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let date = Column(CodingKeys.date)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
