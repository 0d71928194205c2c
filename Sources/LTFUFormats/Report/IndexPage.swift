import LTFUCore
import LTFUWire

/// `index.html` (SPEC §13), most urgent first: safety, overdue, due, re-consents, retention,
/// then counts and the quality table. In print, a one-week worklist.
enum IndexPage {
    static func render(_ input: ReportInput) -> String {
        let today = input.today
        var body = "<h1>Long-term follow-up, site \(HTML.escape(input.status.site))</h1>"
        body += "<p class=\"meta\">Today \(today) (\(HTML.escape(input.status.timezone))) · made \(HTML.escape(input.generatedAt)) · "
            + "\(input.status.subjects) active subjects · \(input.status.overdue) overdue · \(input.status.due) due today</p>"
        body += "<nav class=\"screen-only\"><a href=\"#safety\">Safety</a><a href=\"#overdue\">Overdue</a><a href=\"#due\">Due</a>"
            + "<a href=\"#reconsent\">Re-consent</a><a href=\"#retention\">Retention</a><a href=\"#quality\">Quality</a></nav>"
        body += safety(input)
        body += "<h2 id=\"overdue\">Overdue visits (\(input.overdue.count))</h2>"
        let overdue = input.overdue.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        body += overdue.isEmpty ? "<p class=\"none\">Nothing overdue.</p>" : HTML.table(
            ["Subject", "Visit", "Window closed", "Days overdue", "Status"],
            overdue.map { [SiteReport.link($0.subject), "\(label($0))", "\($0.windowClose)", "\($0.windowClose.days(until: today))",
                           SiteReport.status($0.status)] })
        let due = input.due.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }
        body += "<h2 id=\"due\">Due in the next 30 days (\(due.count))</h2>"
        body += due.isEmpty ? "<p class=\"none\">Nothing due in the next 30 days.</p>" : HTML.table(
            ["Subject", "Visit", "Window", "Target", "Status"],
            due.map { [SiteReport.link($0.subject), "\(label($0))", "\($0.windowOpen) – \($0.windowClose)", "\($0.target)",
                       SiteReport.status($0.status)] },
            rowClass: { due[$0].windowOpen > today.adding(days: 7) ? "later" : nil })
        let reconsents = (overdue + due).filter { $0.purpose == .reConsent }
        body += "<h2 id=\"reconsent\">Re-consents due (\(reconsents.count))</h2>"
        body += reconsents.isEmpty ? "<p class=\"none\">No re-consent due.</p>" : HTML.table(
            ["Subject", "Visit", "Window", "Status"],
            reconsents.map { [SiteReport.link($0.subject), "\($0.visit)", "\($0.windowOpen) – \($0.windowClose)", SiteReport.status($0.status)] })
        body += retention(input)
        body += counts(input)
        body += quality(input)
        return HTML.page(title: "LTFU \(input.status.site) \(today)", stylesheet: ReportStyle.fileName, body: body)
    }

    static func label(_ row: VisitDue) -> String {
        row.purpose.map { "\(row.visit) (\($0.rawValue))" } ?? row.visit
    }

    static func safety(_ input: ReportInput) -> String {
        var out = "<h2 id=\"safety\">Safety signals and stopping rules</h2>"
        for rule in input.status.stoppingRules where rule.met {
            out += "<p class=\"alarm\"><strong>STOPPING RULE MET</strong>: product \(HTML.escape(rule.product)), "
                + "\(rule.rule.rawValue) \(rule.count) (threshold \(rule.threshold)). Acknowledge: <code>ltfuctl ack \(HTML.escape(rule.id ?? ""))</code></p>"
        }
        let open = input.signals.filter { $0.kind == .safetySignal && !$0.acknowledged }
        guard !open.isEmpty else { return out + "<p class=\"none\">No open safety signal.</p>" }
        out += "<p class=\"alarm\"><strong>\(open.count) OPEN SAFETY SIGNAL\(open.count == 1 ? "" : "S")</strong>, not yet acknowledged.</p>"
        return out + HTML.table(["Signal", "Subject", "Visit", "Date", "Finding", "Acknowledge"], open.map { signal in
            let finding = [signal.assessment.map { "\($0.rawValue) \(signal.value ?? "")" }, signal.eventKind?.rawValue].compactMap { $0 }.first ?? ""
            return ["\(signal.signal?.rawValue ?? "")", SiteReport.link(signal.subject), "\(signal.visit ?? "-")", "\(signal.date)",
                    "\(finding)", .raw("<code>ltfuctl ack \(HTML.escape(signal.id))</code>")]
        })
    }

    static func retention(_ input: ReportInput) -> String {
        let cutoff = input.today.adding(days: -365)
        let silent = input.subjects.filter { $0.status == .active && ($0.lastContact.map { $0 < cutoff } ?? false) }
        var out = "<h2 id=\"retention\">Retention</h2>"
        out += "<p>No contact for more than 365 days: <strong>\(input.status.noContactOver365Days)</strong> active subject\(input.status.noContactOver365Days == 1 ? "" : "s").</p>"
        if !silent.isEmpty {
            out += HTML.table(["Subject", "Product", "Last contact", "Days since"], silent.map {
                [SiteReport.link($0.code), "\($0.product)", "\($0.lastContact?.description ?? "-")",
                 "\($0.lastContact.map { $0.days(until: input.today) } ?? 0)"]
            })
        }
        let risks = input.retentionRisks
        out += "<p>Retention risk (failed attempts meeting the rule while a visit is overdue): <strong>\(risks.count)</strong>.</p>"
        if !risks.isEmpty {
            out += HTML.table(["Subject", "Last failed attempt"], risks.map { [SiteReport.link($0.subject), "\($0.date)"] })
        }
        return out
    }

    static func counts(_ input: ReportInput) -> String {
        func tally(_ key: (SubjectSummary) -> String) -> [[HTML.Cell]] {
            Dictionary(grouping: input.subjects, by: key).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
                .map { ["\($0.0)", .raw("<span class=\"num\">\($0.1)</span>")] }
        }
        return "<h2>Subjects</h2><div class=\"counts\">"
            + HTML.table(["Tier", "Subjects"], tally { $0.tier.rawValue })
            + HTML.table(["Product", "Subjects"], tally { $0.product })
            + HTML.table(["Status", "Subjects"], tally { $0.status.rawValue }) + "</div>"
    }

    static func quality(_ input: ReportInput) -> String {
        let table = QualityTable(subjects: input.shown, today: input.today)
        var out = "<section class=\"quality\"><h2 id=\"quality\">Quality: visits whose window has closed</h2>"
        guard !table.rows.isEmpty else { return out + "<p class=\"none\">No window has closed yet.</p></section>" }
        out += HTML.table(["Year", "Product", "Visits", "Done in window", "Done late", "Done early", "Missed", "Still open"], table.rows.map { row in
            ["\(row.year)", "\(row.product)", "\(row.total)", "\(row.percent(row.inWindow)) % (\(row.inWindow))",
             "\(row.percent(row.late)) % (\(row.late))", "\(row.percent(row.early)) % (\(row.early))",
             "\(row.percent(row.missed)) % (\(row.missed))", "\(row.percent(row.open)) % (\(row.open))"]
        }, class: "quality-table")
        return out + "</section>"
    }
}
