import Foundation
import LTFUCore
import LTFUL10n
import LTFUWire

/// Human renderings of subjects and visit lists, in the reader's language (SPEC §15); `--json`
/// prints the wire types instead. Codes (subject, visit, product) are never translated.
enum SubjectRendering {
    static func render(_ shown: ShowResponse) -> String {
        let s = shown.subject
        let age = s.ageKnown ? (s.pediatric ? tr("yes (growth checks)") : tr("no")) : tr("no (birth date unknown: followed as an adult)")
        let ended = s.endReason.map { tr(" ({reason} on {date})", ["reason": $0.label(tr), "date": s.endedOn?.description ?? "?"]) } ?? ""
        let fields: [(String, String)] = [
            (tr("Subject:"), s.code),
            (tr("Product:"), s.product),
            (tr("Tier:"), s.tier.label(tr) + (s.tierOverride ? tr(" (override)") : "")),
            (tr("Day 0:"), tr("{date}   infusions: {dates}", ["date": s.dayZero?.description ?? "-",
                                                           "dates": s.infusions.map(\.description).joined(separator: ", ")])),
            (tr("Pediatric:"), age),
            (tr("Follow-up ends:"), s.followUpEnds?.description ?? "-"),
            (tr("Status:"), s.status.label(tr) + ended),
            (tr("Last contact:"), s.lastContact?.description ?? "-"),
        ]
        let width = max(17, (fields.map(\.0.displayWidth).max() ?? 0) + 1)
        var lines = fields.map { $0.0.padded(toColumns: width) + $0.1 } + [""]
        lines.append(table(shown.visits, series: Set(shown.visits.map(\.series)).count > 1))
        if !shown.contacts.isEmpty {
            lines += ["", tr("Contact attempts:")]
            for c in shown.contacts {
                lines.append("  \(c.on)  \(c.by.label(tr))  \(c.outcome.label(tr))" + (c.visit.map { tr("  (visit {visit})", ["visit": $0]) } ?? ""))
            }
        }
        if !shown.consents.isEmpty {
            lines += ["", tr("Consents:")]
            for c in shown.consents {
                lines.append("  \(c.on)  " + tr("by {giver}", ["giver": c.by.label(tr)]) + (c.form.map { tr("  form {version}", ["version": $0]) } ?? ""))
            }
        }
        if !shown.events.isEmpty {
            lines += ["", tr("Safety events:")]
            for event in shown.events {
                lines.append("  \(event.on)  \(event.kind.label(tr))  " + tr("(related: {related})", ["related": event.related.label(tr)]))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A write's answer, quietly: the confirmation, then only the visits the write changed
    /// (new, or different from `before`), so `record` prints one row, not the whole 15-year
    /// calendar; visits it only cancelled are counted in one line. `ltfuctl show` gives the rest.
    static func confirm(_ confirmation: String, before: ShowResponse?, after: ShowResponse) -> String {
        let old = Dictionary((before?.visits ?? []).map { (VisitKey($0), $0) }, uniquingKeysWith: { $1 })
        let changed = after.visits.filter { old[VisitKey($0)] != $0 }
        let cancelled = changed.filter { $0.status == .cancelled && old[VisitKey($0)] != nil }
        let shown = changed.filter { !($0.status == .cancelled && old[VisitKey($0)] != nil) }
        var lines = [confirmation]
        if !shown.isEmpty {
            lines += ["", table(shown, series: Set(after.visits.map(\.series)).count > 1)]
        }
        if !cancelled.isEmpty {
            lines += ["", tr("{count} open visits cancelled ({first} … {last}).",
                             ["count": String(cancelled.count), "first": cancelled[0].code, "last": cancelled[cancelled.count - 1].code])]
        }
        lines += ["", tr("The whole calendar: `ltfuctl show {subject}`", ["subject": after.subject.code])]
        return lines.joined(separator: "\n")
    }

    /// A visit is named by its series and code: a re-infusion starts a new series.
    private struct VisitKey: Hashable {
        let series: Int, code: String
        init(_ visit: ShowResponse.Visit) { (series, code) = (visit.series, visit.code) }
    }

    static func table(_ visits: [ShowResponse.Visit], series: Bool) -> String {
        var table = TextTable(tr("VISIT"), tr("TARGET"), tr("WINDOW"), tr("MODE"), tr("STATUS"), tr("DONE"), tr("TO DO"), tr("RESULTS"), tr("NOTE"))
        if series { table.header.insert(tr("SERIES"), at: 0) }
        for v in visits {
            let done = v.doneOn.map { $0.description + (v.deviation ? tr(" (deviation)") : "") } ?? "-"
            let note = v.missReason ?? v.note ?? ""
            let label = v.purpose.map { "\(v.code) \($0.label(tr))" } ?? v.code
            let row = [label, "\(v.target)", "\(v.windowOpen) – \(v.windowClose)", v.mode.label(tr), v.status.label(tr), done,
                       toDo(v.assessments), v.results.map(result).joined(separator: ", "), note]
            table.rows.append(series ? [String(v.series)] + row : row)
        }
        return table.render()
    }

    /// What a coordinator must do at a visit, at a glance: the core and gene assessments as
    /// one word each, and everything special (`rcl-test`, growth checks, samples) by name.
    static func toDo(_ assessments: [Assessment]) -> String {
        var words: [String] = []
        var rest = assessments
        for (name, group) in [(tr("core"), Assessment.core), (tr("gene"), Assessment.gene)] where Set(group).isSubset(of: Set(rest)) {
            words.append(name)
            rest.removeAll { group.contains($0) }
        }
        return (words + rest.map { $0.label(tr) }).joined(separator: ", ")
    }

    static func result(_ r: ResultEntry) -> String {
        var text = "\(r.assessment.label(tr)) \(ResultVocabulary.label(value: r.value, tr))"
        if let percent = r.percent { text += " \(percent.formatted())%" }
        if let sample = r.sample { text += " [\(sample)]" }
        return text + (r.corrected ? tr(" (corrected)") : "")
    }

    static func renderDue(_ rows: [VisitDue], empty: String) -> String {
        guard !rows.isEmpty else { return empty }
        var table = TextTable(tr("SUBJECT"), tr("VISIT"), tr("TARGET"), tr("WINDOW"), tr("STATUS"))
        for r in rows {
            table.append(r.subject, r.purpose.map { "\(r.visit) \($0.label(tr))" } ?? r.visit, "\(r.target)",
                         "\(r.windowOpen) – \(r.windowClose)", r.status.label(tr))
        }
        return table.render()
    }
}
