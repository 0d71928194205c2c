import Foundation
import Crypto
import GRDB
import LTFUCore

/// A file of an import: its name for problems and its SHA-256 for the audit trail.
public struct ImportSource: Sendable, Hashable {
    public var name: String
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}

/// A row of the subjects file, checked and planned by the registry.
public struct ImportedSubject: Sendable {
    /// One infusion and the series it anchors: the plan of all infusions up to it (SPEC §5).
    public struct Series: Sendable {
        public var infusion: CalendarDate
        public var plan: FollowUpPlan

        public init(infusion: CalendarDate, plan: FollowUpPlan) {
            self.infusion = infusion
            self.plan = plan
        }
    }

    public var line: Int
    public var code: String
    public var product: Product
    public var templateId: String
    /// In infusion order; an import replays them as `enroll` then `infuse`.
    public var series: [Series]
    public var birthDate: CalendarDate?
    public var consent: ConsentInput?
    public var end: (reason: EndReason, date: CalendarDate)?

    public init(line: Int, code: String, product: Product, templateId: String, series: [Series], birthDate: CalendarDate?,
                consent: ConsentInput?, end: (reason: EndReason, date: CalendarDate)?)
    {
        self.line = line
        self.code = code
        self.product = product
        self.templateId = templateId
        self.series = series
        self.birthDate = birthDate
        self.consent = consent
        self.end = end
    }
}

/// A row of the visits file, checked by the registry.
public struct ImportedVisit: Sendable {
    public enum Outcome: Sendable, Hashable {
        case done(CalendarDate)
        case missed(reason: String)
    }

    public var line: Int
    public var code: String
    public var visit: String
    /// `nil` for a row that only lists the visit (an export's open or cancelled one).
    public var outcome: Outcome?
    /// An export's `target` column: it says which calendar (series) the visit is in.
    public var target: CalendarDate?
    public var results: [ResultInput]

    public init(line: Int, code: String, visit: String, outcome: Outcome?, target: CalendarDate?, results: [ResultInput]) {
        self.line = line
        self.code = code
        self.visit = visit
        self.outcome = outcome
        self.target = target
        self.results = results
    }
}

/// Everything one import writes, with the rules in force.
public struct ImportBatch: Sendable {
    public var subjectsFile: ImportSource
    public var visitsFile: ImportSource?
    public var subjects: [ImportedSubject]
    /// Visit rows by subject code, in file order; a code may be a subject already stored.
    public var visits: [String: [ImportedVisit]]
    public var today: CalendarDate
    public var consentRule: ConsentRule
    public var safety: SafetySettings
    /// Issue #28, `ltfuctl import --history-only`: open visits of the subjects this import
    /// creates whose window closed before this day raise no notification, now or later
    /// (``FollowUpStore/neverNotify``); they stay overdue in every list. `nil`: all alert.
    public var quietBefore: CalendarDate?

    public init(subjectsFile: ImportSource, visitsFile: ImportSource?, subjects: [ImportedSubject], visits: [String: [ImportedVisit]],
                today: CalendarDate, consentRule: ConsentRule, safety: SafetySettings, quietBefore: CalendarDate? = nil)
    {
        self.quietBefore = quietBefore
        self.subjectsFile = subjectsFile
        self.visitsFile = visitsFile
        self.subjects = subjects
        self.visits = visits
        self.today = today
        self.consentRule = consentRule
        self.safety = safety
    }
}

/// What an import did.
public struct ImportCounts: Sendable, Hashable {
    public var subjectsCreated = 0
    public var subjectsUnchanged = 0
    public var subjectsUpdated = 0
    public var visitsRecorded = 0
    public var visitsUnchanged = 0
    public var resultsRecorded = 0
    public var unscheduledSkipped = 0
    /// Open visits of a history-only import that will raise no notification.
    public var visitsQuiet = 0
}

