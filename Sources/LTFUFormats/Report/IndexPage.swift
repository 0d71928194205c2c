import LTFUCore
import LTFUL10n
import LTFUWire

/// `index.html` (SPEC §13), most urgent first: safety, overdue, due, re-consents, retention,
/// then counts and the quality table. In print, a one-week worklist. In the site's language
/// (SPEC §15); codes and dates as they are.
///
/// A worklist at any size: each list shows its ``rowsPerSection`` most urgent rows and links
/// to a page of its own with every row (``sections``); counts are always complete.
struct IndexPage {
    /// Rows of a list shown on the index; the rest are on the list's own page.
    static let rowsPerSection = 200

    let input: ReportInput
    let quality: QualityTable
    /// Every list of the index, most urgent first, each with all its rows.
    let sections: [Section]

    /// One list: its own page (`overdue.html`), its title with the count, and every row.
    struct Section {
        var id: String
        var title: String
        var header: [String]
        var rows: [[HTML.Cell]]
        /// Said when there is no row; `nil`: the index says nothing (a count above says it).
        var empty: String?
        var rowClass: (Int) -> String? = { _ in nil }

        var page: String { "\(id).html" }
    }

    init(_ input: ReportInput, quality: QualityTable) {
        self.input = input
        self.quality = quality
        sections = Self.sections(input)
    }

    func render() -> String {
        let today = input.today, tr = input.tr
        var body = "<h1>" + HTML.escape(tr("Long-term follow-up, site {site}", ["site": input.status.site])) + "</h1>"
        body += "<p class=\"meta\">" + HTML.escape(tr("Today {today} ({zone}) · made {made} · {subjects} active subjects · {overdue} overdue · {due} due today", [
            "today": today.description, "zone": input.status.timezone, "made": input.generatedAt, "subjects": String(input.status.subjects),
            "overdue": String(input.status.overdue), "due": String(input.status.due),
        ])) + "</p>"
        let nav = "<nav class=\"screen-only\" aria-label=\"\(HTML.escape(tr("Sections")))\">"
            + [("safety", tr("Safety")), ("overdue", tr("Overdue")), ("due", tr("Due")), ("reconsent", tr("Re-consent")),
               ("retention", tr("Retention")), ("quality", tr("Quality"))]
            .map { "<a href=\"#\($0.0)\">\(HTML.escape($0.1))</a>" }.joined() + "</nav>"
        let lists = Dictionary(uniqueKeysWithValues: sections.map { ($0.id, $0) })
        func list(_ id: String, heading: Bool = true) -> String {
            guard let section = lists[id] else { return "" }
            return (heading ? "<h2 id=\"\(section.id)\">\(HTML.escape(section.title))</h2>" : "") + shortList(section)
        }
        body += safety(list("signals", heading: false))
        body += list("overdue") + list("due") + list("reconsent")
        body += retention(silent: list("no-contact", heading: false), risks: list("retention-risk", heading: false))
        body += counts()
        body += qualityTable()
        return HTML.page(title: "LTFU \(input.status.site) \(today)", language: input.language, stylesheet: ReportStyle.fileName, nav: nav, body: body)
    }

    /// A list on the index: its most urgent rows, and a link to the rest.
    func shortList(_ section: Section) -> String {
        guard !section.rows.isEmpty else { return section.empty.map(Self.none) ?? "" }
        let tr = input.tr
        var out = HTML.table(section.header, Array(section.rows.prefix(Self.rowsPerSection)), label: section.title, rowClass: section.rowClass)
        if section.rows.count > Self.rowsPerSection {
            out += "<p class=\"more\">" + HTML.escape(tr("The {shown} most urgent of {count}.", [
                "shown": String(Self.rowsPerSection), "count": String(section.rows.count),
            ])) + " <a href=\"\(section.page)\">" + HTML.escape(tr("All {count}", ["count": String(section.rows.count)])) + "</a></p>"
        }
        return out
    }

