import Crypto
import Foundation
import GRDB
import LTFUCore

/// What became of a notification.
public enum NotificationState: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
    /// Recorded, not yet emitted (or emitted but not yet marked: it is emitted again, once).
    case pending
    case emitted
    /// Due during downtime but older than a newer event of the same visit (SPEC §6 catch-up).
    case superseded
}

extension NotificationKind: DatabaseValueConvertible {}

/// A row of `notification`.
public struct NotificationRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "notification"

    public var id: String
    public var kind: NotificationKind
    public var subjectId: Int64
    public var visitId: Int64?
    public var date: CalendarDate
    public var state: NotificationState
    public var fireOn: CalendarDate
    public var createdAt: String
    public var emittedAt: String?

    /// The stable id: the first 128 bits of SHA-256 over subject, series, visit, kind and date,
    /// in hex, so the same event always gets the same id (and mail the same Message-ID).
    public static func id(subject: String, series: Int, visit: String?, kind: NotificationKind, date: CalendarDate) -> String {
        let key = [subject, String(series), visit ?? "-", kind.rawValue, date.description].joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(key.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// A notification with everything needed to emit it (codes, dates, tier; never free text).
public struct NotificationDetail: Sendable, Hashable, FetchableRecord, Decodable {
    public var id: String
    public var kind: NotificationKind
    public var state: NotificationState
    public var subject: String
    public var tier: RiskTier
    public var visit: String?
    public var target: CalendarDate?
    public var windowOpen: CalendarDate?
    public var windowClose: CalendarDate?
    public var date: CalendarDate
    public var fireOn: CalendarDate
    public var emittedAt: String?
    public var endReason: EndReason?
    /// The visit's assessment codes, comma-separated (what is due).
    public var assessments: String?

    public init(id: String, kind: NotificationKind, state: NotificationState, subject: String, tier: RiskTier, visit: String?,
                target: CalendarDate?, windowOpen: CalendarDate?, windowClose: CalendarDate?, date: CalendarDate,
                fireOn: CalendarDate, emittedAt: String?, endReason: EndReason?, assessments: String?)
    {
        self.id = id
        self.kind = kind
        self.state = state
        self.subject = subject
        self.tier = tier
        self.visit = visit
        self.target = target
        self.windowOpen = windowOpen
        self.windowClose = windowClose
        self.date = date
        self.fireOn = fireOn
        self.emittedAt = emittedAt
        self.endReason = endReason
        self.assessments = assessments
    }

    public var window: VisitWindow? {
        guard let windowOpen, let windowClose else { return nil }
        return VisitWindow(open: windowOpen, close: windowClose)
    }

    public var message: String {
        NotificationMessage.render(kind: kind, subject: subject, visit: visit, window: window, target: target, date: date,
                                   endReason: endReason)
    }

    static let selection = """
        SELECT notification.id, notification.kind, notification.state, subject.code AS subject, subject.tier,
               visit.code AS visit, visit.target, visit.windowOpen, visit.windowClose, notification.date,
               notification.fireOn, notification.emittedAt, subject.endReason, visit.assessments
        FROM notification
        JOIN subject ON subject.id = notification.subjectId
        LEFT JOIN visit ON visit.id = notification.visitId
        """
}
