import LTFUCore
import LTFUL10n
import LTFUWire

/// `subjects/CODE.html` (SPEC §13): the whole follow-up as one SVG timeline, then the visit
/// table, results, events, contacts and consents. Codes, dates and statuses only: no notes,
/// no reasons typed by a person, no birth date.
enum SubjectPage {
    static func render(_ shown: ShowResponse, signals: [SignalEntry], today: CalendarDate, site: String, language: Language = .english) -> String {
        let s = shown.subject, tr = Localizer(language)
        let nav = "<nav class=\"screen-only\" aria-label=\"\(HTML.escape(tr("Site report")))\"><p><a href=\"../index.html\">← "
            + HTML.escape(tr("site {site}", ["site": site])) + "</a></p></nav>"
        var body = "<h1>" + HTML.escape(tr("Subject {subject}", ["subject": s.code])) + "</h1>"
        let ended = s.endReason.map { tr(" ({reason} on {date})", ["reason": $0.label(tr), "date": s.endedOn?.description ?? "?"]) } ?? ""
        body += "<p class=\"meta\">" + HTML.escape(tr("Product {product} · tier {tier}{override} · day 0 {dayZero} · follow-up to {ends} · {status}{ended} · last contact {contact} · today {today}", [
            "product": s.product, "tier": s.tier.label(tr), "override": s.tierOverride ? tr(" (override)") : "",
            "dayZero": s.dayZero?.description ?? "-", "ends": s.followUpEnds?.description ?? "-", "status": s.status.label(tr), "ended": ended,
            "contact": s.lastContact?.description ?? "-", "today": today.description,
        ])) + "</p>"
        body += timeline(shown, signals: signals, today: today, tr)
        let visits = tr("Visits")
        body += "<h2>\(HTML.escape(visits))</h2>" + HTML.table(
            [tr("Visit"), tr("Target"), tr("Window"), tr("Mode"), tr("Status"), tr("Done"), tr("Assessments"), tr("Results")], shown.visits.map { v in
            ["\(v.purpose.map { "\(v.code) (\($0.label(tr)))" } ?? v.code)", "\(v.target)", "\(v.windowOpen) – \(v.windowClose)", "\(v.mode.label(tr))",
             SiteReport.status(v.status, tr), "\(v.doneOn.map { $0.description + (v.deviation ? tr(" (outside window)") : "") } ?? "-")",
             "\(v.assessments.map { $0.label(tr) }.joined(separator: ", "))",
             "\(v.results.map { "\($0.assessment.label(tr)) \(ResultVocabulary.label(value: $0.value, tr))\($0.percent.map { " \($0)%" } ?? "")" }.joined(separator: "; "))"]
        }, label: visits, class: "visits")
        if !signals.isEmpty {
            let title = tr("Safety signals")
            body += "<h2>\(HTML.escape(title))</h2>" + HTML.table([tr("Signal"), tr("Date"), tr("Visit"), tr("Acknowledged")], signals.map {
                ["\($0.signal?.label(tr) ?? tr("stopping rule"))", "\($0.date)", "\($0.visit ?? "-")", "\($0.acknowledged ? tr("yes") : tr("NO"))"]
            }, label: title)
        }
        if !shown.events.isEmpty {
            let title = tr("Safety events")
            body += "<h2>\(HTML.escape(title))</h2>" + HTML.table([tr("Event"), tr("Date"), tr("Related")], shown.events.map {
                ["\($0.kind.label(tr))", "\($0.on)", "\($0.related.label(tr))"]
            }, label: title)
        }
        let contacts = tr("Contact attempts"), consents = tr("Consents")
        body += "<h2>\(HTML.escape(contacts))</h2>" + (shown.contacts.isEmpty ? IndexPage.none(tr("None recorded.")) : HTML.table(
            [tr("Date"), tr("By"), tr("Outcome"), tr("Visit")],
            shown.contacts.map { ["\($0.on)", "\($0.by.label(tr))", "\($0.outcome.label(tr))", "\($0.visit ?? "-")"] }, label: contacts))
        body += "<h2>\(HTML.escape(consents))</h2>" + (shown.consents.isEmpty ? IndexPage.none(tr("None recorded.")) : HTML.table(
            [tr("Date"), tr("By"), tr("Form")], shown.consents.map { ["\($0.on)", "\($0.by.label(tr))", "\($0.form ?? "-")"] }, label: consents))
        return HTML.page(title: "LTFU \(s.code)", language: language, stylesheet: "../\(ReportStyle.fileName)", nav: nav, body: body)
    }

    /// Fill colours by status; the shape drawn on each bar says the same without colour.
    static let fill: [VisitStatus: String] = [
        .upcoming: "#9db8e0", .due: "#f0b35a", .overdue: "#d9534f", .done: "#3d8b50", .missed: "#8e4585", .cancelled: "none",
    ]

