import Foundation
import GRDB
import LTFUCore

/// A row of `subject`: one treated subject, with the product and tier it was enrolled with.
public struct SubjectRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "subject"

    public var id: Int64?
    public var code: String
    public var productId: String
    /// The product at enrollment, as JSON.
    public var product: String
    public var tier: RiskTier
    public var tierRationale: String
    public var tierOverride: Bool
    public var birthDate: CalendarDate?
    public var status: SubjectStatus
    public var endReason: EndReason?
    public var endedOn: CalendarDate?
    /// ISO 8601 timestamp.
    public var enrolledAt: String
    /// SPEC §11: the latest infusion, done visit or reached contact.
    public var lastContact: CalendarDate? = nil

    public enum Columns {
        public static let code = Column(CodingKeys.code)
        public static let tier = Column(CodingKeys.tier)
        public static let status = Column(CodingKeys.status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The product snapshot, decoded.
    public var productSnapshot: Product? {
        try? JSONDecoder().decode(Product.self, from: Data(product.utf8))
    }
}

/// A row of `infusion`.
public struct InfusionRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "infusion"

    public var id: Int64?
    public var subjectId: Int64
    public var date: CalendarDate

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let date = Column(CodingKeys.date)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `series`: one calendar from one day 0.
public struct SeriesRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "series"

    public var id: Int64?
    public var subjectId: Int64
    public var number: Int
    public var dayZero: CalendarDate
    public var followUpEnds: CalendarDate
    public var pediatric: Bool
    public var ageKnown: Bool
    public var templateId: String

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let number = Column(CodingKeys.number)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
