import Foundation
import LTFUCore
import LTFUStore
import LTFUWire

/// SPEC §11: contact attempts and consents.
extension SubjectRegistry {
    public func contact(code: String, _ request: ContactRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        let date = try CalendarDate(parsing: request.on, what: .phrase("contact date"))
        guard let method = ContactMethod(rawValue: request.by) else {
            throw LTFUError(.data, code: "invalid-contact-method", "`{text}` is not a way of contact (one of: {choices})",
                            ["text": request.by, "choices": ContactMethod.choices])
        }
        guard let outcome = ContactOutcome(rawValue: request.outcome) else {
            throw LTFUError(.data, code: "invalid-contact-outcome", "`{text}` is not an outcome (one of: {choices})",
                            ["text": request.outcome, "choices": ContactOutcome.choices])
        }
        if let visit = request.visit { try Self.requireVisitCode(visit) }
        let note = try request.note.map { text throws(LTFUError) in try Self.freeText(text, field: "note", required: false) }
        let today = today
        let detail = try store.recordContact(code: code, ContactInput(date: date, method: method, outcome: outcome, visit: request.visit,
                                                                      note: note?.isEmpty == true ? nil : note),
                                             today: today, by: actor, at: now)
        if outcome.isFailure {
            _ = try store.scheduleRetentionRisks(rule: configuration.retention, today: today, fireOn: today, at: now, subjectCode: code)
        }
        changed()
        return show(detail, today: today)
    }

    public func consent(code: String, _ request: ConsentRequest, by actor: Actor) throws(LTFUError) -> ShowResponse {
        try Self.requireSubjectCode(code)
        let input = try Self.consentInput(on: request.on, by: request.by, form: request.form)
        let today = today
        let detail = try store.recordConsent(code: code, input, rule: configuration.consent, today: today, by: actor, at: now)
        changed()
        return show(detail, today: today)
    }

    /// A consent's fields, parsed and checked; shared by `consent` and `enroll`.
    static func consentInput(on: String, by: String, form: String?) throws(LTFUError) -> ConsentInput {
        let date = try CalendarDate(parsing: on, what: .phrase("consent date"))
        guard let giver = ConsentGiver(rawValue: by) else {
            throw LTFUError(.data, code: "invalid-consent-giver", "`{text}` is not who consents (one of: {choices})", ["text": by, "choices": ConsentGiver.choices])
        }
        if let form, !Identifier.isValid(form) {
            throw LTFUError(.data, code: "invalid-form", "`{form}` is not a form version: 1 to 64 letters, digits, `.`, `_` or `-`", ["form": form])
        }
        return ConsentInput(date: date, giver: giver, form: form)
    }
}
