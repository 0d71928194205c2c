import Foundation
import LTFUCore
import LTFUStore
import LTFUWire

/// SPEC §10: results, safety events and the acknowledgement of signals.
extension SubjectRegistry {
    public func result(code: String, visit: String, _ request: ResultRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        try Self.requireVisitCode(visit)
        guard let assessment = Assessment(rawValue: request.assessment) else {
            throw LTFUError(.data, code: "invalid-assessment",
                            "`{text}` is not an assessment (one of: {choices})", ["text": request.assessment, "choices": Assessment.choices])
        }
        let date = try request.on.map { text throws(LTFUError) in try CalendarDate(parsing: text, what: .phrase("result date")) }
        try ResultVocabulary.check(assessment: assessment, value: request.value, sample: request.sample, percent: request.percent)
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        let input = ResultInput(assessment: assessment, value: request.value, date: date, sample: request.sample,
                                percent: request.percent, note: note?.isEmpty == true ? nil : note)
        let today = today
        let detail = try store.recordResult(code: code, visit: visit, input, settings: configuration.safety, today: today,
                                            by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    public func event(code: String, _ request: EventRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        guard let kind = SafetyEventKind(rawValue: request.kind) else {
            throw LTFUError(.data, code: "invalid-event-kind", "`{text}` is not a safety event (one of: {choices})",
                            ["text": request.kind, "choices": SafetyEventKind.choices])
        }
        let related = try request.related.map { text throws(LTFUError) in
            guard let related = Relatedness(rawValue: text) else {
                throw LTFUError(.data, code: "invalid-related", "`{text}` is not a relatedness (one of: {choices})", ["text": text, "choices": Relatedness.choices])
            }
            return related
        } ?? .unknown
        let date = try CalendarDate(parsing: request.on, what: .phrase("event date"))
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        return try recordEvent(code: code, EventInput(kind: kind, date: date, related: related, note: note?.isEmpty == true ? nil : note),
                               by: actor)
    }

    /// One path for every event, `end --reason death` included.
    func recordEvent(code: String, _ input: EventInput, by actor: Actor) throws(LTFUError) -> ShowResponse {
        let today = today
        let detail = try store.recordEvent(code: code, input, today: today, by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    public func signals(all: Bool) throws(LTFUError) -> [SignalEntry] {
        try store.signals(all: all).map(Self.signalEntry)
    }

    public func acknowledge(id: String, _ request: AckRequest, by actor: Actor) throws(LTFUError) -> SignalEntry {
        try Self.requireNotificationId(id)
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        let detail = try store.acknowledge(id: id, note: note?.isEmpty == true ? nil : note, by: actor, at: now)
        changed()
        return Self.signalEntry(detail)
    }

    /// Each product's stopping rules with a nonzero count, with the thresholds now in force.
    public func stoppingRules() throws(LTFUError) -> [StoppingRuleEntry] {
        let settings = configuration.safety
        return try store.stoppingRuleCounts().map {
            StoppingRuleEntry(product: $0.product, rule: $0.rule, count: $0.count, threshold: $0.rule.threshold(in: settings),
                              met: $0.openNotification != nil, id: $0.openNotification)
        }
    }

    static func signalEntry(_ n: NotificationDetail) -> SignalEntry {
        SignalEntry(id: n.id, kind: n.kind, signal: n.signal, subject: n.subject, visit: n.visit, product: n.product, date: n.date,
                    acknowledgedAt: n.acknowledgedAt, acknowledgedBy: n.acknowledgedBy, assessment: n.assessment, value: n.value,
                    eventKind: n.eventKind, rule: n.rule, count: n.count, threshold: n.threshold, detail: n.detail)
    }

    /// Notification ids are 32 lower-case hex digits.
    static func requireNotificationId(_ id: String) throws(LTFUError) {
        guard id.utf8.count == 32, id.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else {
            throw LTFUError(.usage, code: "invalid-notification-id",
                            "`{id}` is not a notification id (32 hex digits, as `ltfuctl signals` lists them)", ["id": id])
        }
    }
}