    static func timeline(_ shown: ShowResponse, signals: [SignalEntry], today: CalendarDate, _ tr: Localizer) -> String {
        let line = Timeline(subject: shown)
        let height = 150.0
        var svg = "<svg viewBox=\"0 0 \(Int(line.width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(tr("Follow-up timeline of {subject}", ["subject": shown.subject.code])))\">"
        svg += "<text x=\"4\" y=\"48\">\(HTML.escape(tr("visits")))</text><text x=\"4\" y=\"72\">\(HTML.escape(tr("extra")))</text>"
            + "<text x=\"4\" y=\"96\">\(HTML.escape(tr("signals")))</text>"
        svg += "<line x1=\"\(f(line.left))\" y1=\"118\" x2=\"\(f(line.width - line.right))\" y2=\"118\" stroke=\"#555\"/>"
        for tick in line.yearTicks {
            svg += "<line x1=\"\(f(tick.x))\" y1=\"114\" x2=\"\(f(tick.x))\" y2=\"122\" stroke=\"#555\"/>"
            svg += "<text x=\"\(f(tick.x))\" y=\"136\" text-anchor=\"middle\">Y\(tick.year)</text>"
        }
        if today >= line.start && today <= line.end {
            svg += "<line x1=\"\(f(line.x(today)))\" y1=\"24\" x2=\"\(f(line.x(today)))\" y2=\"118\" stroke=\"#000\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(f(line.x(today)))\" y=\"18\" text-anchor=\"middle\">\(HTML.escape(tr("today")))</text>"
        }
        for infusion in shown.subject.infusions {
            svg += "<line class=\"infusion\" x1=\"\(f(line.x(infusion)))\" y1=\"30\" x2=\"\(f(line.x(infusion)))\" y2=\"118\" stroke=\"#1b1b1b\" stroke-width=\"2\"><title>\(HTML.escape(tr("infusion {date}", ["date": infusion.description])))</title></line>"
        }
        // The 18th birthday, where a re-consent visit marks it (the birth date itself never leaves the daemon).
        for reconsent in shown.visits where reconsent.purpose == .reConsent {
            let x = f(line.x(reconsent.target))
            svg += "<line class=\"majority\" x1=\"\(x)\" y1=\"30\" x2=\"\(x)\" y2=\"118\" stroke=\"#6b1d5e\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(x)\" y=\"28\" text-anchor=\"middle\">18</text>"
        }
        for visit in shown.visits {
            let (x, width) = line.bar(VisitWindow(open: visit.windowOpen, close: visit.windowClose))
            let y = visit.purpose == nil ? 38.0 : 62.0
            let dashed = visit.status == .cancelled ? " stroke-dasharray=\"3 2\"" : ""
            svg += "<rect class=\"bar status-\(visit.status.rawValue)\" data-visit=\"\(HTML.escape(visit.code))\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"14\" "
                + "fill=\"\(fill[visit.status] ?? "none")\" stroke=\"#333\" stroke-width=\"0.6\"\(dashed)><title>\(HTML.escape(visit.code)) \(HTML.escape(visit.status.label(tr)))</title></rect>"
            svg += marker(visit, line: line, y: y)
        }
        for signal in signals {
            let x = f(line.x(signal.date))
            svg += "<polygon class=\"signal\" points=\"\(x),84 \(f(line.x(signal.date) - 6)),96 \(f(line.x(signal.date) + 6)),96\" fill=\"#b3261e\">"
                + "<title>\(HTML.escape(tr("signal {signal} {date}", ["signal": signal.signal?.label(tr) ?? "", "date": signal.date.description])))</title></polygon>"
        }
        svg += "</svg>"
        return svg + "<p class=\"legend\">" + HTML.escape(tr("Bars are visit windows: ◆ done (on the day), × missed, ! overdue, dashed outline cancelled, light blue upcoming, amber due. ▲ safety signal; a thick line is an infusion, the dashed line 18 the age of majority.")) + "</p>"
    }

    /// The shape that says a bar's status without colour.
    static func marker(_ visit: ShowResponse.Visit, line: Timeline, y: Double) -> String {
        let (x, width) = line.bar(VisitWindow(open: visit.windowOpen, close: visit.windowClose))
        let middle = f(x + width / 2)
        switch visit.status {
        case .done:
            guard let day = visit.doneOn else { return "" }
            let cx = line.x(day)
            return "<polygon class=\"done-on\" points=\"\(f(cx)),\(f(y - 3)) \(f(cx + 5)),\(f(y + 7)) \(f(cx)),\(f(y + 17)) \(f(cx - 5)),\(f(y + 7))\" fill=\"#1d6b2f\" stroke=\"#fff\"/>"
        case .missed: return "<text x=\"\(middle)\" y=\"\(f(y + 11))\" text-anchor=\"middle\">×</text>"
        case .overdue: return "<text x=\"\(middle)\" y=\"\(f(y + 11))\" text-anchor=\"middle\" font-weight=\"bold\">!</text>"
        default: return ""
        }
    }

    /// One decimal, enough for a drawing.
    static func f(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
