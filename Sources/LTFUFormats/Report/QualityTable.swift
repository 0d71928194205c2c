import LTFUCore
import LTFUWire

/// SPEC §13's quality table: of the visits whose window has closed, how many were done in
/// their window, done late (or early), missed, or are still open, by follow-up year and product.
/// Cancelled visits (a re-infusion, an end) are nobody's miss and are left out.
public struct QualityTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var year: Int
        public var product: String
        public var inWindow = 0
        /// Done after the window closed.
        public var late = 0
        /// Done before the window opened.
        public var early = 0
        public var missed = 0
        public var open = 0

        public var total: Int { inWindow + late + early + missed + open }

        /// A share of ``total`` in percent, to one decimal; 0 when there is nothing.
        public func percent(_ count: Int) -> Double {
            total == 0 ? 0 : (Double(count) * 1000 / Double(total)).rounded() / 10
        }
    }

    private var byKey: [String: Row] = [:]

    /// Ordered by follow-up year, then product.
    public var rows: [Row] { byKey.values.sorted { ($0.year, $0.product) < ($1.year, $1.product) } }

    public init() {}

    public init(subjects: [ShowResponse], today: CalendarDate) {
        for shown in subjects { add(shown, today: today) }
    }

    /// Counts a subject's visits whose window closed before `today`.
    public mutating func add(_ shown: ShowResponse, today: CalendarDate) {
        for visit in shown.visits where visit.windowClose < today && visit.status != .cancelled {
            let year = Self.followUpYear(visit, dayZero: shown.subject.dayZero)
            let key = "\(year)\u{1F}\(shown.subject.product)"
            var row = byKey[key] ?? Row(year: year, product: shown.subject.product)
            switch visit.status {
            case .done:
                if let done = visit.doneOn, done > visit.windowClose { row.late += 1 }
                else if let done = visit.doneOn, done < visit.windowOpen { row.early += 1 }
                else { row.inWindow += 1 }
            case .missed: row.missed += 1
            default: row.open += 1
            }
            byKey[key] = row
        }
    }

    /// Year 1 holds M1 to M12, year 2 M13 to M24, …; an unscheduled visit counts in the year
    /// its target falls in after day 0.
    static func followUpYear(_ visit: ShowResponse.Visit, dayZero: CalendarDate?) -> Int {
        if visit.purpose == nil, let months = Int(visit.code.dropFirst()), visit.code.hasPrefix("M") {
            return max(1, (months + 11) / 12)
        }
        guard let dayZero else { return 1 }
        return max(1, dayZero.days(until: visit.target) / 365 + 1)
    }
}