    /// A list's own page, with every row.
    func sectionPage(_ section: Section) -> String {
        let tr = input.tr
        let nav = "<nav class=\"screen-only\" aria-label=\"\(HTML.escape(tr("Site report")))\"><p><a href=\"index.html\">← "
            + HTML.escape(tr("site {site}", ["site": input.status.site])) + "</a></p></nav>"
        let body = "<h1>" + HTML.escape(section.title) + "</h1>"
            + "<p class=\"meta\">" + HTML.escape(tr("site {site}", ["site": input.status.site])) + " · \(input.today) · "
            + HTML.escape(input.generatedAt) + "</p>"
            + (section.rows.isEmpty ? Self.none(section.empty ?? tr("None recorded."))
                : HTML.table(section.header, section.rows, label: section.title, rowClass: section.rowClass))
        return HTML.page(title: "LTFU \(input.status.site) \(section.title)", language: input.language, stylesheet: ReportStyle.fileName,
                         nav: nav, body: body)
    }

    static func none(_ text: String) -> String { "<p class=\"none\">\(HTML.escape(text))</p>" }

    static func label(_ row: VisitDue, _ tr: Localizer) -> String {
        row.purpose.map { "\(row.visit) (\($0.label(tr)))" } ?? row.visit
    }

    static func sections(_ input: ReportInput) -> [Section] {
        let today = input.today, tr = input.tr
        let open = input.signals.filter { $0.kind == .safetySignal && !$0.acknowledged }
        let signals = Section(id: "signals", title: tr("Safety signals and stopping rules"),
                              header: [tr("Signal"), tr("Subject"), tr("Visit"), tr("Date"), tr("Finding"), tr("Acknowledge")],
                              rows: open.map { signal in
            let finding = [signal.assessment.map { "\($0.label(tr)) \(ResultVocabulary.label(value: signal.value ?? "", tr))" }, signal.eventKind?.label(tr)]
                .compactMap { $0 }.first ?? ""
            return ["\(signal.signal?.label(tr) ?? "")", SiteReport.link(signal.subject), "\(signal.visit ?? "-")", "\(signal.date)",
                    "\(finding)", .raw("<code>ltfuctl ack \(HTML.escape(signal.id))</code>")]
        }, empty: tr("No open safety signal."))
        let overdueRows = input.overdue.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        let overdue = Section(id: "overdue", title: tr("Overdue visits ({count})", ["count": String(overdueRows.count)]),
                              header: [tr("Subject"), tr("Visit"), tr("Window closed"), tr("Days overdue"), tr("Status")],
                              rows: overdueRows.map { [SiteReport.link($0.subject), "\(label($0, tr))", "\($0.windowClose)",
                                                       "\($0.windowClose.days(until: today))", SiteReport.status($0.status, tr)] },
                              empty: tr("Nothing overdue."))
        let dueRows = input.due.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        let due = Section(id: "due", title: tr("Due in the next 30 days ({count})", ["count": String(dueRows.count)]),
                          header: [tr("Subject"), tr("Visit"), tr("Window"), tr("Target"), tr("Status")],
                          rows: dueRows.map { [SiteReport.link($0.subject), "\(label($0, tr))", "\($0.windowOpen) – \($0.windowClose)", "\($0.target)",
                                               SiteReport.status($0.status, tr)] },
                          empty: tr("Nothing due in the next 30 days."),
                          rowClass: { dueRows[$0].windowOpen > today.adding(days: 7) ? "later" : nil })
        let reconsentRows = (overdueRows + dueRows).filter { $0.purpose == .reConsent }
        let reconsent = Section(id: "reconsent", title: tr("Re-consents due ({count})", ["count": String(reconsentRows.count)]),
                                header: [tr("Subject"), tr("Visit"), tr("Window"), tr("Status")],
                                rows: reconsentRows.map { [SiteReport.link($0.subject), "\($0.visit)", "\($0.windowOpen) – \($0.windowClose)",
                                                           SiteReport.status($0.status, tr)] },
                                empty: tr("No re-consent due."))
        // Longest without contact first.
        let cutoff = today.adding(days: -365)
        let silent = input.subjects.filter { $0.status == .active && ($0.lastContact.map { $0 < cutoff } ?? false) }
            .sorted { ($0.lastContact ?? today, $0.code) < ($1.lastContact ?? today, $1.code) }
        let noContact = Section(id: "no-contact", title: tr("No contact for more than 365 days:"),
                                header: [tr("Subject"), tr("Product"), tr("Last contact"), tr("Days since")],
                                rows: silent.map { [SiteReport.link($0.code), "\($0.product)", "\($0.lastContact?.description ?? "-")",
                                                    "\($0.lastContact.map { $0.days(until: today) } ?? 0)"] },
                                empty: nil)
        let risks = Section(id: "retention-risk", title: tr("Retention risk"), header: [tr("Subject"), tr("Last failed attempt")],
                            rows: input.retentionRisks.map { [SiteReport.link($0.subject), "\($0.date)"] }, empty: nil)
        return [signals, overdue, due, reconsent, noContact, risks]
    }

