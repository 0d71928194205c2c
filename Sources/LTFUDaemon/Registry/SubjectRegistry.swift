import Foundation
import LTFUConfig
import LTFUCore
import LTFUStore
import LTFUWire
import Synchronization

/// The daemon's domain actions: turns API requests into checked store changes and answers.
/// Owns the one notion of "today" (the site's zone, from an injectable clock) and the
/// product catalog, which a reload swaps whole.
public final class SubjectRegistry: Sendable {
    /// A person's changes go through this copy: they wait ``FollowUpStore/changeWait`` for
    /// a long write, then are refused as `busy` (issue #23).
    public let store: FollowUpStore
    /// The daemon's own services (scheduler, mail, calendar) wait as long as it takes.
    public let serviceStore: FollowUpStore
    /// Issue #23: the long write now under way (an import), for `status` and `busy`.
    public let activity = Mutex<ActivityResponse?>(nil)
    /// The running import as its phrase, for the `busy` answer in the asker's language (issue #22).
    let activityHolder = Mutex<WriteGate.Holder?>(nil)
    /// Told as a long write goes (the watchdog's proof that it is not stuck).
    public let heartbeat: Heartbeat
    private let state: Mutex<State>
    private let clock: @Sendable () -> Date
    private let changeObserver = Mutex<(@Sendable () -> Void)?>(nil)
    /// `status`' counts, kept until the store writes (``statusCounts(today:)``).
    let keptStatus = Mutex<StatusCounts?>(nil)

    struct State {
        var configuration: SiteConfiguration
        var catalog: ProductCatalog
    }

    /// Free text (notes, reasons) is kept short: it is for a line on a form, not a report.
    static let maximumTextLength = 1000

    public init(store: FollowUpStore, configuration: SiteConfiguration, catalog: ProductCatalog,
                clock: @escaping @Sendable () -> Date = Date.init, heartbeat: Heartbeat = Heartbeat())
    {
        self.store = store.waiting(upTo: FollowUpStore.changeWait)
        self.serviceStore = store.waiting(upTo: nil)
        self.heartbeat = heartbeat
        self.state = Mutex(State(configuration: configuration, catalog: catalog))
        self.clock = clock
    }

    public var configuration: SiteConfiguration { state.withLock { $0.configuration } }
    public var catalog: ProductCatalog { state.withLock { $0.catalog } }

    /// Puts a new configuration and catalog in force (after a successful reload).
    public func replace(configuration: SiteConfiguration, catalog: ProductCatalog) {
        state.withLock { $0 = State(configuration: configuration, catalog: catalog) }
        keptStatus.withLock { $0 = nil }
    }

    /// Called after every successful change (the scheduler plans again).
    public func onChange(_ observer: @escaping @Sendable () -> Void) {
        changeObserver.withLock { $0 = observer }
    }

    func changed() {
        changeObserver.withLock { $0 }?()
    }

    public var now: Date { clock() }

    /// The site's local date now.
    public var today: CalendarDate { CalendarDate(clock(), in: configuration.site.timeZone) }

    // MARK: - Changes