extension FollowUpStore {
    /// SPEC §12: the whole import in one transaction, or nothing. Each subject runs the same
    /// checks as `enroll`, `record`, `miss`, `result`, `infuse`, `consent` and `end` do; a
    /// subject already stored as the file has it is left alone, and its visit rows only add
    /// outcomes still open. Every problem found is listed (the others' subjects still checked);
    /// one problem and nothing is written. `dryRun` checks and counts, then rolls back.
    ///
    /// Issue #23: `holder` names the import to every writer that must wait for it,
    /// `subjectDone` hears of every subject (the watchdog's heartbeat: a slow machine may
    /// take seconds for 500), and `progress` how many subjects were handled, every 500.
    public func importBatch(_ batch: ImportBatch, dryRun: Bool, by actor: Actor, at instant: Date,
                            holder: WriteGate.Holder = .change(), subjectDone: () -> Void = {},
                            progress: (Int) -> Void = { _ in }) throws(LTFUError) -> ImportCounts {
        struct Rollback: Error { var counts: ImportCounts }
        do {
            return try writeAll(as: holder) { db in
                let run = ImportRun(batch: batch, key: auditKey, actor: actor, instant: instant)
                for (index, subject) in batch.subjects.enumerated() where run.problems.count <= ImportProblem.listed {
                    try run.inSavepoint(db) { db throws in try run.importSubject(db, subject) }
                    subjectDone()
                    if (index + 1) % 500 == 0 { progress(index + 1) }
                }
                progress(batch.subjects.count)
                let listed = Set(batch.subjects.map(\.code))
                for code in batch.visits.keys.sorted() where !listed.contains(code) {
                    try run.inSavepoint(db) { db throws in try run.updateStored(db, code: code) }
                }
                guard run.problems.isEmpty else { throw ImportProblem.refusal(run.problems.sorted { ($0.file, $0.line) < ($1.file, $1.line) }) }
                if dryRun { throw Rollback(counts: run.counts) }
                return run.counts
            }
        } catch let rollback as Rollback {
            return rollback.counts
        } catch let error as LTFUError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw LTFUError(.storageFull, code: "disk-full", "the disk holding the database is full ({path}): nothing was imported", ["path": path])
        } catch {
            throw LTFUError(.internal, code: "database-error", "the database refused the import: {reason}", ["reason": "\(error)"])
        }
    }
}

/// One import's walk through its subjects: the problems so far, the counts, the audit key.
/// Lives inside one write transaction, on its one thread.
final class ImportRun {
    let batch: ImportBatch
    let key: AuditKey?
    let actor: Actor
    let instant: Date
    var problems: [ImportProblem] = []
    var counts = ImportCounts()

    init(batch: ImportBatch, key: AuditKey?, actor: Actor, instant: Date) {
        self.batch = batch
        self.key = key
        self.actor = actor
        self.instant = instant
    }

    /// A problem at a place in a file.
    struct Located: Error {
        var problem: ImportProblem
    }

    func subjectsAt(_ line: Int, _ column: String) -> (String, Int, String) { (batch.subjectsFile.name, line, column) }
    func visitsAt(_ line: Int, _ column: String) -> (String, Int, String) { (batch.visitsFile?.name ?? "visits", line, column) }

    /// The problem at `place`, to throw.
    func problem(_ place: (String, Int, String), _ reason: LTFUError.Value) -> Located {
        Located(problem: ImportProblem(file: place.0, line: place.1, column: place.2, reason))
    }

    /// A visit row naming a visit the calendar from `dayZero` does not have.
    func noSuchVisit(_ row: ImportedVisit, dayZero: CalendarDate, visits: [String]) -> Located {
        problem(visitsAt(row.line, "visit"),
                .phrase("the calendar of subject `{subject}` from day 0 {dayZero} has no visit `{visit}` (visits: {visits})",
                        ["subject": row.code, "dayZero": dayZero, "visit": row.visit, "visits": visits.joined(separator: ", ")]))
    }

    /// Runs `body`; a refusal it throws becomes a problem at `place`.
    func at<T>(_ place: (String, Int, String), _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LTFUError where error.kind != .internal && error.kind != .storageFull {
            throw problem(place, .error(error))
        }
    }

