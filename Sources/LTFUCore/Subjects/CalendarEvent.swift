/// A visit as the calendar feed shows it (SPEC §12), read by the store and written as
/// iCalendar by LTFUFormats.
/// No birth date and no note: a calendar travels to phones and shared accounts.
public struct CalendarEvent: Sendable, Hashable {
    public var subject: String
    public var tier: RiskTier
    public var visit: String
    /// Why an unscheduled visit `U<n>` was added; `nil` for planned visits.
    public var purpose: VisitPurpose?
    public var windowOpen: CalendarDate
    public var windowClose: CalendarDate
    public var state: VisitState
    public var doneOn: CalendarDate?
    /// The visit's UUID, kept for ever.
    public var uid: String
    /// Raised on every change of the visit.
    public var sequence: Int

    public init(subject: String, tier: RiskTier, visit: String, purpose: VisitPurpose?, windowOpen: CalendarDate, windowClose: CalendarDate,
                state: VisitState, doneOn: CalendarDate?, uid: String, sequence: Int)
    {
        self.subject = subject
        self.tier = tier
        self.visit = visit
        self.purpose = purpose
        self.windowOpen = windowOpen
        self.windowClose = windowClose
        self.state = state
        self.doneOn = doneOn
        self.uid = uid
        self.sequence = sequence
    }
}