    public func enroll(_ request: EnrollRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(request.code)
        guard let product = catalog.products[request.product] else {
            let known = catalog.products.keys.sorted()
            let values: KeyValuePairs<String, any LTFUError.Placeable> = [
                "product": request.product, "folder": configuration.paths.products, "known": known.joined(separator: ", "),
            ]
            if known.isEmpty {
                throw LTFUError(.notFound, code: "unknown-product", "no product `{product}` in {folder} (known: none)", values)
            }
            throw LTFUError(.notFound, code: "unknown-product", "no product `{product}` in {folder} (known: {known})", values)
        }
        guard !request.infused.isEmpty else {
            throw LTFUError(.usage, code: "missing-infusion", "subject `{subject}` needs at least one infusion date", ["subject": request.code])
        }
        let today = today
        var infusions: [CalendarDate] = []
        for text in request.infused {
            let date = try CalendarDate(parsing: text, what: .phrase("infusion date"))
            try DateRules.notInFuture(date, today: today, what: .phrase("infusion date"))
            infusions.append(date)
        }
        let birthDate = try request.born.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("birth date")) }
        if let birthDate { try DateRules.notInFuture(birthDate, today: today, what: .phrase("birth date")) }
        let catalog = catalog
        let plan = try catalog.plan(for: product, infusions: infusions, birthDate: birthDate)
        var consent: ConsentInput?
        switch (request.consentOn, request.consentBy) {
        case (nil, nil): consent = nil
        case let (on?, by?): consent = try Self.consentInput(on: on, by: by, form: nil)
        default:
            throw LTFUError(.usage, code: "incomplete-consent", "give the consent at enrollment as both --consent-on and --consent-by, or neither")
        }
        let detail = try store.enroll(
            Enrollment(code: request.code, product: product, infusions: infusions, birthDate: birthDate, plan: plan,
                       templateId: catalog.template(for: product).id, consent: consent, consentRule: configuration.consent,
                       today: today),
            by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    public func infuse(code: String, _ request: InfuseRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        let date = try CalendarDate(parsing: request.on, what: .phrase("infusion date"))
        let catalog = catalog
        let today = today
        let detail = try store.infuse(code: code, on: date, today: today, by: actor, at: now,
                                      consentRule: configuration.consent) { subject, product, infusions throws(LTFUError) in
            // SPEC §3: a subject keeps the tier (and product) it was enrolled with.
            let template = product.schedule.flatMap { catalog.schedules[$0] } ?? .standard(for: product.tier.tier)
            let plan = try FollowUpPlan(tier: product.tier, template: template, infusions: infusions, birthDate: subject.birthDate)
            return (plan, template.id)
        }
        changed()
        return show(detail, today: today)
    }

    public func record(code: String, visit: String, _ request: RecordRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        try Self.requireVisitCode(visit)
        let date = try CalendarDate(parsing: request.on, what: .phrase("visit date"))
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        let today = today
        let detail = try store.record(code: code, visit: visit, on: date, note: note?.isEmpty == true ? nil : note,
                                      today: today, by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    public func miss(code: String, visit: String, _ request: MissRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        try Self.requireVisitCode(visit)
        let reason = try Self.freeText(request.reason, field: "reason", required: true)
        let detail = try store.miss(code: code, visit: visit, reason: reason, by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    public func end(code: String, _ request: EndRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        guard let reason = EndReason(rawValue: request.reason) else {
            throw LTFUError(.data, code: "invalid-end-reason", "`{text}` is not a reason to end follow-up (one of: {choices})",
                            ["text": request.reason, "choices": EndReason.choices])
        }
        let date = try CalendarDate(parsing: request.on, what: .phrase("end date"))
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        // SPEC §10: `end --reason death` records the death event: one path, one signal.
        if reason == .death {
            return try recordEvent(code: code, EventInput(kind: .death, date: date, related: .unknown, note: note?.isEmpty == true ? nil : note),
                                   by: actor)
        }
        let force = request.force ?? false
        if force, note?.isEmpty ?? true {
            throw LTFUError(.data, code: "force-needs-note", "`force` (ltfuctl end --force) needs a `note` (--note) saying why the subject is ended without the retention evidence")
        }
        let today = today
        let detail = try store.end(code: code, reason: reason, on: date, today: today, retention: configuration.retention, force: force,
                                   note: note?.isEmpty == true ? nil : note, by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    // MARK: - Checks

    static func requireSubjectCode(_ code: String) throws(LTFUError) {
        guard Identifier.isValid(code) else {
            throw LTFUError(.data, code: "invalid-subject-code",
                            "`{code}` is not a valid subject code: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit", ["code": code])
        }
    }

    static func requireVisitCode(_ code: String) throws(LTFUError) {
        let digits = code.dropFirst()
        // M<months> (SPEC §4) or U<n>, an unscheduled visit (SPEC §10).
        guard code.first == "M" || code.first == "U", !digits.isEmpty, digits.count <= 3,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw LTFUError(.data, code: "invalid-visit-code", "`{code}` is not a visit code such as M1, M12, M180 or U1", ["code": code])
        }
    }

    static func freeText(_ text: String, field: String, required: Bool) throws(LTFUError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, trimmed.isEmpty {
            throw LTFUError(.data, code: "missing-\(field)", "a {field} is required", ["field": field])
        }
        guard trimmed.count <= maximumTextLength else {
            throw LTFUError(.data, code: "\(field)-too-long", "the {field} is {count} characters; at most {maximum}",
                            ["field": field, "count": trimmed.count, "maximum": maximumTextLength])
        }
        return trimmed
    }
}
