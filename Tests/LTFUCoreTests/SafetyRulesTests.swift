import LTFUCore
import Testing

/// SPEC §10's table, row by row, with literal dates.
@Suite struct SafetyRulesTests {
    let settings = SafetySettings()

    @Test func rclNotNegativeOnAFirstYearVisit_addsAConfirmationVisitTwoWeeksLater_andTurnsArchivesIntoTests() throws {
        let finding = try #require(ResultVocabulary.finding(assessment: .rclTest, value: "indeterminate", percent: nil, settings: settings))
        let response = SafetyRules.respond(toResult: finding, on: d("2025-04-10"), visitMonth: 3, visitPurpose: nil)
        #expect(response.signal == .rcl)
        #expect(response.rclArchiveBecomesTest)
        let visit = try #require(response.visit)
        #expect(visit.purpose == .rclConfirmation)
        #expect(visit.target == d("2025-04-24"))
        #expect(visit.window == VisitWindow(open: d("2025-04-11"), close: d("2025-05-08")))
        #expect(visit.mode == .inPerson)
        #expect(visit.assessments == [.rclTest])
    }

    @Test func rclPositiveAfterTheFirstYear_addsTheVisitButLeavesArchivesAlone() throws {
        let response = SafetyRules.respond(toResult: .rcl(positive: true), on: d("2027-01-31"), visitMonth: 24, visitPurpose: nil)
        #expect(response.signal == .rcl)
        #expect(!response.rclArchiveBecomesTest)
        #expect(response.visit?.target == d("2027-02-14"))
        #expect(response.visit?.window.open == d("2027-02-01"))
    }

    @Test func rclPositiveOnItsConfirmationVisit_isConfirmed_atAlertPriority_withNoFurtherVisit() {
        let response = SafetyRules.respond(toResult: .rcl(positive: true), on: d("2025-04-24"), visitMonth: 9001,
                                           visitPurpose: .rclConfirmation)
        #expect(response.signal == .rclConfirmed)
        #expect(response.signal?.priority == 1)
        #expect(response.visit == nil)
        #expect(!response.rclArchiveBecomesTest)
        // Indeterminate again: still a signal, at crit.
        let again = SafetyRules.respond(toResult: .rcl(positive: false), on: d("2025-04-24"), visitMonth: 9001, visitPurpose: .rclConfirmation)
        #expect(again.signal == .rcl)
        #expect(again.signal?.priority == 2)
    }

    @Test func rclNegative_isNoFinding() {
        #expect(ResultVocabulary.finding(assessment: .rclTest, value: "negative", percent: nil, settings: settings) == nil)
    }

    @Test func persistenceAtTheThreshold_isASignal_withAnIntegrationSiteVisitAMonthLater() throws {
        #expect(ResultVocabulary.finding(assessment: .persistence, value: "detected", percent: 0.99, settings: settings) == nil)
        let finding = try #require(ResultVocabulary.finding(assessment: .persistence, value: "detected", percent: 1.0, settings: settings))
        let response = SafetyRules.respond(toResult: finding, on: d("2024-01-31"), visitMonth: 12, visitPurpose: nil)
        #expect(response.signal == .persistence)
        #expect(response.visit?.purpose == .integrationSiteAnalysis)
        #expect(response.visit?.target == d("2024-03-01"), "31 January + 30 days, across a leap February")
        #expect(response.visit?.window == VisitWindow(open: d("2024-01-31"), close: d("2024-03-31")))
        #expect(response.visit?.assessments == [.integrationSiteAnalysis])
        let higher = SafetySettings(persistencePercent: 5)
        #expect(ResultVocabulary.finding(assessment: .persistence, value: "detected", percent: 4.9, settings: higher) == nil)
    }

    @Test func newMalignancyOrInfectionResults_areTheirEvents() {
        #expect(ResultVocabulary.finding(assessment: .malignancy, value: "new", percent: nil, settings: settings) == .event(.newMalignancy))
        #expect(ResultVocabulary.finding(assessment: .infection, value: "new", percent: nil, settings: settings) == .event(.seriousInfection))
        #expect(ResultVocabulary.finding(assessment: .malignancy, value: "none", percent: nil, settings: settings) == nil)
    }

