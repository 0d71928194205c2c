/// When a visit's notifications fire (SPEC §6), as pure date arithmetic. Nothing fires for
/// a visit once it is done, missed or cancelled: callers only ask about open visits.
public struct NotificationPlanner: Sendable {
    public var settings: NotifySettings

    public init(settings: NotifySettings) {
        self.settings = settings
    }

    /// One notification of a visit, on a date.
    public struct Event: Sendable, Hashable {
        public var kind: NotificationKind
        public var date: CalendarDate

        public init(_ kind: NotificationKind, _ date: CalendarDate) {
            self.kind = kind
            self.date = date
        }
    }

    /// How many days before its window opens a visit's first event falls (SPEC §6):
    /// `upcoming` comes `upcoming_days` before the opening; with `upcoming_days` = 0 it would
    /// coincide with the opening, so there is none and `window-open` comes first. Every other
    /// event falls on or after the opening (the window never closes before it opens), so a
    /// visit whose window opens more than this many days after a day has nothing due by that
    /// day, and its next event is this one. The store fast-forwards never-planned visits by
    /// this rule in SQL (issue #15), so it is kept here, once.
    public var firstEventLeadDays: Int { max(0, settings.upcomingDays) }

    /// The fixed events of a window, in date order: `upcoming`, `window-open`, `closing`
    /// (only when it falls after the opening day), `overdue`. Escalations follow `overdue`
    /// without end; see ``events(for:after:through:)``.
    public func fixedEvents(for window: VisitWindow) -> [Event] {
        var events: [Event] = []
        if firstEventLeadDays > 0 { events.append(Event(.upcoming, window.open.adding(days: -firstEventLeadDays))) }
        events.append(Event(.windowOpen, window.open))
        let closing = window.close.adding(days: -settings.closingDays)
        if settings.closingDays > 0, closing > window.open { events.append(Event(.closing, closing)) }
        events.append(Event(.overdue, overdueDate(window)))
        return events
    }

    public func overdueDate(_ window: VisitWindow) -> CalendarDate { window.close.adding(days: 1) }

    /// Every event with `after < date <= through` (or `date <= through` when `after` is nil).
    public func events(for window: VisitWindow, after: CalendarDate?, through: CalendarDate) -> [Event] {
        var events = fixedEvents(for: window).filter { event in event.date <= through && (after.map { event.date > $0 } ?? true) }
        let overdue = overdueDate(window)
        // Escalation k falls on overdue + k·every; start at the first one after `after`.
        let step = settings.escalateEveryDays
        var k = 1
        if let after, after > overdue { k = max(1, overdue.days(until: after) / step + 1) }
        while true {
            let date = overdue.adding(days: k * step)
            if date > through { break }
            if after.map({ date > $0 }) ?? true { events.append(Event(.escalation, date)) }
            k += 1
        }
        return events
    }

    /// The first event after `day`: when to look at this visit next.
    public func nextEvent(for window: VisitWindow, after day: CalendarDate?) -> Event {
        if let first = fixedEvents(for: window).first(where: { event in day.map { event.date > $0 } ?? true }) {
            return first
        }
        let overdue = overdueDate(window)
        let step = settings.escalateEveryDays
        let k = day.map { max(1, overdue.days(until: $0) / step + 1) } ?? 1
        return Event(.escalation, overdue.adding(days: k * step))
    }

    /// SPEC §6 catch-up: of the events due by `through`, only the newest is emitted; the
    /// older fixed events are recorded as superseded. Escalations are not counted out one by
    /// one: only the newest can be due, so a visit overdue for decades (a mistyped year) costs
    /// no more than one overdue since yesterday.
    public func catchUp(for window: VisitWindow, after: CalendarDate?, through: CalendarDate)
        -> (emit: Event?, superseded: [Event], next: Event)
    {
        var due = fixedEvents(for: window).filter { event in event.date <= through && (after.map { event.date > $0 } ?? true) }
        if let escalation = latestEscalation(for: window, through: through), after.map({ escalation.date > $0 }) ?? true {
            due.append(escalation)
        }
        return (due.last, Array(due.dropLast()), nextEvent(for: window, after: through))
    }

    /// The newest escalation on or before `through`, by arithmetic.
    func latestEscalation(for window: VisitWindow, through: CalendarDate) -> Event? {
        let overdue = overdueDate(window)
        let k = overdue.days(until: through) / settings.escalateEveryDays
        return k >= 1 ? Event(.escalation, overdue.adding(days: k * settings.escalateEveryDays)) : nil
    }
}
