import LTFUCore
import Testing

/// SPEC §11's rules with literal dates: the retention evidence and the re-consent at majority.
@Suite struct FollowUpRulesTests {
    let retention = RetentionRule()
    let consent = ConsentRule()

    @Test func retention_needsThreeFailedAttemptsSpanningSixtyDays_sinceTheLastContact() {
        let last = d("2025-01-01")
        #expect(retention.evidence(failedAttempts: [d("2025-02-01"), d("2025-04-02")], since: last) == nil, "two attempts")
        #expect(retention.evidence(failedAttempts: [d("2025-02-01"), d("2025-03-01"), d("2025-04-01")], since: last) == nil,
                "three within 59 days")
        let met = retention.evidence(failedAttempts: [d("2025-02-01"), d("2025-03-01"), d("2025-04-02")], since: last)
        #expect(met?.count == 3)
        #expect(met?.first == d("2025-02-01"))
        #expect(met?.last == d("2025-04-02"), "60 days apart")
        // Attempts on or before the last contact do not count.
        #expect(retention.evidence(failedAttempts: [d("2025-01-01"), d("2025-03-01"), d("2025-04-02")], since: last) == nil)
        #expect(RetentionRule(attempts: 2, spanDays: 0).evidence(failedAttempts: [d("2025-02-01"), d("2025-02-01")], since: last)?.count == 2)
    }

    @Test func majority_isTheEighteenthBirthday_clampedLikeMonths() {
        #expect(consent.majority(bornOn: d("2008-02-29")) == d("2026-02-28"), "a leap-day child comes of age on 28 February")
        #expect(consent.majority(bornOn: d("2008-01-31")) == d("2026-01-31"))
        #expect(consent.majority(bornOn: d("2007-03-01")) == d("2025-03-01"))
        #expect(ConsentRule(ageOfMajority: 16).majority(bornOn: d("2008-02-29")) == d("2024-02-29"))
    }

    @Test func reconsentVisit_onTheBirthday_remote_window0To90_onlyWithinFollowUp() throws {
        let visit = try #require(consent.reconsentVisit(bornOn: d("2008-02-29"), lastTarget: d("2040-01-10")))
        #expect(visit.purpose == .reConsent)
        #expect(visit.target == d("2026-02-28"))
        #expect(visit.window == VisitWindow(open: d("2026-02-28"), close: d("2026-05-29")))
        #expect(visit.mode == .remote)
        #expect(visit.assessments == [.consent])
        #expect(consent.reconsentVisit(bornOn: d("2008-02-29"), lastTarget: d("2026-02-28")) != nil, "on the last target")
        #expect(consent.reconsentVisit(bornOn: d("2008-02-29"), lastTarget: d("2026-02-27")) == nil, "after follow-up ends")
    }

    @Test func adultConsent_isTheSubjectsOwnOnOrAfterTheBirthday() {
        #expect(!consent.isAdultConsent(by: .subject, on: d("2026-02-27"), bornOn: d("2008-02-29")), "a minor's assent")
        #expect(consent.isAdultConsent(by: .subject, on: d("2026-02-28"), bornOn: d("2008-02-29")))
        #expect(!consent.isAdultConsent(by: .guardian, on: d("2026-03-01"), bornOn: d("2008-02-29")))
        #expect(!consent.isAdultConsent(by: .subject, on: d("2026-03-01"), bornOn: nil))
    }

    @Test func guardianConsent_isRefusedForASubjectOfAge_andNoConsentPredatesBirth() {
        #expect(throws: LTFUError.self) { try consent.check(by: .guardian, on: d("2026-02-28"), bornOn: d("2008-02-29"), code: "C") }
        #expect(throws: LTFUError.self) { try consent.check(by: .subject, on: d("2008-02-28"), bornOn: d("2008-02-29"), code: "C") }
        #expect(throws: Never.self) { try consent.check(by: .guardian, on: d("2026-02-27"), bornOn: d("2008-02-29"), code: "C") }
    }
}
