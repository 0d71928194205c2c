import LTFUCore
import LTFUL10n
import LTFUWire

/// Everything the site report shows, as the control API answers it (SPEC §13: the report is
/// made from the API, with no write path of its own).
public struct ReportInput: Sendable {
    public var status: StatusResponse
    /// Every signal and stopping rule, acknowledged or not.
    public var signals: [SignalEntry]
    public var overdue: [VisitDue]
    /// Open visits whose window is open or opens within 30 days.
    public var due: [VisitDue]
    public var subjects: [SubjectSummary]
    /// Every subject's `show`, in code order.
    public var shown: [ShowResponse]
    /// `retention-risk` notifications emitted.
    public var retentionRisks: [NotificationEntry]
    /// When the report was made, in the site's time zone (`YYYY-MM-DD HH:MM`).
    public var generatedAt: String
    /// SPEC §15: the language the pages are written in.
    public var language: Language

    public init(status: StatusResponse, signals: [SignalEntry], overdue: [VisitDue], due: [VisitDue], subjects: [SubjectSummary],
                shown: [ShowResponse], retentionRisks: [NotificationEntry], generatedAt: String, language: Language = .english)
    {
        self.language = language
        self.status = status
        self.signals = signals
        self.overdue = overdue
        self.due = due
        self.subjects = subjects
        self.shown = shown
        self.retentionRisks = retentionRisks
        self.generatedAt = generatedAt
    }

    public var today: CalendarDate { status.today }

    var tr: Localizer { Localizer(language) }
}

/// The files of the report, by path relative to its folder.
public enum SiteReport {
    public static func render(_ input: ReportInput) -> [String: String] {
        var files = [ReportStyle.fileName: ReportStyle.css, "index.html": IndexPage.render(input)]
        for shown in input.shown {
            files["subjects/\(shown.subject.code).html"] = SubjectPage.render(
                shown, signals: input.signals.filter { $0.subject == shown.subject.code }, today: input.today, site: input.status.site,
                language: input.language)
        }
        return files
    }

    /// A link to a subject's page from `index.html`.
    static func link(_ code: String, from folder: String = "subjects/") -> HTML.Cell {
        .raw("<a href=\"\(HTML.escape(folder + code)).html\">\(HTML.escape(code))</a>")
    }

    /// A visit's status as a word (never only a colour), in the page's language.
    static func status(_ status: VisitStatus, _ tr: Localizer) -> HTML.Cell {
        .raw("<span class=\"status status-\(status.rawValue)\">\(HTML.escape(status.label(tr)))</span>")
    }
}
