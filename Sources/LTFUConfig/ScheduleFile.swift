import LTFUCore

/// A site's own visit template from `schedules.d/*.toml` (SPEC §4, "Sites may define their
/// own templates").
///
/// ```toml
/// id = "cd19-intensive"
/// name = "CD19 CAR-T with a week-2 visit"
/// extends = "integrating"     # optional: start from that tier's standard calendar
///
/// [[visits]]                  # one per visit; with `extends`, a month already in the
/// month = 1                   # standard calendar replaces that visit's window (and mode and
/// early_days = 3              # assessments, when given)
/// late_days = 3
/// ```
enum ScheduleFile {
    /// The longest follow-up a template may describe: 50 years.
    static let maximumMonth = 600

    static func read(_ file: TOMLSection) -> ScheduleTemplate? {
        let id = file.string("id", required: true)
        if let id, !Identifier.isValid(id) {
            file.problem("id", "`\(id)` is not a valid id (letters, digits, `.`, `_`, `-`; at most 64)")
        }
        let name = file.string("name") ?? id
        let base = file.choice("extends", RiskTier.self)
        let sections = file.sections("visits", required: base == nil) ?? []
        file.rejectUnknownKeys()

        var byMonth: [Int: VisitRule] = [:]
        if let base {
            for rule in ScheduleTemplate.standard(for: base).visits { byMonth[rule.month] = rule }
        }
        var defined: Set<Int> = []
        var valid = true
        for visit in sections {
            guard let month = visit.int("month", required: true, range: 1...maximumMonth) else {
                valid = false
                continue
            }
            let inherited = byMonth[month]
            let early = visit.int("early_days", required: inherited == nil, range: 0...365)
            let late = visit.int("late_days", required: inherited == nil, range: 0...365)
            let mode = visit.choice("mode", VisitMode.self)
            let names = visit.stringArray("assessments", required: inherited == nil)
            visit.rejectUnknownKeys()
            var assessments: [Assessment] = []
            for (index, name) in (names ?? []).enumerated() {
                if let assessment = Assessment(rawValue: name) {
                    if !assessments.contains(assessment) { assessments.append(assessment) }
                } else {
                    visit.problem("assessments[\(index)]", "`\(name)` is not one of: \(Assessment.choices)")
                    valid = false
                }
            }
            if names?.isEmpty == true {
                visit.problem("assessments", "must list at least one assessment")
                valid = false
            }
            guard defined.insert(month).inserted else {
                visit.problem("month", "M\(month) is defined twice")
                valid = false
                continue
            }
            guard let earlyDays = early ?? inherited?.earlyDays, let lateDays = late ?? inherited?.lateDays else {
                valid = false
                continue
            }
            byMonth[month] = VisitRule(month: month, earlyDays: earlyDays, lateDays: lateDays,
                                       mode: mode ?? inherited?.mode ?? .inPerson,
                                       assessments: names == nil ? inherited?.assessments ?? [] : assessments)
        }
        guard valid, let id, Identifier.isValid(id), let name, !byMonth.isEmpty else {
            if valid, id != nil, byMonth.isEmpty { file.problem("visits", "a template needs at least one visit") }
            return nil
        }
        let template = ScheduleTemplate(id: id, name: name, visits: Array(byMonth.values))
        if let base {
            do {
                try template.checkCovers(base)
            } catch {
                file.problem("visits", error.message)
                return nil
            }
        }
        return template
    }
}
