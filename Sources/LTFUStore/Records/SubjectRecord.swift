import Foundation
import GRDB
import LTFUCore

/// A row of `subject`: one treated subject, with the product and tier it was enrolled with.
public struct SubjectRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "subject"

    public var id: Int64?
    public var code: String
    public var productId: String
    /// The product as it was at enrollment, with the tier's rationale (``ProductVersionRecord``).
    public var productVersionId: Int64
    public var tier: RiskTier
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
}

/// A row of `productVersion` (schema v12): a product as subjects were enrolled with it, once
/// per distinct snapshot. SPEC §3: a subject keeps the product and tier it was enrolled with,
/// whatever the catalog says later.
public struct ProductVersionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "productVersion"

    public var id: Int64?
    public var productId: String
    /// The product, as JSON.
    public var snapshot: String
    public var tierRationale: String

    /// The product a subject was enrolled with.
    static func product(_ db: Database, id: Int64, subject: String) throws -> Product {
        let snapshot = try String.fetchOne(db.cachedStatement(sql: "SELECT snapshot FROM productVersion WHERE id = ?"), arguments: [id])
        guard let snapshot, let product = try? JSONDecoder().decode(Product.self, from: Data(snapshot.utf8)) else {
            throw LTFUError(.internal, code: "database-error", "the product snapshot of subject `{subject}` cannot be read", ["subject": subject])
        }
        return product
    }

    /// The id of the row holding this snapshot and rationale, written the first time it is seen.
    static func id(_ db: Database, product: Product, tierRationale: String) throws -> Int64 {
        // The encoder enrollment always used, so a product unchanged since a migrated snapshot
        // matches it (synthesized Codable writes the keys in declaration order).
        let snapshot = String(decoding: try JSONEncoder().encode(product), as: UTF8.self)
        let find = try db.cachedStatement(sql: "SELECT id FROM productVersion WHERE snapshot = ? AND tierRationale = ?")
        if let id = try Int64.fetchOne(find, arguments: [snapshot, tierRationale]) { return id }
        try db.cachedStatement(sql: "INSERT INTO productVersion (productId, snapshot, tierRationale) VALUES (?, ?, ?)")
            .execute(arguments: [product.id, snapshot, tierRationale])
        return db.lastInsertedRowID
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
