import LTFUCore
import LTFUWire

/// What the sponsor's data set (SPEC §14) is made from: one enrolled subject as the daemon holds
/// it. The birth date is here only so that DM can give `AGE`; no domain writes it (SPEC §5).
public struct SponsorSubject: Sendable, Hashable {
    /// A safety event (SPEC §10) with its note, which only `--include-text` exports.
    public struct Event: Sendable, Hashable {
        public var kind: SafetyEventKind
        public var on: CalendarDate
        public var related: Relatedness
        public var note: String?

        public init(kind: SafetyEventKind, on: CalendarDate, related: Relatedness, note: String?) {
            self.kind = kind
            self.on = on
            self.related = related
            self.note = note
        }
    }

    public var code: String
    public var productId: String
    /// The product's name as the subject was enrolled with it (SPEC §3: a subject keeps it).
    public var productName: String
    public var birthDate: CalendarDate?
    /// Every infusion, oldest first.
    public var infusions: [CalendarDate]
    /// In date order.
    public var consents: [ConsentEntry]
    public var endReason: EndReason?
    public var endedOn: CalendarDate?
    /// In date order.
    public var events: [Event]
    /// Every visit of every series, as `show` gives them (miss reasons and notes included).
    public var visits: [ShowResponse.Visit]

    public init(code: String, productId: String, productName: String, birthDate: CalendarDate?, infusions: [CalendarDate],
                consents: [ConsentEntry], endReason: EndReason?, endedOn: CalendarDate?, events: [Event], visits: [ShowResponse.Visit])
    {
        self.code = code
        self.productId = productId
        self.productName = productName
        self.birthDate = birthDate
        self.infusions = infusions.sorted()
        self.consents = consents
        self.endReason = endReason
        self.endedOn = endedOn
        self.events = events
        self.visits = visits
    }

    /// The first infusion: SDTM's reference start (`RFSTDTC`), from which study days count.
    public var firstInfusion: CalendarDate? { infusions.first }
}

/// The study a site's data set belongs to, and what every domain shares.
public struct SponsorStudy: Sendable, Hashable {
    public var study: String
    public var site: String
    /// ISO 3166-1 alpha-3 (`[site] country`).
    public var country: String
    /// Free text (miss reasons, notes) only when asked for (SPEC §12, §14).
    public var includeText: Bool

    public init(study: String, site: String, country: String, includeText: Bool) {
        self.study = study
        self.site = site
        self.country = country
        self.includeText = includeText
    }

    /// SDTMIG 3.4 DM `USUBJID` ("unique subject identifier … across all studies", and SPEC §12):
    /// ltfu makes it `STUDYID-SITEID-SUBJID`, which holds because a subject code is
    /// unique within its site and a site id within its study.
    public func usubjid(_ code: String) -> String { "\(study)-\(site)-\(code)" }
}

/// SDTMIG 3.4 §4.4.4: the study day of a date counts from the reference start (`RFSTDTC`, here
/// the first infusion), which is Day 1; the day before it is Day -1, and there is no Day 0.
public enum StudyDay {
    public static func of(_ date: CalendarDate, from reference: CalendarDate) -> Int {
        let days = date.dayNumber - reference.dayNumber
        return days >= 0 ? days + 1 : days
    }
}

extension Array where Element == [SDTMDataset.Value?] {
    /// Sorted by the domain's key variables (positions in `keys`), then by every other value, so
    /// the order is total and an unchanged database always gives the same file. Null sorts first
    /// and numbers by value, as SAS sorts them.
    func sorted(byKeys keys: [Int]) -> Self {
        let order = keys + (0..<(first?.count ?? 0)).filter { !keys.contains($0) }
        return sorted { a, b in
            for column in order where a[column] != b[column] {
                switch (a[column], b[column]) {
                case (nil, _): return true
                case (_, nil): return false
                case (.number(let x)?, .number(let y)?): return x < y
                case (let x?, let y?): return x.description < y.description
                }
            }
            return false
        }
    }

    /// SDTMIG 3.4 `--SEQ` ("sequence number given to ensure uniqueness of subject records within
    /// a domain"): ltfu counts 1, 2, … per subject in the domain's key order, so it is stable between
    /// exports of the same data. `subjectColumn` and `sequenceColumn` are variable positions.
    func numberedPerSubject(subjectColumn: Int, sequenceColumn: Int) -> Self {
        var counts: [String: Int] = [:]
        return map { row in
            var row = row
            let subject = row[subjectColumn]?.description ?? ""
            counts[subject, default: 0] += 1
            row[sequenceColumn] = .number(counts[subject] ?? 1)
            return row
        }
    }
}
