import LTFUCore
import Testing

/// SPEC §4's default calendars, visit by visit.
@Suite struct StandardCalendarTests {
    typealias Row = (code: String, target: String, open: String, close: String, mode: VisitMode)

    func expectRows(_ plan: FollowUpPlan, _ rows: [Row], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(plan.visits.map(\.code) == rows.map(\.code), sourceLocation: sourceLocation)
        for (visit, row) in zip(plan.visits, rows) {
            #expect(visit.target == d(row.target), "\(row.code) target", sourceLocation: sourceLocation)
            #expect(visit.window.open == d(row.open), "\(row.code) opens", sourceLocation: sourceLocation)
            #expect(visit.window.close == d(row.close), "\(row.code) closes", sourceLocation: sourceLocation)
            #expect(visit.mode == row.mode, "\(row.code) mode", sourceLocation: sourceLocation)
        }
    }

    @Test func nonModified_fourVisitsInTheFirstYear_coreOnly() throws {
        let plan = try makePlan(.nonModified, infused: ["2025-03-10"])
        expectRows(plan, [
            ("M1", "2025-04-10", "2025-04-03", "2025-04-17", .inPerson),
            ("M3", "2025-06-10", "2025-05-27", "2025-06-24", .inPerson),
            ("M6", "2025-09-10", "2025-08-11", "2025-10-10", .inPerson),
            ("M12", "2026-03-10", "2026-02-08", "2026-05-09", .inPerson),
        ])
        #expect(plan.visits.allSatisfy { $0.assessments == Assessment.core })
        #expect(plan.followUpEnds == d("2026-03-10"))
        #expect(plan.dayZero == d("2025-03-10"))
        #expect(!plan.pediatric)
        #expect(!plan.ageKnown)
    }

    @Test func nonIntegrating_yearlyToFiveYears_coreAndGene() throws {
        let plan = try makePlan(.nonIntegrating, infused: ["2025-03-10"])
        #expect(plan.visits.map(\.code) == ["M1", "M3", "M6", "M12", "M24", "M36", "M48", "M60"])
        #expect(plan.visits.allSatisfy { $0.assessments == Assessment.core + Assessment.gene && $0.mode == .inPerson })
        let m24 = plan.visits[4]
        #expect(m24.target == d("2027-03-10"))
        #expect(m24.window == VisitWindow(open: d("2027-02-08"), close: d("2027-05-09")))
        #expect(plan.followUpEnds == d("2030-03-10"))
    }

    @Test func integrating_fifteenYears_rclTestsThenArchivesThenRemote() throws {
        let plan = try makePlan(.integrating, infused: ["2025-03-10"])
        #expect(plan.visits.map(\.code) == ["M1", "M3", "M6", "M12", "M24", "M36", "M48", "M60"]
            + stride(from: 72, through: 180, by: 12).map { "M\($0)" })
        let byCode = Dictionary(uniqueKeysWithValues: plan.visits.map { ($0.code, $0) })
        let coreGene = Assessment.core + Assessment.gene
        #expect(byCode["M1"]?.assessments == coreGene)
        for code in ["M3", "M6", "M12"] { #expect(byCode[code]?.assessments == coreGene + [.rclTest]) }
        for code in ["M24", "M36", "M48", "M60"] { #expect(byCode[code]?.assessments == coreGene + [.rclArchive]) }
        let remote = plan.visits.filter { $0.month >= 72 }
        #expect(remote.count == 10)
        #expect(remote.allSatisfy { $0.mode == .remote && $0.assessments == [.survival, .adverseEvents, .malignancy, .infection] })
        let m72 = try #require(byCode["M72"])
        #expect(m72.window == VisitWindow(open: d("2031-01-09"), close: d("2031-05-09")))
        #expect(byCode["M3"]?.window == VisitWindow(open: d("2025-05-27"), close: d("2025-06-24")))
        #expect(plan.followUpEnds == d("2040-03-10"))
    }

    @Test func monthEndInfusion_clampsEveryTarget() throws {
        let plan = try makePlan(.nonIntegrating, infused: ["2023-08-31"])
        #expect(plan.visits.map(\.target) == [
            d("2023-09-30"), d("2023-11-30"), d("2024-02-29"), d("2024-08-31"),
            d("2025-08-31"), d("2026-08-31"), d("2027-08-31"), d("2028-08-31"),
        ])
    }

    @Test func leapDayInfusion_anniversariesFallOn28February() throws {
        let plan = try makePlan(.integrating, infused: ["2024-02-29"])
        let m12 = try #require(plan.visits.first { $0.code == "M12" })
        #expect(m12.target == d("2025-02-28"))
        #expect(m12.window == VisitWindow(open: d("2025-01-29"), close: d("2025-04-29")))
        #expect(plan.visits.first { $0.code == "M48" }?.target == d("2028-02-29"))
        #expect(plan.visits.first { $0.code == "M1" }?.target == d("2024-03-29"))
        #expect(plan.followUpEnds == d("2039-02-28"))
    }

    @Test func windowAcrossLeapFebruary_countsTheLeapDay() throws {
        // M1 of 2024-01-25 is 2024-02-25; +7 days passes 29 February.
        let plan = try makePlan(.nonModified, infused: ["2024-01-25"])
        #expect(plan.visits[0].window == VisitWindow(open: d("2024-02-18"), close: d("2024-03-03")))
    }

    @Test func reinfusion_latestInfusionIsDayZero_inAnyOrder() throws {
        let inOrder = try makePlan(.nonIntegrating, infused: ["2024-05-01", "2024-11-20"])
        let outOfOrder = try makePlan(.nonIntegrating, infused: ["2024-11-20", "2024-05-01"])
        #expect(inOrder.dayZero == d("2024-11-20"))
        #expect(inOrder == outOfOrder)
        #expect(inOrder.visits[0].target == d("2024-12-20"))
        #expect(try makePlan(.nonIntegrating, infused: ["2024-11-20", "2024-11-20"]) == makePlan(.nonIntegrating, infused: ["2024-11-20"]))
    }

    @Test func noInfusion_isRefused() throws {
        let error = try #require(throws: LTFUError.self) { try makePlan(.integrating, infused: []) }
        #expect(error.code == "missing-infusion")
    }

    @Test func birthAfterAnInfusion_isRefused() throws {
        let error = try #require(throws: LTFUError.self) {
            try makePlan(.integrating, infused: ["2024-01-10", "2024-06-01"], born: "2024-03-01")
        }
        #expect(error.code == "born-after-infusion")
        #expect(error.message.contains("2024-03-01"))
        #expect(error.message.contains("2024-01-10"))
    }
}
