import LTFUCore
import LTFUL10n
import LTFUWire

/// `index.html` (SPEC §13), most urgent first: safety, overdue, due, re-consents, retention,
/// then counts and the quality table. In print, a one-week worklist. In the site's language
/// (SPEC §15); codes and dates as they are.
enum IndexPage {
    static func render(_ input: ReportInput) -> String {
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
        body += safety(input)
        let overdueTitle = tr("Overdue visits ({count})", ["count": String(input.overdue.count)])
        body += "<h2 id=\"overdue\">\(HTML.escape(overdueTitle))</h2>"
        let overdue = input.overdue.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        body += overdue.isEmpty ? none(tr("Nothing overdue.")) : HTML.table(
            [tr("Subject"), tr("Visit"), tr("Window closed"), tr("Days overdue"), tr("Status")],
            overdue.map { [SiteReport.link($0.subject), "\(label($0, tr))", "\($0.windowClose)", "\($0.windowClose.days(until: today))",
                           SiteReport.status($0.status, tr)] }, label: overdueTitle)
        let due = input.due.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        let dueTitle = tr("Due in the next 30 days ({count})", ["count": String(due.count)])
        body += "<h2 id=\"due\">\(HTML.escape(dueTitle))</h2>"
        body += due.isEmpty ? none(tr("Nothing due in the next 30 days.")) : HTML.table(
            [tr("Subject"), tr("Visit"), tr("Window"), tr("Target"), tr("Status")],
            due.map { [SiteReport.link($0.subject), "\(label($0, tr))", "\($0.windowOpen) – \($0.windowClose)", "\($0.target)",
                       SiteReport.status($0.status, tr)] }, label: dueTitle,
            rowClass: { due[$0].windowOpen > today.adding(days: 7) ? "later" : nil })
        let reconsents = (overdue + due).filter { $0.purpose == .reConsent }
        let reconsentTitle = tr("Re-consents due ({count})", ["count": String(reconsents.count)])
        body += "<h2 id=\"reconsent\">\(HTML.escape(reconsentTitle))</h2>"
        body += reconsents.isEmpty ? none(tr("No re-consent due.")) : HTML.table(
            [tr("Subject"), tr("Visit"), tr("Window"), tr("Status")],
            reconsents.map { [SiteReport.link($0.subject), "\($0.visit)", "\($0.windowOpen) – \($0.windowClose)", SiteReport.status($0.status, tr)] },
            label: reconsentTitle)
        body += retention(input)
        body += counts(input)
        body += quality(input)
        return HTML.page(title: "LTFU \(input.status.site) \(today)", language: input.language, stylesheet: ReportStyle.fileName, nav: nav, body: body)
    }

    static func none(_ text: String) -> String { "<p class=\"none\">\(HTML.escape(text))</p>" }

    static func label(_ row: VisitDue, _ tr: Localizer) -> String {
        row.purpose.map { "\(row.visit) (\($0.label(tr)))" } ?? row.visit
    }

    static func safety(_ input: ReportInput) -> String {
        let tr = input.tr
        let title = tr("Safety signals and stopping rules")
        var out = "<h2 id=\"safety\">\(HTML.escape(title))</h2>"
        for rule in input.status.stoppingRules where rule.met {
            out += "<p class=\"alarm\"><strong>\(HTML.escape(tr("STOPPING RULE MET")))</strong>: "
                + HTML.escape(tr("product {product}, {rule} {count} (threshold {threshold}).", [
                    "product": rule.product, "rule": rule.rule.label(tr), "count": String(rule.count), "threshold": String(rule.threshold),
                ])) + " " + HTML.escape(tr("Acknowledge:")) + " <code>ltfuctl ack \(HTML.escape(rule.id ?? ""))</code></p>"
        }
        let open = input.signals.filter { $0.kind == .safetySignal && !$0.acknowledged }
        guard !open.isEmpty else { return out + none(tr("No open safety signal.")) }
        let count = open.count == 1 ? tr("1 OPEN SAFETY SIGNAL") : tr("{count} OPEN SAFETY SIGNALS", ["count": String(open.count)])
        out += "<p class=\"alarm\"><strong>\(HTML.escape(count))</strong>\(HTML.escape(tr(", not yet acknowledged.")))</p>"
        return out + HTML.table([tr("Signal"), tr("Subject"), tr("Visit"), tr("Date"), tr("Finding"), tr("Acknowledge")], open.map { signal in
            let finding = [signal.assessment.map { "\($0.label(tr)) \(ResultVocabulary.label(value: signal.value ?? "", tr))" }, signal.eventKind?.label(tr)]
                .compactMap { $0 }.first ?? ""
            return ["\(signal.signal?.label(tr) ?? "")", SiteReport.link(signal.subject), "\(signal.visit ?? "-")", "\(signal.date)",
                    "\(finding)", .raw("<code>ltfuctl ack \(HTML.escape(signal.id))</code>")]
        }, label: title)
    }

    static func retention(_ input: ReportInput) -> String {
        let tr = input.tr
        let cutoff = input.today.adding(days: -365)
        let silent = input.subjects.filter { $0.status == .active && ($0.lastContact.map { $0 < cutoff } ?? false) }
        let title = tr("Retention")
        var out = "<h2 id=\"retention\">\(HTML.escape(title))</h2>"
        let silentCount = input.status.noContactOver365Days
        out += "<p>" + HTML.escape(tr("No contact for more than 365 days:")) + " <strong>\(silentCount)</strong> "
            + HTML.escape(silentCount == 1 ? tr("active subject.") : tr("active subjects.")) + "</p>"
        if !silent.isEmpty {
            out += HTML.table([tr("Subject"), tr("Product"), tr("Last contact"), tr("Days since")], silent.map {
                [SiteReport.link($0.code), "\($0.product)", "\($0.lastContact?.description ?? "-")",
                 "\($0.lastContact.map { $0.days(until: input.today) } ?? 0)"]
            }, label: tr("No contact for more than 365 days:"))
        }
        let risks = input.retentionRisks
        out += "<p>" + HTML.escape(tr("Retention risk (failed attempts meeting the rule while a visit is overdue):"))
            + " <strong>\(risks.count)</strong>.</p>"
        if !risks.isEmpty {
            out += HTML.table([tr("Subject"), tr("Last failed attempt")], risks.map { [SiteReport.link($0.subject), "\($0.date)"] },
                              label: tr("Retention risk"))
        }
        return out
    }

    static func counts(_ input: ReportInput) -> String {
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

    static func quality(_ input: ReportInput) -> String {
        let tr = input.tr
        let table = QualityTable(subjects: input.shown, today: input.today)
        let title = tr("Quality: visits whose window has closed")
        var out = "<section class=\"quality\" aria-labelledby=\"quality\"><h2 id=\"quality\">\(HTML.escape(title))</h2>"
        guard !table.rows.isEmpty else { return out + none(tr("No window has closed yet.")) + "</section>" }
        out += HTML.table([tr("Year"), tr("Product"), tr("Visits"), tr("Done in window"), tr("Done late"), tr("Done early"), tr("Missed"), tr("Still open")],
                          table.rows.map { row in
            ["\(row.year)", "\(row.product)", "\(row.total)", "\(row.percent(row.inWindow)) % (\(row.inWindow))",
             "\(row.percent(row.late)) % (\(row.late))", "\(row.percent(row.early)) % (\(row.early))",
             "\(row.percent(row.missed)) % (\(row.missed))", "\(row.percent(row.open)) % (\(row.open))"]
        }, label: title, class: "quality-table")
        return out + "</section>"
    }
}
