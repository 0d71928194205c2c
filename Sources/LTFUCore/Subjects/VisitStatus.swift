/// What has happened to a visit, as stored.
public enum VisitState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet resolved: upcoming, due or overdue depending on the day.
    case open
    case done
    case missed
    /// Closed without an outcome: the subject ended, or a new infusion replaced the series.
    case cancelled
}

/// A visit's status as shown to coordinators (SPEC §8 `show`), for the site's local today.
public enum VisitStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case upcoming, due, overdue, done, missed, cancelled

    /// An open visit is `upcoming` before its window, `due` inside it and `overdue` after it,
    /// until someone records what happened (so a subject enrolled late has overdue visits).
    public init(state: VisitState, window: VisitWindow, today: CalendarDate) {
        switch state {
        case .done: self = .done
        case .missed: self = .missed
        case .cancelled: self = .cancelled
        case .open:
            if today < window.open { self = .upcoming } else if today <= window.close { self = .due } else { self = .overdue }
        }
    }
}

/// Why a subject's follow-up ended (SPEC §5).
public enum EndReason: String, Sendable, Hashable, Codable, CaseIterable {
    case death
    case withdrawn
    case lostToFollowUp = "lost-to-follow-up"
    case transferred

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Whether a subject is still followed.
public enum SubjectStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, ended
}