    /// One subject's changes in a savepoint: a problem rolls back just them and is listed.
    func inSavepoint(_ db: Database, _ body: (Database) throws -> Void) throws {
        var located: Located?
        let before = counts
        try db.inSavepoint {
            do {
                try body(db)
                return .commit
            } catch let error as Located {
                located = error
                return .rollback
            }
        }
        if let located {
            counts = before
            problems.append(located.problem)
        }
    }

    // MARK: - A subject of the file

    func importSubject(_ db: Database, _ subject: ImportedSubject) throws {
        if try SubjectDetail.exists(db, code: subject.code) {
            return try updateStored(db, code: subject.code, file: subject)
        }
        guard let first = subject.series.first else {
            throw problem(subjectsAt(subject.line, "infused"), .phrase("no infusion date"))
        }
        var applied = Applied()
        let rows = batch.visits[subject.code] ?? []
        let assigned = try assign(rows, seriesStarts: subject.series.map(\.infusion),
                                  calendars: subject.series.map { Set($0.plan.visits.map { VisitKey(code: $0.code, target: $0.target) }) })
        // Each calendar is written with its history already on its visits: as `record` and
        // `miss` would have left them, in one INSERT each.
        let enrollment = Enrollment(code: subject.code, product: subject.product, infusions: [first.infusion], birthDate: subject.birthDate,
                                    plan: first.plan, templateId: subject.templateId, consentRule: batch.consentRule, today: batch.today)
        let firstRows = try NewSeriesRows(assigned[0] ?? [], plan: first.plan, run: self)
        var (change, detail) = try at(subjectsAt(subject.line, "code")) {
            try FollowUpStore.insertEnrollment(db, enrollment, at: instant) { visit in
                try firstRows.prepare(&visit, run: self, applied: &applied)
            }
        }
        try completeSeries(db, firstRows, seriesIndex: 0, detail: &detail, applied: &applied)
        if let consent = subject.consent {
            try at(subjectsAt(subject.line, "consent_on")) {
                try FollowUpStore.insertConsent(db, detail: detail, consent, rule: batch.consentRule, today: batch.today, at: instant)
            }
            change["consent"] = "\(consent.giver.rawValue) \(consent.date)"
            detail = try SubjectDetail.fetch(db, code: subject.code)
        }
        for (index, series) in subject.series.enumerated().dropFirst() {
            let seriesRows = try NewSeriesRows(assigned[index] ?? [], plan: series.plan, run: self)
            change["series\(index + 1)"] = try at(subjectsAt(subject.line, "infused")) {
                try FollowUpStore.reinfuse(db, detail: detail, on: series.infusion, plan: series.plan, templateId: subject.templateId,
                                           today: batch.today, consentRule: batch.consentRule, at: instant) { visit in
                    try seriesRows.prepare(&visit, run: self, applied: &applied)
                }
            }
            detail = try SubjectDetail.fetch(db, code: subject.code)
            try completeSeries(db, seriesRows, seriesIndex: index, detail: &detail, applied: &applied)
        }
        if let end = subject.end {
            try endSubject(db, end, line: subject.line, code: subject.code, change: &change)
        }
        if let before = batch.quietBefore, let subjectId = detail.subject.id {
            // Issue #28: history the site's register already holds; README, Import.
            let quiet = try db.cachedStatement(sql: """
                UPDATE visit SET nextNotifyOn = ?, notifiedThrough = ? WHERE subjectId = ? AND state = 'open' AND windowClose < ?
                """)
            try quiet.execute(arguments: [FollowUpStore.neverNotify, batch.today, subjectId, before])
            change["historyOnly"] = true
            change["visitsQuiet"] = db.changesCount
            counts.visitsQuiet += db.changesCount
        }
        counts.subjectsCreated += 1
        try audit(db, code: subject.code, line: subject.line, created: true, change: change, applied: applied)
    }

    /// The rows of a calendar about to be written. Without a finding among their results
    /// they go onto its visits before the INSERT (`prepare`), as `record` and `miss` would have
    /// left them. A finding's rule may change later visits of the calendar (SPEC §10: RCL
    /// archives become tests, an unscheduled visit is added), so then the rows go in one by
    /// one in date order, each outcome with its results, as by hand (`completeSeries`).
    struct NewSeriesRows {
        let rows: [ImportedVisit]
        let plan: FollowUpPlan
        let byVisit: [String: [ImportedVisit]]
        let replayed: Bool

