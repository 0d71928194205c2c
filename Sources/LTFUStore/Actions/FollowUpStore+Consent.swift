import Foundation
import GRDB
import LTFUCore

/// A consent as recorded, already parsed by the registry.
public struct ConsentInput: Sendable, Hashable {
    public var date: CalendarDate
    public var giver: ConsentGiver
    public var form: String?

    public init(date: CalendarDate, giver: ConsentGiver, form: String?) {
        self.date = date
        self.giver = giver
        self.form = form
    }
}

extension FollowUpStore {
    /// Records a consent (SPEC §11) and applies the re-consent rule in the same transaction.
    public func recordConsent(code: String, _ input: ConsentInput, rule: ConsentRule, today: CalendarDate, by actor: Actor,
                              at instant: Date) throws(LTFUError) -> SubjectDetail
    {
        try write { db in
            let detail = try SubjectDetail.fetch(db, code: code)
            try Self.requireActive(detail.subject)
            try Self.insertConsent(db, detail: detail, input, rule: rule, today: today, at: instant)
            var change: [String: any Sendable] = ["date": input.date.description, "by": input.giver.rawValue]
            if let form = input.form { change["form"] = form }
            try AuditTrail.append(db, key: auditKey, actor: actor, at: instant, action: "consent", subject: code, change: change)
            return try SubjectDetail.fetch(db, code: code)
        }
    }

    /// Checks and inserts a consent, then applies the rule (enrollment uses this too).
    static func insertConsent(_ db: Database, detail: SubjectDetail, _ input: ConsentInput, rule: ConsentRule,
                              today: CalendarDate, at instant: Date) throws
    {
        guard let subjectId = detail.subject.id else { throw LTFUError.unknownSubject(detail.subject.code) }
        try DateRules.notInFuture(input.date, today: today, what: .phrase("consent date"))
        try rule.check(by: input.giver, on: input.date, bornOn: detail.subject.birthDate, code: detail.subject.code)
        var consent = ConsentRecord(subjectId: subjectId, date: input.date, giver: input.giver, form: input.form,
                                    recordedAt: Timestamp.string(instant))
        try consent.insert(db)
        try applyConsentRule(db, code: detail.subject.code, rule: rule, at: instant)
    }

    /// SPEC §11: while the latest consent is a guardian's and the birth date is known, the
    /// current series has a re-consent visit `U<n>` on the birthday at majority (if follow-up
    /// lasts that long); the subject's own consent on or after that birthday records it done.
    /// Run after every consent and re-infusion; it never adds the visit twice.
    static func applyConsentRule(_ db: Database, code: String, rule: ConsentRule, at instant: Date) throws {
        let detail = try SubjectDetail.fetch(db, code: code)
        guard let birthDate = detail.subject.birthDate, let latest = detail.consents.last,
              let subjectId = detail.subject.id, let series = detail.currentSeries, let seriesId = series.id
        else { return }
        let reconsents = detail.visits.filter { $0.purpose == .reConsent }
        if var open = reconsents.first(where: { $0.state == .open }),
           let adult = detail.consents.first(where: { rule.isAdultConsent(by: $0.giver, on: $0.date, bornOn: birthDate) })
        {
            open.state = .done
            open.doneOn = adult.date
            open.deviation = !open.window.contains(adult.date)
            open.resolvedAt = Timestamp.string(instant)
            try open.update(db)
            try touchLastContact(db, subjectId: subjectId, on: adult.date)
            return
        }
        guard latest.giver == .guardian, !reconsents.contains(where: { $0.state == .open || $0.state == .done }),
              let planned = rule.reconsentVisit(bornOn: birthDate, lastTarget: series.followUpEnds)
        else { return }
        let number = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visit WHERE subjectId = ? AND purpose IS NOT NULL",
                                      arguments: [subjectId]) ?? 0
        var visit = VisitRecord(subjectId: subjectId, seriesId: seriesId, number: number + 1, unscheduled: planned)
        try visit.insert(db)
    }
}
