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

    /// syslog priority: info 6, notice 5, warning 4, err 3.
    public var priority: Int {
        switch self {
        case .upcoming: 6
        case .windowOpen, .closing, .subjectEnded: 5
        case .overdue: 4
        case .escalation: 3
        }
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
        }
    }

    /// Fires at most once per visit (SPEC §6); only `escalation` repeats. The store keeps
    /// to this even when a reload of `[notify]` moves an event to another date.
    public var isOncePerVisit: Bool {
        switch self {
        case .upcoming, .windowOpen, .closing, .overdue: true
        case .escalation, .subjectEnded: false
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
