import LTFUCore
import LTFUL10n
import LTFUWire

/// Everything the site report shows but the subjects' own pages, as the control API answers
/// it, all read at one moment (SPEC §13: the report is made from the API, with no write path
/// of its own).
public struct ReportInput: Sendable {
    public var status: StatusResponse
    /// Every signal and stopping rule, acknowledged or not.
    public var signals: [SignalEntry]
    public var overdue: [VisitDue]
    /// Open visits whose window is open or opens within 30 days.
    public var due: [VisitDue]
    public var subjects: [SubjectSummary]
    /// `retention-risk` notifications emitted.
    public var retentionRisks: [NotificationEntry]
    /// When the report was made, in the site's time zone (`YYYY-MM-DD HH:MM`).
    public var generatedAt: String
    /// SPEC §15: the language the pages are written in.
    public var language: Language

    public init(status: StatusResponse, signals: [SignalEntry], overdue: [VisitDue], due: [VisitDue], subjects: [SubjectSummary],
                retentionRisks: [NotificationEntry], generatedAt: String, language: Language = .english)
    {
        self.language = language
        self.status = status
        self.signals = signals
        self.overdue = overdue
        self.due = due
        self.subjects = subjects
        self.retentionRisks = retentionRisks
        self.generatedAt = generatedAt
    }

    public var today: CalendarDate { status.today }

    var tr: Localizer { Localizer(language) }
}

/// One file of the report, by its path relative to the report's folder.
public struct ReportFile: Sendable, Hashable {
    public var path: String
    public var text: String
}

/// The report made page by page: each subject's page as its `show` arrives, in code order,
/// then the pages that need every subject (the section lists, and `index.html` last). It
/// keeps what the index tallies, never a page it has handed over, so a site of any size is
/// written in the memory of one page.
public struct ReportPages: Sendable {
    public let input: ReportInput
    private let signalsBySubject: [String: [SignalEntry]]
    private var quality = QualityTable()
    /// How many subject pages were made.
    public private(set) var subjectPages = 0

    public init(_ input: ReportInput) {
        self.input = input
        signalsBySubject = Dictionary(grouping: input.signals, by: \.subject)
    }

    /// `subjects/CODE.html`.
    public mutating func page(for shown: ShowResponse) -> ReportFile {
        quality.add(shown, today: input.today)
        subjectPages += 1
        return ReportFile(path: "subjects/\(shown.subject.code).html",
                          text: SubjectPage.render(shown, signals: signalsBySubject[shown.subject.code] ?? [], today: input.today,
                                                   site: input.status.site, language: input.language))
    }

    /// The stylesheet, each section's full list, and `index.html` last: written after every
    /// subject page, so a browser never follows a link from the new index to a missing page.
    public func closingPages() -> [ReportFile] {
        let index = IndexPage(input, quality: quality)
        return [ReportFile(path: ReportStyle.fileName, text: ReportStyle.css)]
            + index.sections.map { ReportFile(path: $0.page, text: index.sectionPage($0)) }
            + [ReportFile(path: "index.html", text: index.render())]
    }
}

/// The files of the report, by path relative to its folder.
public enum SiteReport {
    /// The whole report at once, from every subject's `show` (a small site, and the tests).
    public static func render(_ input: ReportInput, shown: [ShowResponse]) -> [String: String] {
        var pages = ReportPages(input)
        var files: [String: String] = [:]
        for subject in shown {
            let file = pages.page(for: subject)
            files[file.path] = file.text
        }
        for file in pages.closingPages() { files[file.path] = file.text }
        return files
    }

    /// A link to a subject's page from a page in the report's folder.
    static func link(_ code: String, from folder: String = "subjects/") -> HTML.Cell {
        .raw("<a href=\"\(HTML.escape(folder + code)).html\">\(HTML.escape(code))</a>")
    }

    /// A visit's status as a word (never only a colour), in the page's language.
    static func status(_ status: VisitStatus, _ tr: Localizer) -> HTML.Cell {
        .raw("<span class=\"status status-\(status.rawValue)\">\(HTML.escape(status.label(tr)))</span>")
    }
}