        /// Refuses a row naming a visit the calendar does not have.
        init(_ rows: [ImportedVisit], plan: FollowUpPlan, run: ImportRun) throws {
            let codes = Set(plan.visits.map(\.code))
            if let row = rows.first(where: { !codes.contains($0.visit) }) {
                throw run.noSuchVisit(row, dayZero: plan.dayZero, visits: plan.visits.map(\.code))
            }
            self.rows = rows
            self.plan = plan
            byVisit = Dictionary(grouping: rows, by: \.visit)
            replayed = rows.contains { row in
                row.results.contains {
                    ResultVocabulary.finding(assessment: $0.assessment, value: $0.value, percent: $0.percent, settings: run.batch.safety) != nil
                }
            }
        }

        func prepare(_ visit: inout VisitRecord, run: ImportRun, applied: inout Applied) throws {
            guard !replayed else { return }
            try run.applyOutcomes(byVisit[visit.code] ?? [], to: &visit, dayZero: plan.dayZero, applied: &applied)
        }

        /// Date order; a missed visit at its target.
        var inDateOrder: [ImportedVisit] {
            let targets = Dictionary(plan.visits.map { ($0.code, $0.target) }, uniquingKeysWith: { first, _ in first })
            func day(_ row: ImportedVisit) -> CalendarDate {
                if case .done(let date)? = row.outcome { return date }
                return targets[row.visit] ?? plan.dayZero
            }
            return rows.enumerated().sorted { (day($0.element), $0.offset) < (day($1.element), $1.offset) }.map(\.element)
        }
    }

    /// After a calendar is written: its replayed rows, or else the last contact its prepared
    /// outcomes reached and their results.
    func completeSeries(_ db: Database, _ rows: NewSeriesRows, seriesIndex: Int, detail: inout SubjectDetail, applied: inout Applied) throws {
        if rows.replayed {
            for row in rows.inDateOrder {
                try apply(db, row, seriesIndex: seriesIndex, detail: &detail, applied: &applied)
            }
            return
        }
        guard let subjectId = detail.subject.id, let seriesId = detail.series[seriesIndex].id else { return }
        let lastDone = rows.rows.compactMap { row -> CalendarDate? in
            if case .done(let date)? = row.outcome { return date }
            return nil
        }.max()
        if let lastDone { try FollowUpStore.touchLastContact(db, subjectId: subjectId, on: lastDone) }
        for row in rows.rows where !row.results.isEmpty {
            try recordResults(db, row, seriesId: seriesId, detail: &detail, applied: &applied)
        }
    }

    // MARK: - A subject already stored

