import Foundation
import LTFUCore
import LTFUWire

/// Human renderings of subjects and visit lists; `--json` prints the wire types instead.
enum SubjectRendering {
    static func render(_ shown: ShowResponse) -> String {
        let s = shown.subject
        let age = s.ageKnown ? (s.pediatric ? "yes (growth checks)" : "no") : "no (birth date unknown: followed as an adult)"
        var lines = [
            "Subject:         \(s.code)",
            "Product:         \(s.product)",
            "Tier:            \(s.tier.rawValue)\(s.tierOverride ? " (override)" : "")",
            "Day 0:           \(s.dayZero?.description ?? "-")   infusions: \(s.infusions.map(\.description).joined(separator: ", "))",
            "Pediatric:       \(age)",
            "Follow-up ends:  \(s.followUpEnds?.description ?? "-")",
            "Status:          \(s.status.rawValue)" + (s.endReason.map { " (\($0.rawValue) on \(s.endedOn?.description ?? "?"))" } ?? ""),
            "Last contact:    \(s.lastContact?.description ?? "-")",
            "",
        ]
        let multipleSeries = Set(shown.visits.map(\.series)).count > 1
        var table = TextTable("VISIT", "TARGET", "WINDOW", "MODE", "STATUS", "DONE", "TO DO", "RESULTS", "NOTE")
        if multipleSeries { table.header.insert("SERIES", at: 0) }
        for v in shown.visits {
            let done = v.doneOn.map { $0.description + (v.deviation ? " (deviation)" : "") } ?? "-"
            let note = v.missReason ?? v.note ?? ""
            let label = v.purpose.map { "\(v.code) \($0.rawValue)" } ?? v.code
            let row = [label, "\(v.target)", "\(v.windowOpen) – \(v.windowClose)", v.mode.rawValue, v.status.rawValue, done,
                       toDo(v.assessments), v.results.map(result).joined(separator: ", "), note]
            table.rows.append(multipleSeries ? [String(v.series)] + row : row)
        }
        lines.append(table.render())
        if !shown.contacts.isEmpty {
            lines += ["", "Contact attempts:"]
            for c in shown.contacts {
                lines.append("  \(c.on)  \(c.by.rawValue)  \(c.outcome.rawValue)" + (c.visit.map { "  (visit \($0))" } ?? ""))
            }
        }
        if !shown.consents.isEmpty {
            lines += ["", "Consents:"]
            for c in shown.consents { lines.append("  \(c.on)  by \(c.by.rawValue)" + (c.form.map { "  form \($0)" } ?? "")) }
        }
        if !shown.events.isEmpty {
            lines += ["", "Safety events:"]
            for event in shown.events { lines.append("  \(event.on)  \(event.kind.rawValue)  (related: \(event.related.rawValue))") }
        }
        return lines.joined(separator: "\n")
    }

    /// What a coordinator must do at a visit, at a glance: the core and gene assessments as
    /// one word each, and everything special (`rcl-test`, growth checks, samples) by name.
    static func toDo(_ assessments: [Assessment]) -> String {
        var words: [String] = []
        var rest = assessments
        for (name, group) in [("core", Assessment.core), ("gene", Assessment.gene)] where Set(group).isSubset(of: Set(rest)) {
            words.append(name)
            rest.removeAll { group.contains($0) }
        }
        return (words + rest.map(\.rawValue)).joined(separator: ", ")
    }

    static func result(_ r: ResultEntry) -> String {
        var text = "\(r.assessment.rawValue) \(r.value)"
        if let percent = r.percent { text += " \(percent.formatted())%" }
        if let sample = r.sample { text += " [\(sample)]" }
        return text + (r.corrected ? " (corrected)" : "")
    }

    static func renderDue(_ rows: [VisitDue], empty: String) -> String {
        guard !rows.isEmpty else { return empty }
        var table = TextTable("SUBJECT", "VISIT", "TARGET", "WINDOW", "STATUS")
        for r in rows {
            table.append(r.subject, r.purpose.map { "\(r.visit) \($0.rawValue)" } ?? r.visit, "\(r.target)",
                         "\(r.windowOpen) – \(r.windowClose)", r.status.rawValue)
        }
        return table.render()
    }
}