    @Test func newMalignancy_addsATumourSampleVisit_onlyForAModifiedProduct() {
        let modified = SafetyRules.respond(toEvent: .newMalignancy, on: d("2026-12-25"), tier: .nonIntegrating)
        #expect(modified.signal == .malignancy)
        #expect(modified.visit?.purpose == .tumorSample)
        #expect(modified.visit?.target == d("2027-01-08"))
        #expect(modified.visit?.window == VisitWindow(open: d("2026-12-25"), close: d("2027-01-22")))
        #expect(modified.visit?.assessments == [.tumorVectorAnalysis])
        let unmodified = SafetyRules.respond(toEvent: .newMalignancy, on: d("2026-12-25"), tier: .nonModified)
        #expect(unmodified.signal == .malignancy)
        #expect(unmodified.visit == nil)
    }

    @Test func death_endsFollowUp_andAModifiedProductKeepsATissueSampleOpen() {
        let modified = SafetyRules.respond(toEvent: .death, on: d("2025-02-28"), tier: .integrating)
        #expect(modified.signal == .death)
        #expect(modified.endsSubject)
        #expect(modified.visit?.purpose == .tissueSample)
        #expect(modified.visit?.window == VisitWindow(open: d("2025-02-28"), close: d("2025-03-30")))
        #expect(modified.visit?.target == d("2025-02-28"))
        #expect(modified.visit?.staysOpenAfterEnd == true)
        let unmodified = SafetyRules.respond(toEvent: .death, on: d("2025-02-28"), tier: .nonModified)
        #expect(unmodified.endsSubject)
        #expect(unmodified.visit == nil)
    }

    @Test func anyOtherEvent_isAnEventSignal() {
        for kind in [SafetyEventKind.hematologicDisorder, .autoimmuneDisorder, .neurologicDisorder, .seriousInfection, .otherSAE] {
            let response = SafetyRules.respond(toEvent: kind, on: d("2025-06-01"), tier: .integrating)
            #expect(response.signal == .event)
            #expect(response.visit == nil)
            #expect(!response.endsSubject)
        }
    }

    @Test func stoppingRules_countFromTheirThreshold_andZeroTurnsThemOff() {
        #expect(!StoppingRule.relatedDeaths.isMet(count: 1, settings: settings))
        #expect(StoppingRule.relatedDeaths.isMet(count: 2, settings: settings))
        #expect(StoppingRule.confirmedRCL.isMet(count: 1, settings: settings))
        #expect(!StoppingRule.relatedMalignancy.isMet(count: 5, settings: SafetySettings(stopOnRelatedMalignancy: 0)))
    }

    @Test func vocabulary_refusesWhatTheSpecDoesNotAllow() {
        func refusal(_ assessment: Assessment, _ value: String, sample: String? = nil, percent: Double? = nil) -> String? {
            do {
                try ResultVocabulary.check(assessment: assessment, value: value, sample: sample, percent: percent)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(refusal(.rclTest, "negative") == nil)
        #expect(refusal(.rclTest, "done") == "invalid-result-value")
        #expect(refusal(.rclArchive, "archived") == "missing-sample")
        #expect(refusal(.rclArchive, "archived", sample: "LAB-7/1") == "invalid-sample")
        #expect(refusal(.rclArchive, "archived", sample: "LAB-7.1") == nil)
        #expect(refusal(.persistence, "detected") == "missing-percent")
        #expect(refusal(.persistence, "detected", percent: 100.5) == "invalid-percent")
        #expect(refusal(.persistence, "detected", percent: -1) == "invalid-percent")
        #expect(refusal(.persistence, "detected", percent: .nan) == "invalid-percent")
        #expect(refusal(.persistence, "not-detected", percent: 0) == "unexpected-percent")
        #expect(refusal(.growth, "done") == nil)
        #expect(refusal(.growth, "new") == "invalid-result-value")
        #expect(refusal(.malignancy, "new") == nil)
    }
}

/// Issue #13: dates with a mistyped year are refused before anything is planned.
@Suite struct PlausibleDateTests {
    @Test func bounds_areTheDocumentedDays() {
        #expect(DateRules.earliestInfusion.description == "1990-01-01")
        #expect(DateRules.earliestBirth.description == "1900-01-01")
    }

    @Test func plan_refusesAnInfusionBefore1990_andABirthBefore1900() throws {
        #expect(throws: LTFUError.self) { try makePlan(.integrating, infused: ["0205-01-10"]) }
        #expect(throws: LTFUError.self) { try makePlan(.integrating, infused: ["1989-12-31"]) }
        #expect(throws: LTFUError.self) { try makePlan(.integrating, infused: ["2025-01-10", "0001-01-01"]) }
        #expect(throws: LTFUError.self) { try makePlan(.integrating, infused: ["2025-01-10"], born: "1899-12-31") }
        #expect(try makePlan(.integrating, infused: ["1990-01-01"], born: "1900-01-01").dayZero == d("1990-01-01"))
    }
}
