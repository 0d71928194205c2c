import GRDB
import LTFUCore

/// A row of `visit`: one planned visit and what became of it.
public struct VisitRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "visit"

    public var id: Int64?
    public var subjectId: Int64
    public var seriesId: Int64
    public var code: String
    public var month: Int
    public var target: CalendarDate
    public var windowOpen: CalendarDate
    public var windowClose: CalendarDate
    public var mode: VisitMode
    /// Assessment codes, comma-separated (stored as letters: ``StoredAssessments``).
    public var assessments: String
    public var state: VisitState
    public var doneOn: CalendarDate?
    public var deviation: Bool
    public var missReason: String?
    public var note: String?
    public var cancelReason: String?
    public var resolvedAt: String?
    /// Why an unscheduled visit `U<n>` was added; `nil` for planned visits.
    public var purpose: VisitPurpose?

    public enum Columns {
        public static let subjectId = Column(CodingKeys.subjectId)
        public static let seriesId = Column(CodingKeys.seriesId)
        public static let code = Column(CodingKeys.code)
        public static let state = Column(CodingKeys.state)
        public static let target = Column(CodingKeys.target)
        public static let windowOpen = Column(CodingKeys.windowOpen)
        public static let windowClose = Column(CodingKeys.windowClose)
        public static let purpose = Column(CodingKeys.purpose)
    }

    init(subjectId: Int64, seriesId: Int64, planned: PlannedVisit) {
        self.subjectId = subjectId
        self.seriesId = seriesId
        code = planned.code
        month = planned.month
        target = planned.target
        windowOpen = planned.window.open
        windowClose = planned.window.close
        mode = planned.mode
        assessments = planned.assessments.map(\.rawValue).joined(separator: ",")
        state = .open
        deviation = false
    }

    /// An unscheduled visit `U<number>` added by a safety rule (SPEC §10).
    init(subjectId: Int64, seriesId: Int64, number: Int, unscheduled: UnscheduledVisit) {
        self.subjectId = subjectId
        self.seriesId = seriesId
        code = UnscheduledVisit.code(number)
        month = UnscheduledVisit.visitNumber(number)
        target = unscheduled.target
        windowOpen = unscheduled.window.open
        windowClose = unscheduled.window.close
        mode = unscheduled.mode
        assessments = unscheduled.assessments.map(\.rawValue).joined(separator: ",")
        state = .open
        deviation = false
        purpose = unscheduled.purpose
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    // Column by column rather than through Codable: a plan inserts tens of visits, an import
    // millions, and GRDB's Codable path was most of the time (issue #11's benchmark). The
    // `uid` (only visits from before schema v12 have one) and `sequence` are never written here.
    // Decoding throws on a value the columns' CHECKs would not allow, as Codable did.

    /// Inserts through one cached statement: the way every planned visit is written.
    mutating func insertPlanned(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO visit (subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments, state, doneOn,
                               deviation, missReason, note, cancelReason, resolvedAt, purpose)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [subjectId, seriesId, code, month, target, windowOpen, windowClose, mode,
                                          StoredAssessments(names: assessments), state,
                                          doneOn, deviation, missReason, note, cancelReason, resolvedAt, purpose])
        id = db.lastInsertedRowID
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        subjectId = try row.decode(forColumn: "subjectId")
        seriesId = try row.decode(forColumn: "seriesId")
        code = try row.decode(forColumn: "code")
        month = try row.decode(forColumn: "month")
        target = try row.decode(forColumn: "target")
        windowOpen = try row.decode(forColumn: "windowOpen")
        windowClose = try row.decode(forColumn: "windowClose")
        mode = try row.decode(forColumn: "mode")
        assessments = try row.decode(StoredAssessments.self, forColumn: "assessments").description
        state = try row.decode(forColumn: "state")
        doneOn = try row.decode(forColumn: "doneOn")
        deviation = try row.decode(forColumn: "deviation")
        missReason = try row.decode(forColumn: "missReason")
        note = try row.decode(forColumn: "note")
        cancelReason = try row.decode(forColumn: "cancelReason")
        resolvedAt = try row.decode(forColumn: "resolvedAt")
        purpose = try row.decode(forColumn: "purpose")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["subjectId"] = subjectId
        container["seriesId"] = seriesId
        container["code"] = code
        container["month"] = month
        container["target"] = target
        container["windowOpen"] = windowOpen
        container["windowClose"] = windowClose
        container["mode"] = mode
        container["assessments"] = StoredAssessments(names: assessments)
        container["state"] = state
        container["doneOn"] = doneOn
        container["deviation"] = deviation
        container["missReason"] = missReason
        container["note"] = note
        container["cancelReason"] = cancelReason
        container["resolvedAt"] = resolvedAt
        container["purpose"] = purpose
    }

    public var window: VisitWindow { VisitWindow(open: windowOpen, close: windowClose) }

    public var assessmentList: [Assessment] {
        assessments.split(separator: ",").compactMap { Assessment(rawValue: String($0)) }
    }

    public func status(today: CalendarDate) -> VisitStatus {
        VisitStatus(state: state, window: window, today: today)
    }
}