    /// SPEC §12: a stored subject the file describes the same is left alone; what differs is
    /// a conflict naming the stored value; visit rows may add outcomes still open.
    func updateStored(_ db: Database, code: String, file subject: ImportedSubject? = nil) throws {
        guard try SubjectDetail.exists(db, code: code) else {
            throw problem(visitsAt(batch.visits[code]?.first?.line ?? 0, "code"), .phrase("no subject `{subject}` is enrolled or in {file}", ["subject": code, "file": batch.subjectsFile.name]))
        }
        var detail = try SubjectDetail.fetch(db, code: code)
        var change: [String: any Sendable] = [:]
        if let subject {
            try requireSame(subject, detail)
            if let consent = subject.consent {
                if let latest = detail.consents.last {
                    guard latest.date == consent.date, latest.giver == consent.giver else {
                        throw problem(subjectsAt(subject.line, "consent_on"),
                                      .phrase("subject `{subject}` is stored with the latest consent by {storedBy} on {storedOn}, not by {givenBy} on {givenOn}",
                                              ["subject": code, "storedBy": latest.giver.rawValue, "storedOn": latest.date,
                                               "givenBy": consent.giver.rawValue, "givenOn": consent.date]))
                    }
                } else {
                    try at(subjectsAt(subject.line, "consent_on")) {
                        try FollowUpStore.insertConsent(db, detail: detail, consent, rule: batch.consentRule, today: batch.today, at: instant)
                    }
                    change["consent"] = "\(consent.giver.rawValue) \(consent.date)"
                    detail = try SubjectDetail.fetch(db, code: code)
                }
            }
        }
        var applied = Applied()
        let rows = batch.visits[code] ?? []
        let starts = detail.series.map(\.dayZero)
        let calendars = detail.series.map { series in
            Set(detail.visits.filter { $0.seriesId == series.id && $0.purpose == nil }.map { VisitKey(code: $0.code, target: $0.target) })
        }
        let assigned = try assign(rows, seriesStarts: starts, calendars: calendars)
        for index in detail.series.indices {
            for row in assigned[index] ?? [] {
                try apply(db, row, seriesIndex: index, detail: &detail, applied: &applied)
            }
        }
        if let subject {
            switch (subject.end, detail.subject.status) {
            case (nil, .active): break
            case let (end?, .active):
                try endSubject(db, end, line: subject.line, code: subject.code, change: &change)
            case let (end?, .ended) where end.reason == detail.subject.endReason && end.date == detail.subject.endedOn: break
            case (_, .ended):
                let stored: KeyValuePairs<String, any LTFUError.Placeable> = [
                    "subject": code, "reason": detail.subject.endReason?.rawValue ?? "?", "date": detail.subject.endedOn?.description ?? "?",
                    "given": subject.end?.reason.rawValue ?? "", "givenOn": subject.end?.date.description ?? "",
                ]
                throw problem(subjectsAt(subject.line, "ended_on"), subject.end == nil
                    ? .phrase("subject `{subject}` is stored as ended ({reason} on {date}); the file has it in follow-up", stored)
                    : .phrase("subject `{subject}` is stored as ended ({reason} on {date}), not {given} on {givenOn}", stored))
            }
        }
        if change.isEmpty && applied.isEmpty {
            if subject != nil { counts.subjectsUnchanged += 1 }
            return
        }
        counts.subjectsUpdated += 1
        try audit(db, code: code, line: subject?.line ?? rows.first?.line ?? 0, created: false, change: change, applied: applied)
    }

    func requireSame(_ subject: ImportedSubject, _ detail: SubjectDetail) throws {
        let code = subject.code
        let stored = detail.subject
        func conflict(_ column: String, _ stored: LTFUError.Value) -> Located {
            problem(subjectsAt(subject.line, column), .phrase("subject `{subject}` is already enrolled with {stored}", ["subject": code, "stored": stored]))
        }
        guard stored.productId == subject.product.id else {
            throw conflict("product", .phrase("product {stored}, not {given}", ["stored": stored.productId, "given": subject.product.id]))
        }
        let infusions = subject.series.map(\.infusion)
        guard detail.infusions == infusions else {
            throw conflict("infused", .phrase("infusions {stored}, not {given}", ["stored": detail.infusions.map(\.description).joined(separator: ";"),
                                                                                    "given": infusions.map(\.description).joined(separator: ";")]))
        }
        // The stored birth date is not named: it may identify the subject.
        guard stored.birthDate == subject.birthDate else {
            throw conflict("born", stored.birthDate == nil ? .phrase("no birth date") : .phrase("another birth date"))
        }
    }

    // MARK: - Visit rows

    struct VisitKey: Hashable {
        var code: String
        var target: CalendarDate
    }

    /// What the rows of one subject added, for its audit entry.
    struct Applied {
        var done = 0, missed = 0, results = 0
        var isEmpty: Bool { done == 0 && missed == 0 && results == 0 }
    }

