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
            "",
        ]
        let multipleSeries = Set(shown.visits.map(\.series)).count > 1
        var table = multipleSeries
            ? TextTable("SERIES", "VISIT", "TARGET", "WINDOW", "MODE", "STATUS", "DONE", "NOTE")
            : TextTable("VISIT", "TARGET", "WINDOW", "MODE", "STATUS", "DONE", "NOTE")
        for v in shown.visits {
            let done = v.doneOn.map { $0.description + (v.deviation ? " (deviation)" : "") } ?? "-"
            let note = v.missReason ?? v.note ?? ""
            let row = [v.code, "\(v.target)", "\(v.windowOpen) – \(v.windowClose)", v.mode.rawValue, v.status.rawValue, done, note]
            table.rows.append(multipleSeries ? [String(v.series)] + row : row)
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    static func renderDue(_ rows: [VisitDue], empty: String) -> String {
        guard !rows.isEmpty else { return empty }
        var table = TextTable("SUBJECT", "VISIT", "TARGET", "WINDOW", "STATUS")
        for r in rows { table.append(r.subject, r.visit, "\(r.target)", "\(r.windowOpen) – \(r.windowClose)", r.status.rawValue) }
        return table.render()
    }
}
