import GRDB
import LTFUCore

extension ContactMethod: DatabaseValueConvertible {}
extension ContactOutcome: DatabaseValueConvertible {}
extension ConsentGiver: DatabaseValueConvertible {}

/// A row of `contact`: one attempt to reach a subject (SPEC §11).
public struct ContactRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "contact"

    public var id: Int64?
    public var subjectId: Int64
    public var date: CalendarDate
    public var method: ContactMethod
    public var outcome: ContactOutcome
    public var visitId: Int64?
    public var note: String?
    public var recordedAt: String

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let date = Column(CodingKeys.date)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `consent` (SPEC §11).
public struct ConsentRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "consent"

    public var id: Int64?
    public var subjectId: Int64
    public var date: CalendarDate
    public var giver: ConsentGiver
    public var form: String?
    public var recordedAt: String

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let date = Column(CodingKeys.date)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