    /// Which series each row belongs to: the one whose calendar has the row's `target` (an
    /// export's rows); otherwise a done visit's series is the latest infusion on or before its
    /// date, and a missed one's the current series.
    func assign(_ rows: [ImportedVisit], seriesStarts: [CalendarDate], calendars: [Set<VisitKey>]) throws -> [Int: [ImportedVisit]] {
        var assigned: [Int: [ImportedVisit]] = [:]
        for row in rows {
            if row.visit.hasPrefix("U") {
                counts.unscheduledSkipped += 1
                continue
            }
            let index: Int
            if let target = row.target {
                guard let found = calendars.lastIndex(where: { $0.contains(VisitKey(code: row.visit, target: target)) }) else {
                    throw problem(visitsAt(row.line, "target"), .phrase("subject `{subject}` has no visit {visit} with target {target} in any of its calendars",
                                                                         ["subject": row.code, "visit": row.visit, "target": target]))
                }
                index = found
            } else if case .done(let date)? = row.outcome {
                index = seriesStarts.lastIndex(where: { $0 <= date }) ?? 0
            } else {
                index = max(0, seriesStarts.count - 1)
            }
            assigned[index, default: []].append(row)
        }
        return assigned
    }

    /// Puts the rows' outcome on a visit as `record` or `miss` would, or says why not: a
    /// visit already done the same way is left alone, any other difference is a conflict.
    func applyOutcomes(_ rows: [ImportedVisit], to visit: inout VisitRecord, dayZero: CalendarDate, applied: inout Applied) throws {
        for row in rows {
            let code = row.code
            switch (row.outcome, visit.state) {
            case (nil, _):
                counts.visitsUnchanged += 1
            case let (.done(date)?, .open):
                try at(visitsAt(row.line, "on")) {
                    try FollowUpStore.markDone(&visit, code: code, on: date, dayZero: dayZero, note: nil, today: batch.today, at: instant)
                }
                applied.done += 1
                counts.visitsRecorded += 1
            case let (.missed(reason)?, .open):
                try at(visitsAt(row.line, "outcome")) { try FollowUpStore.refuseReconsent(visit, code: code) }
                FollowUpStore.markMissed(&visit, reason: reason, at: instant)
                applied.missed += 1
                counts.visitsRecorded += 1
            case let (.done(date)?, .done) where visit.doneOn == date:
                counts.visitsUnchanged += 1
            case let (.missed(reason)?, .missed) where visit.missReason == reason:
                counts.visitsUnchanged += 1
            default:
                let stored: LTFUError.Value = switch visit.state {
                case .done: .phrase("done on {date}", ["date": visit.doneOn?.description ?? "?"])
                case .missed: row.outcome.map { if case .missed = $0 { true } else { false } } == true ? .phrase("missed with another reason") : .phrase("missed")
                case .cancelled: .phrase("cancelled ({reason})", ["reason": visit.cancelReason ?? "?"])
                case .open: .phrase("open")
                }
                let given: LTFUError.Value = switch row.outcome {
                case .done(let date)?: .phrase("done on {date}", ["date": date])
                case .missed?: .phrase("missed")
                case nil: .phrase("open")
                }
                throw problem(visitsAt(row.line, "outcome"), .phrase("visit {visit} of subject `{subject}` is stored as {stored} (or so given on an earlier line), not {given}",
                                                                     ["visit": row.visit, "subject": code, "stored": stored, "given": given]))
            }
        }
    }

    /// Applies one row to a stored visit of its series, as `record`/`miss` and `result` would.
    func apply(_ db: Database, _ row: ImportedVisit, seriesIndex: Int, detail: inout SubjectDetail, applied: inout Applied) throws {
        let series = detail.series[seriesIndex]
        guard let position = detail.visits.firstIndex(where: { $0.seriesId == series.id && $0.code == row.visit && $0.purpose == nil }) else {
            throw noSuchVisit(row, dayZero: series.dayZero,
                              visits: detail.visits.filter { $0.seriesId == series.id && $0.purpose == nil }.map(\.code))
        }
        var visit = detail.visits[position]
        let before = applied
        try applyOutcomes([row], to: &visit, dayZero: series.dayZero, applied: &applied)
        if applied.done != before.done || applied.missed != before.missed {
            try visit.update(db)
            if let date = visit.doneOn { try FollowUpStore.touchLastContact(db, subjectId: visit.subjectId, on: date) }
            detail.visits[position] = visit
        }
        try recordResults(db, row, seriesId: series.id, detail: &detail, applied: &applied)
    }

