import LTFUCore
import LTFUWire

/// The geometry of a subject's follow-up as a line from the first infusion to the end of
/// follow-up (SPEC §13): pure arithmetic from dates to SVG x positions, tested with
/// hand-computed values; ``SubjectPage`` draws it.
public struct Timeline: Sendable, Hashable {
    public var start: CalendarDate
    public var end: CalendarDate
    /// The drawing's width, and the margins left for labels.
    public var width = 960.0
    public var left = 40.0
    public var right = 20.0

    public init(start: CalendarDate, end: CalendarDate) {
        self.start = start
        self.end = max(end, start.adding(days: 1))
    }

    /// From the first infusion to the last day any window or follow-up reaches.
    public init(subject shown: ShowResponse) {
        let first = shown.subject.infusions.min() ?? shown.subject.dayZero ?? shown.visits.map(\.windowOpen).min() ?? CalendarDate(dayNumber: 0)
        let last = ([shown.subject.followUpEnds].compactMap { $0 } + shown.visits.map(\.windowClose)).max() ?? first
        self.init(start: first, end: last)
    }

    /// The x of the start of `date`'s day.
    public func x(_ date: CalendarDate) -> Double {
        let span = Double(start.days(until: end))
        let offset = Double(start.days(until: date))
        return left + offset / span * (width - left - right)
    }

    /// A window's bar runs from the start of its first day to the end of its last.
    public func bar(_ window: VisitWindow) -> (x: Double, width: Double) {
        let x0 = x(window.open), x1 = x(window.close.adding(days: 1))
        return (x0, max(1, x1 - x0))
    }

    /// One tick a year after the first infusion, labelled with the year of follow-up.
    public var yearTicks: [(year: Int, x: Double)] {
        let years = start.days(until: end) / 365 + 1
        return (0...max(0, years)).compactMap { year in
            let date = start.adding(years: year)
            return date <= end ? (year, x(date)) : nil
        }
    }
}
