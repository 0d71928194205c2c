/// Who gave a consent (SPEC §11).
public enum ConsentGiver: String, Sendable, Hashable, Codable, CaseIterable {
    case subject, guardian

    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// SPEC §11's consent rule, from CDE 2021 §三(一) (separate consent where follow-up is its own
/// protocol) and the ethics of paediatric research: a child consented by a guardian must
/// consent again as an adult, at the age of majority, in the middle of follow-up. The only
/// place that knows when that is due and what counts as the adult's own consent.
public struct ConsentRule: Sendable, Hashable {
    /// `[consent] age_of_majority`.
    public var ageOfMajority: Int
    /// `[consent] reconsent_days`: the window after the birthday.
    public var reconsentDays: Int

    public init(ageOfMajority: Int = 18, reconsentDays: Int = 90) {
        self.ageOfMajority = ageOfMajority
        self.reconsentDays = reconsentDays
    }

    /// The birthday at majority, clamped like months (born 29 February → 28 February).
    public func majority(bornOn birthDate: CalendarDate) -> CalendarDate {
        birthDate.adding(years: ageOfMajority)
    }

    /// The re-consent visit a series gets when the latest consent is a guardian's: on the
    /// birthday at majority, window 0/+reconsent_days, remote; none when that birthday falls
    /// after the series' last target (follow-up is over by then).
    public func reconsentVisit(bornOn birthDate: CalendarDate, lastTarget: CalendarDate) -> UnscheduledVisit? {
        let birthday = majority(bornOn: birthDate)
        guard birthday <= lastTarget else { return nil }
        return UnscheduledVisit(purpose: .reConsent, target: birthday, earlyDays: 0, lateDays: reconsentDays, assessments: [.consent],
                                mode: .remote)
    }

    /// A consent by the subject on or after the birthday at majority is the adult's own and
    /// completes the re-consent; one before it is a minor's assent.
    public func isAdultConsent(by giver: ConsentGiver, on date: CalendarDate, bornOn birthDate: CalendarDate?) -> Bool {
        guard giver == .subject, let birthDate else { return false }
        return date >= majority(bornOn: birthDate)
    }

    /// A guardian cannot consent for a subject already of age on that date.
    public func check(by giver: ConsentGiver, on date: CalendarDate, bornOn birthDate: CalendarDate?, code: String) throws(LTFUError) {
        if let birthDate, date < birthDate {
            throw LTFUError(.data, code: "consent-before-birth", "consent date {date} is before the birth date of subject `{subject}`",
                            ["date": date, "subject": code])
        }
        if giver == .guardian, let birthDate, date >= majority(bornOn: birthDate) {
            throw LTFUError(.data, code: "guardian-for-adult",
                            "subject `{subject}` is of age ({age}) on {date}: a guardian cannot consent for them; record the subject's own consent (--by subject)",
                            ["subject": code, "age": ageOfMajority, "date": date])
        }
    }
}
