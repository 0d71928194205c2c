import GRDB
import LTFUCore

// Domain values stored as plain TEXT, so the database stays readable with the sqlite3 shell
// and dates sort as text (`YYYY-MM-DD`).

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(dbValue).flatMap(CalendarDate.init(iso:))
    }
}

extension RiskTier: DatabaseValueConvertible {}
extension VisitMode: DatabaseValueConvertible {}
extension VisitState: DatabaseValueConvertible {}
extension EndReason: DatabaseValueConvertible {}
extension SubjectStatus: DatabaseValueConvertible {}
