import LTFUCore
import Testing

/// SPEC §4's pediatric add-on (CDE 2021 §三(一): growth and development checks in children).
@Suite struct PediatricRuleTests {
    @Test func plan_childTurning18OnGrowthCheck_dropsThatCheck() throws {
        // Day 0 2020-06-15; M36 = 2023-06-15 is exactly the 18th birthday: not before it.
        let plan = try makePlan(.nonModified, infused: ["2020-06-15"], born: "2005-06-15")
        #expect(plan.pediatric)
        #expect(plan.visits.map(\.code) == ["M1", "M3", "M6", "M12", "M18", "M24", "M30"])
        #expect(plan.followUpEnds == d("2022-12-15"))
    }

    @Test func plan_childTurning18DayAfterGrowthCheck_keepsIt() throws {
        let plan = try makePlan(.nonModified, infused: ["2020-06-15"], born: "2005-06-16")
        #expect(plan.visits.last?.code == "M36")
        #expect(plan.visits.last?.assessments == [.growth, .puberty, .neurodevelopment])
    }

    @Test func plan_childBornOn29February_turns18On28February() throws {
        #expect(PediatricRule.adulthood(bornOn: d("2008-02-29")) == d("2026-02-28"))
        // Day 0 2023-08-28: M30 = 2026-02-28, the (clamped) 18th birthday: dropped.
        let plan = try makePlan(.nonModified, infused: ["2023-08-28"], born: "2008-02-29")
        #expect(plan.visits.map(\.code) == ["M1", "M3", "M6", "M12", "M18", "M24"])
        // A day earlier, M30 = 2026-02-27 is still before the birthday.
        let earlier = try makePlan(.nonModified, infused: ["2023-08-27"], born: "2008-02-29")
        #expect(earlier.visits.last?.code == "M30")
        #expect(earlier.visits.last?.target == d("2026-02-27"))
    }

    @Test func plan_onThe18thBirthday_isAnAdult() throws {
        let onBirthday = try makePlan(.integrating, infused: ["2026-02-28"], born: "2008-02-29")
        #expect(!onBirthday.pediatric)
        #expect(onBirthday.ageKnown)
        let dayBefore = try makePlan(.integrating, infused: ["2026-02-27"], born: "2008-02-29")
        #expect(dayBefore.pediatric)
        #expect(dayBefore.visits.map(\.code) == (try makePlan(.integrating, infused: ["2026-02-27"])).visits.map(\.code))
    }

    @Test func plan_child17point9_isPediatricButGetsNoGrowthCheck() throws {
        // Born 2007-01-20, infused 2024-12-01: 18 on 2025-01-20, before M6.
        let plan = try makePlan(.nonIntegrating, infused: ["2024-12-01"], born: "2007-01-20")
        #expect(plan.pediatric)
        #expect(!plan.visits.contains { $0.assessments.contains(.growth) })
        #expect(plan.visits.map(\.code) == ["M1", "M3", "M6", "M12", "M24", "M36", "M48", "M60"])
    }

    @Test func plan_toddlerInNonModifiedTier_isFollowedFifteenYears() throws {
        // Two years old at infusion: growth checks continue to M180, past the 1-year tier.
        let plan = try makePlan(.nonModified, infused: ["2024-01-31"], born: "2022-01-10")
        #expect(plan.pediatric)
        #expect(plan.visits.map(\.code) == ["M1", "M3"] + stride(from: 6, through: 180, by: 6).map { "M\($0)" })
        #expect(plan.followUpEnds == d("2039-01-31"))
        let m6 = try #require(plan.visits.first { $0.code == "M6" })
        #expect(m6.assessments == Assessment.core + [.growth])
        #expect(m6.window == VisitWindow(open: d("2024-07-01"), close: d("2024-08-30")))
        let m12 = try #require(plan.visits.first { $0.code == "M12" })
        #expect(m12.assessments == Assessment.core + [.growth, .puberty, .neurodevelopment])
        #expect(m12.window == VisitWindow(open: d("2025-01-01"), close: d("2025-04-01")), "keeps the M12 window 30/60")
        let m18 = try #require(plan.visits.first { $0.code == "M18" })
        #expect(m18.assessments == [.growth])
        #expect(m18.mode == .inPerson)
        #expect(m18.window == VisitWindow(open: d("2025-07-01"), close: d("2025-08-30")))
        let m180 = try #require(plan.visits.last)
        #expect(m180.assessments == [.growth, .puberty, .neurodevelopment])
    }

    @Test func plan_growthCheckOnRemoteVisit_makesItInPerson() throws {
        let plan = try makePlan(.integrating, infused: ["2024-01-31"], born: "2020-03-15")
        let m72 = try #require(plan.visits.first { $0.code == "M72" })
        #expect(m72.mode == .inPerson)
        #expect(m72.assessments == [.survival, .adverseEvents, .malignancy, .infection, .growth, .puberty, .neurodevelopment])
        #expect(m72.window == VisitWindow(open: d("2029-12-02"), close: d("2030-04-01")))
        // 18 on 2038-03-15: M168 (2038-01-31) is the last growth check; M174 does not exist; M180 stays remote.
        #expect(plan.visits.contains { $0.code == "M168" })
        #expect(!plan.visits.contains { $0.code == "M174" })
        #expect(plan.visits.last?.code == "M180")
        #expect(plan.visits.last?.mode == .remote)
        #expect(plan.visits.filter { $0.assessments.contains(.growth) }.count == 28)
    }

    @Test func plan_reinfusionDecidesAgeOnTheNewDayZero() throws {
        // 17 at the first infusion, 18 at the second: an adult calendar.
        let plan = try makePlan(.nonIntegrating, infused: ["2024-01-10", "2024-09-01"], born: "2006-05-01")
        #expect(!plan.pediatric)
        #expect(plan.visits.allSatisfy { !$0.assessments.contains(.growth) })
    }

    @Test func plan_newbornInfusedOnBirthDay_isPediatric() throws {
        let plan = try makePlan(.nonModified, infused: ["2024-02-29"], born: "2024-02-29")
        #expect(plan.pediatric)
        #expect(plan.visits.last?.code == "M180")
    }
}
