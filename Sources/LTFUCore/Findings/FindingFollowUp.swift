import LTFUL10n

/// What a finding or a run of failed contacts set off (SPEC §10, §11), as a notification's
/// `detail` says it. The words are stored in English with the notification, and the signals
/// API shows them as they are; a Chinese site's messages and mail read them back
/// (``init(words:)``) and say the same in Chinese (``translate(_:_:)``). The one place that
/// writes these words and the one that reads them.
public enum FindingFollowUp: Sendable, Hashable {
    /// A death ended follow-up.
    case followUpEnded
    /// SPEC §10: an unscheduled visit was added (RCL confirmation, integration site analysis, …).
    case visitPlanned(purpose: VisitPurpose, visit: String, window: VisitWindow)
    /// FDA RCR/RCL testing guidance: after a first-year finding, later archives become tests;
    /// `why` adds the rule's reason (the schedule-changed notice says it).
    case archivesBecomeTests(visits: [String], why: Bool)
    /// SPEC §11's retention rule: `count` failed attempts from `first` to `last`.
    case failedContacts(count: Int, first: CalendarDate, last: CalendarDate, sinceContact: CalendarDate?)

    public func words(_ tr: Localizer) -> String {
        switch self {
        case .followUpEnded:
            return tr("follow-up ended")
        case .visitPlanned(let purpose, let visit, let window):
            return tr("{purpose} visit {visit} planned, window {open} to {close}", [
                "purpose": purpose.label(tr), "visit": visit, "open": window.open.description, "close": window.close.description,
            ])
        case .archivesBecomeTests(let visits, let why):
            let changed = tr("rcl-archive becomes rcl-test at {visits}", ["visits": visits.joined(separator: ", ")])
            return why ? changed + tr(" (FDA RCR: archive only after a negative first year)") : changed
        case .failedContacts(let count, let first, let last, let since):
            return tr("{count} failed contact attempts from {first} to {last}", [
                "count": String(count), "first": first.description, "last": last.description,
            ]) + (since.map { tr(" since the last contact on {date}", ["date": $0.description]) } ?? "")
        }
    }

    /// Several follow-ups, as one `detail`.
    public static func words(_ followUps: [FindingFollowUp], _ tr: Localizer = Localizer(.english)) -> String? {
        followUps.isEmpty ? nil : followUps.map { $0.words(tr) }.joined(separator: "; ")
    }

    /// A stored English `detail` in `tr`'s language; a part it does not know stays as it is.
    public static func translate(_ detail: String, _ tr: Localizer) -> String {
        guard tr.language != .english else { return detail }
        return detail.components(separatedBy: "; ").map { FindingFollowUp(words: $0)?.words(tr) ?? $0 }.joined(separator: "; ")
    }

    /// Reads back what ``words(_:)`` wrote in English.
    public init?(words text: String) {
        if text == "follow-up ended" {
            self = .followUpEnded
            return
        }
        let date = #"(\d{4}-\d{2}-\d{2})"#
        if let planned = try? Regex(#"([a-z-]+) visit (\S+) planned, window "# + date + " to " + date), let match = text.wholeMatch(of: planned),
           let purpose = VisitPurpose(rawValue: String(match.output[1].substring ?? "")),
           let open = match.output[3].substring.flatMap({ try? CalendarDate(parsing: String($0)) }),
           let close = match.output[4].substring.flatMap({ try? CalendarDate(parsing: String($0)) })
        {
            self = .visitPlanned(purpose: purpose, visit: String(match.output[2].substring ?? ""), window: VisitWindow(open: open, close: close))
            return
        }
        let reason = " (FDA RCR: archive only after a negative first year)"
        let archives = text.hasSuffix(reason) ? String(text.dropLast(reason.count)) : text
        if archives.hasPrefix("rcl-archive becomes rcl-test at ") {
            let visits = archives.dropFirst("rcl-archive becomes rcl-test at ".count).components(separatedBy: ", ")
            self = .archivesBecomeTests(visits: visits, why: archives != text)
            return
        }
        if let failed = try? Regex(#"(\d+) failed contact attempts from "# + date + " to " + date + #"(?: since the last contact on "# + date + ")?"),
           let match = text.wholeMatch(of: failed),
           let count = match.output[1].substring.flatMap({ Int($0) }),
           let first = match.output[2].substring.flatMap({ try? CalendarDate(parsing: String($0)) }),
           let last = match.output[3].substring.flatMap({ try? CalendarDate(parsing: String($0)) })
        {
            let since = match.output[4].substring.flatMap { try? CalendarDate(parsing: String($0)) }
            self = .failedContacts(count: count, first: first, last: last, sinceContact: since)
            return
        }
        return nil
    }
}
