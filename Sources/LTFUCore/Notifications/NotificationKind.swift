/// The kinds of notification, when each fires and how loud it is (SPEC §6). The one place
/// that holds the journald priority and `MESSAGE_ID` of each kind; `systemd/ltfu.catalog`
/// explains the same ids.
public enum NotificationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `upcoming_days` before the window opens.
    case upcoming
    /// The day the window opens.
    case windowOpen = "window-open"
    /// `closing_days` before the window closes, if that is after it opens.
    case closing
    /// The day after the window closes with nothing recorded.
    case overdue
    /// Every `escalate_every_days` after `overdue`, while unresolved.
    case escalation
    /// A subject's follow-up was ended.
    case subjectEnded = "subject-ended"
    /// SPEC §10: a finding or event raised a signal; repeats until acknowledged.
    case safetySignal = "safety-signal"
    /// SPEC §10: a signal not yet acknowledged, again, every day at the notify time.
    case safetyEscalation = "safety-escalation"
    /// SPEC §10: a product's stopping rule was met.
    case stoppingRule = "stopping-rule"
    /// SPEC §10: a finding changed the subject's schedule (RCL archives became tests).
    case scheduleChanged = "schedule-changed"
    /// SPEC §11: failed contact attempts while a visit is overdue: the subject may be lost.
    case retentionRisk = "retention-risk"

    /// syslog priority: alert 1, crit 2, err 3, warning 4, notice 5, info 6. A confirmed RCL
    /// signal is alert rather than crit: see ``SignalKind/priority``.
    public var priority: Int {
        switch self {
        case .upcoming: 6
        case .windowOpen, .closing, .subjectEnded, .scheduleChanged: 5
        case .overdue, .retentionRisk: 4
        case .escalation: 3
        case .safetySignal, .safetyEscalation: 2
        case .stoppingRule: 1
        }
    }

    /// The priority of one notification of this kind, raising the signal it carries.
    public func priority(signal: SignalKind?) -> Int {
        min(priority, signal?.priority ?? priority)
    }

    /// The journal `MESSAGE_ID` (128-bit, as `journalctl --new-id128` makes them).
    public var messageID: String {
        switch self {
        case .upcoming: "8f2b1f0e6c1a4d55a3a0c1d2e3f40101"
        case .windowOpen: "8f2b1f0e6c1a4d55a3a0c1d2e3f40102"
        case .closing: "8f2b1f0e6c1a4d55a3a0c1d2e3f40103"
        case .overdue: "8f2b1f0e6c1a4d55a3a0c1d2e3f40104"
        case .escalation: "8f2b1f0e6c1a4d55a3a0c1d2e3f40105"
        case .subjectEnded: "8f2b1f0e6c1a4d55a3a0c1d2e3f40106"
        case .safetySignal: "8f2b1f0e6c1a4d55a3a0c1d2e3f40107"
        case .safetyEscalation: "8f2b1f0e6c1a4d55a3a0c1d2e3f40108"
        case .stoppingRule: "8f2b1f0e6c1a4d55a3a0c1d2e3f40109"
        case .scheduleChanged: "8f2b1f0e6c1a4d55a3a0c1d2e3f4010a"
        case .retentionRisk: "8f2b1f0e6c1a4d55a3a0c1d2e3f4010b"
        }
    }

    /// A person must acknowledge it (`ltfuctl ack`); until then it escalates every day.
    public var needsAcknowledgement: Bool { self == .safetySignal || self == .stoppingRule }

    /// SPEC §10: "a safety finding never waits": mailed at once as a message of its own,
    /// even in digest mode.
    public var isMailedAtOnce: Bool {
        switch self {
        case .safetySignal, .safetyEscalation, .stoppingRule: true
        default: false
        }
    }

    /// Fires at most once per visit (SPEC §6); only `escalation` repeats. The store keeps
    /// to this even when a reload of `[notify]` moves an event to another date.
    public var isOncePerVisit: Bool {
        switch self {
        case .upcoming, .windowOpen, .closing, .overdue: true
        case .escalation, .subjectEnded, .safetySignal, .safetyEscalation, .stoppingRule, .scheduleChanged, .retentionRisk: false
        }
    }

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The `[notify]` settings the planner needs (SPEC §9 defaults).
public struct NotifySettings: Sendable, Hashable {
    public var upcomingDays: Int
    public var closingDays: Int
    public var escalateEveryDays: Int

    public init(upcomingDays: Int = 14, closingDays: Int = 7, escalateEveryDays: Int = 30) {
        self.upcomingDays = upcomingDays
        self.closingDays = closingDays
        self.escalateEveryDays = max(1, escalateEveryDays)
    }
}