    func safety(_ list: String) -> String {
        let tr = input.tr
        var out = "<h2 id=\"safety\">\(HTML.escape(tr("Safety signals and stopping rules")))</h2>"
        for rule in input.status.stoppingRules where rule.met {
            out += "<p class=\"alarm\"><strong>\(HTML.escape(tr("STOPPING RULE MET")))</strong>: "
                + HTML.escape(tr("product {product}, {rule} {count} (threshold {threshold}).", [
                    "product": rule.product, "rule": rule.rule.label(tr), "count": String(rule.count), "threshold": String(rule.threshold),
                ])) + " " + HTML.escape(tr("Acknowledge:")) + " <code>ltfuctl ack \(HTML.escape(rule.id ?? ""))</code></p>"
        }
        let open = input.signals.filter { $0.kind == .safetySignal && !$0.acknowledged }.count
        guard open > 0 else { return out + list }
        let count = open == 1 ? tr("1 OPEN SAFETY SIGNAL") : tr("{count} OPEN SAFETY SIGNALS", ["count": String(open)])
        return out + "<p class=\"alarm\"><strong>\(HTML.escape(count))</strong>\(HTML.escape(tr(", not yet acknowledged.")))</p>" + list
    }

    func retention(silent: String, risks: String) -> String {
        let tr = input.tr
        var out = "<h2 id=\"retention\">\(HTML.escape(tr("Retention")))</h2>"
        let silentCount = input.status.noContactOver365Days
        out += "<p>" + HTML.escape(tr("No contact for more than 365 days:")) + " <strong>\(silentCount)</strong> "
            + HTML.escape(silentCount == 1 ? tr("active subject.") : tr("active subjects.")) + "</p>"
        out += silent
        out += "<p>" + HTML.escape(tr("Retention risk (failed attempts meeting the rule while a visit is overdue):"))
            + " <strong>\(input.retentionRisks.count)</strong>.</p>"
        return out + risks
    }

    func counts() -> String {
        let tr = input.tr
        func tally(_ key: (SubjectSummary) -> String) -> [[HTML.Cell]] {
            Dictionary(grouping: input.subjects, by: key).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
                .map { ["\($0.0)", .raw("<span class=\"num\">\($0.1)</span>")] }
        }
        return "<h2>\(HTML.escape(tr("Subjects")))</h2><div class=\"counts\">"
            + HTML.table([tr("Tier"), tr("Subjects")], tally { $0.tier.label(tr) }, label: tr("Subjects by tier"))
            + HTML.table([tr("Product"), tr("Subjects")], tally { $0.product }, label: tr("Subjects by product"))
            + HTML.table([tr("Status"), tr("Subjects")], tally { $0.status.label(tr) }, label: tr("Subjects by status")) + "</div>"
    }

    func qualityTable() -> String {
        let tr = input.tr
        let title = tr("Quality: visits whose window has closed")
        var out = "<section class=\"quality\" aria-labelledby=\"quality\"><h2 id=\"quality\">\(HTML.escape(title))</h2>"
        let rows = quality.rows
        guard !rows.isEmpty else { return out + Self.none(tr("No window has closed yet.")) + "</section>" }
        out += HTML.table([tr("Year"), tr("Product"), tr("Visits"), tr("Done in window"), tr("Done late"), tr("Done early"), tr("Missed"), tr("Still open")],
                          rows.map { row in
            ["\(row.year)", "\(row.product)", "\(row.total)", "\(row.percent(row.inWindow)) % (\(row.inWindow))",
             "\(row.percent(row.late)) % (\(row.late))", "\(row.percent(row.early)) % (\(row.early))",
             "\(row.percent(row.missed)) % (\(row.missed))", "\(row.percent(row.open)) % (\(row.open))"]
        }, label: title, class: "quality-table")
        return out + "</section>"
    }
}