    /// The row's results on its done visit, as `result` would record them; one already
    /// stored with the same value is left alone.
    func recordResults(_ db: Database, _ row: ImportedVisit, seriesId: Int64?, detail: inout SubjectDetail, applied: inout Applied) throws {
        for input in row.results {
            guard let visit = detail.visits.first(where: { $0.seriesId == seriesId && $0.code == row.visit && $0.state == .done }),
                  let visitId = visit.id
            else { break }
            if let stored = detail.results.first(where: { $0.visitId == visitId && $0.assessment == input.assessment }) {
                guard stored.value == input.value, stored.percent == input.percent, stored.sample == input.sample else {
                    throw problem(visitsAt(row.line, "results"),
                                  .phrase("visit {visit} of subject `{subject}` is stored with {assessment}={stored}, not {given}; correct it with `ltfuctl result --note`",
                                          ["visit": row.visit, "subject": row.code, "assessment": input.assessment.rawValue, "stored": stored.value, "given": input.value]))
                }
                continue
            }
            _ = try at(visitsAt(row.line, "results")) {
                try FollowUpStore.insertResult(db, detail: detail, visit: row.visit, inSeries: seriesId, input, settings: batch.safety,
                                               today: batch.today, at: instant)
            }
            // A finding may have added a visit, changed a calendar or ended follow-up: read
            // the subject again. An ordinary result changed nothing else.
            if ResultVocabulary.finding(assessment: input.assessment, value: input.value, percent: input.percent, settings: batch.safety) != nil {
                detail = try SubjectDetail.fetch(db, code: row.code)
            }
            applied.results += 1
            counts.resultsRecorded += 1
        }
    }

    // MARK: - End and audit

    /// As `end` does; a death goes the one path of safety events (SPEC §10). A spreadsheet's
    /// lost-to-follow-up is taken as the site's evidence: the retention rule's attempts are
    /// not in the files, and the audit entry says the end was imported.
    func endSubject(_ db: Database, _ end: (reason: EndReason, date: CalendarDate), line: Int, code: String,
                    change: inout [String: any Sendable]) throws
    {
        // Read now: the rows just applied moved its last contact, and ending writes the subject back.
        let detail = try SubjectDetail.fetch(db, code: code)
        try at(subjectsAt(line, "ended_on")) {
            try FollowUpStore.requireActive(detail.subject)
            try FollowUpStore.checkEndDate(end.date, detail: detail, today: batch.today)
            if end.reason == .death {
                try FollowUpStore.insertEvent(db, detail: detail, EventInput(kind: .death, date: end.date, related: .unknown, note: nil),
                                              resultId: nil, visitId: nil, today: batch.today, at: instant)
            } else {
                try FollowUpStore.endSubject(db, detail: detail, reason: end.reason, on: end.date, today: batch.today, at: instant)
            }
        }
        change["ended"] = "\(end.reason.rawValue) \(end.date)"
        if end.reason == .lostToFollowUp { change["forcedWithoutEvidence"] = true }
    }

    /// SPEC §12: one `import` entry per subject, with the files' SHA-256.
    func audit(_ db: Database, code: String, line: Int, created: Bool, change: [String: any Sendable], applied: Applied) throws {
        var change = change
        change["created"] = created
        change["subjectsFile"] = batch.subjectsFile.name
        change["subjectsSHA256"] = batch.subjectsFile.sha256
        if let visits = batch.visitsFile {
            change["visitsFile"] = visits.name
            change["visitsSHA256"] = visits.sha256
        }
        change["line"] = line
        change["visitsDone"] = applied.done
        change["visitsMissed"] = applied.missed
        change["results"] = applied.results
        try AuditTrail.append(db, key: key, actor: actor, at: instant, action: "import", subject: code, change: change)
    }
}

extension ImportSource {
    /// A file by its name and text, hashed as its UTF-8 bytes (the file's own bytes).
    public init(name: String, text: String) {
        self.init(name: name, sha256: SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined())
    }
}
