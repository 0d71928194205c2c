import Crypto
import Foundation
import GRDB
import LTFUCore
import LTFUL10n

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
    // SPEC §10: what a safety notification is about.
    public var signal: SignalKind? = nil
    public var assessment: Assessment? = nil
    public var value: String? = nil
    public var eventKind: SafetyEventKind? = nil
    public var related: Relatedness? = nil
    public var product: String? = nil
    public var rule: StoppingRule? = nil
    public var count: Int? = nil
    public var threshold: Int? = nil
    public var detail: String? = nil
    public var signalId: String? = nil
    public var acknowledgedAt: String? = nil
    public var acknowledgedBy: String? = nil

    /// The stable id: the first 128 bits of SHA-256 over subject, series, visit, kind and date,
    /// in hex, so the same event always gets the same id (and mail the same Message-ID).
    public static func id(subject: String, series: Int, visit: String?, kind: NotificationKind, date: CalendarDate) -> String {
        id(parts: [subject, String(series), visit ?? "-", kind.rawValue, date.description])
    }

    /// The same, over any parts that name one notification for ever.
    public static func id(parts: [String]) -> String {
        let key = parts.joined(separator: "\u{1F}")
        // Hex by table, not `String(format:)`: a first pass over 100,000 subjects makes
        // hundreds of thousands of ids (issue #15).
        var hex = [UInt8]()
        hex.reserveCapacity(32)
        for byte in SHA256.hash(data: Data(key.utf8)).prefix(16) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The facts of a finding the row carries.
    var finding: NotificationFinding {
        NotificationFinding(signal: signal, assessment: assessment, value: value, eventKind: eventKind, related: related,
                            product: product, rule: rule, count: count, threshold: threshold, detail: detail, signalId: signalId)
    }

    /// Copies the facts of a finding onto the row.
    mutating func carry(_ finding: NotificationFinding) {
        signal = finding.signal
        assessment = finding.assessment
        value = finding.value
        eventKind = finding.eventKind
        related = finding.related
        product = finding.product
        rule = finding.rule
        count = finding.count
        threshold = finding.threshold
        detail = finding.detail
        signalId = finding.signalId
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
    /// The visit's assessments (what is due).
    public var assessments: StoredAssessments?
    /// The visit's purpose, when it is unscheduled.
    public var purpose: VisitPurpose? = nil
    public var signal: SignalKind? = nil
    public var assessment: Assessment? = nil
    public var value: String? = nil
    public var eventKind: SafetyEventKind? = nil
    public var related: Relatedness? = nil
    public var product: String? = nil
    public var rule: StoppingRule? = nil
    public var count: Int? = nil
    public var threshold: Int? = nil
    public var detail: String? = nil
    public var signalId: String? = nil
    /// For an escalation: the day its signal was raised.
    public var raisedOn: CalendarDate? = nil
    public var acknowledgedAt: String? = nil
    public var acknowledgedBy: String? = nil
    /// The mail that carries it, once one does (its own, a digest or a catch-up summary).
    public var mailId: String? = nil

    public init(id: String, kind: NotificationKind, state: NotificationState, subject: String, tier: RiskTier, visit: String?,
                target: CalendarDate?, windowOpen: CalendarDate?, windowClose: CalendarDate?, date: CalendarDate,
                fireOn: CalendarDate, emittedAt: String?, endReason: EndReason?, assessments: StoredAssessments?)
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

    /// The safety facts it carries, if any.
    public var finding: NotificationFinding? {
        guard signal != nil || rule != nil || detail != nil || signalId != nil else { return nil }
        return NotificationFinding(signal: signal, assessment: assessment, value: value, eventKind: eventKind, related: related,
                                   product: product, rule: rule, count: count, threshold: threshold, detail: detail,
                                   raisedOn: raisedOn, signalId: signalId)
    }

    public var message: String { message(in: .english) }

    /// Issue #22: the sentence in the site's language.
    public func message(in language: Language) -> String {
        NotificationMessage.render(kind: kind, subject: subject, visit: visit, window: window, target: target, date: date,
                                   endReason: endReason, purpose: purpose, finding: finding, language: language)
    }

    /// The journald priority of this one notification (a confirmed RCL raises it to alert).
    public var priority: Int { kind.priority(signal: signal) }

    static let selection = """
        SELECT notification.id, notification.kind, notification.state, subject.code AS subject, subject.tier,
               visit.code AS visit, visit.target, visit.windowOpen, visit.windowClose, notification.date,
               notification.fireOn, notification.emittedAt, subject.endReason, visit.assessments, visit.purpose,
               notification.signal, notification.assessment, notification.value, notification.eventKind,
               notification.related, notification.product, notification.rule, notification.count,
               notification.threshold, notification.detail, notification.signalId, raised.fireOn AS raisedOn,
               notification.acknowledgedAt, notification.acknowledgedBy, notification.mailId
        FROM notification
        JOIN subject ON subject.id = notification.subjectId
        LEFT JOIN visit ON visit.id = notification.visitId
        LEFT JOIN notification AS raised ON raised.id = notification.signalId
        """
}
