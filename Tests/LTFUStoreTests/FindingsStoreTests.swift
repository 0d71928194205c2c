import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// SPEC §10 in the store, on a real temp-file database: what a result or event writes, in one
/// transaction with its audit row, and what it refuses.
@Suite struct FindingsStoreTests {
    let fixture: FollowUpStoreTests
    var store: FollowUpStore { fixture.store }
    let today = FollowUpStoreTests.d("2025-05-20")
    let settings = SafetySettings()

    init() throws {
        fixture = try FollowUpStoreTests()
    }

    static func d(_ text: String) -> CalendarDate { FollowUpStoreTests.d(text) }

    func result(_ code: String, _ visit: String, _ assessment: Assessment, _ value: String, on: String? = nil, sample: String? = nil,
                percent: Double? = nil, note: String? = nil) throws(LTFUError) -> SubjectDetail
    {
        try store.recordResult(code: code, visit: visit, ResultInput(assessment: assessment, value: value, date: on.map(Self.d),
                                                                     sample: sample, percent: percent, note: note),
                               settings: settings, today: today, by: fixture.coordinator, at: fixture.instant)
    }

    func refusal(_ body: () throws -> SubjectDetail) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? LTFUError)?.code ?? "\(error)"
        }
    }

    func notifications(_ kind: NotificationKind) throws -> [NotificationDetail] {
        try store.pendingNotifications().filter { $0.kind == kind }
    }

    @Test func rclPositiveAtM3_storesTheResult_raisesTheSignal_addsU1_andTurnsArchivesIntoTests() throws {
        try fixture.enroll("S01-001", .integrating)
        _ = try store.record(code: "S01-001", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator,
                             at: fixture.instant)
        let detail = try result("S01-001", "M3", .rclTest, "positive")
        #expect(detail.results.map { "\($0.assessment.rawValue) \($0.value) \($0.date)" } == ["rcl-test positive 2025-04-10"])
        let u1 = try #require(detail.visits.first { $0.code == "U1" })
        #expect(u1.purpose == .rclConfirmation)
        #expect((u1.target, u1.windowOpen, u1.windowClose) == (Self.d("2025-04-24"), Self.d("2025-04-11"), Self.d("2025-05-08")))
        #expect(u1.month == 9001)
        #expect(detail.visits.filter { [24, 36, 48, 60].contains($0.month) }.allSatisfy {
            $0.assessmentList.contains(.rclTest) && !$0.assessmentList.contains(.rclArchive)
        })
        let signal = try #require(try notifications(.safetySignal).first)
        #expect((signal.signal, signal.visit, signal.assessment, signal.value, signal.product) == (.rcl, "M3", .rclTest, "positive", "P-integrating"))
        #expect(signal.date == Self.d("2025-04-10"))
        #expect(signal.fireOn == today)
        #expect(signal.priority == 2)
        #expect(signal.message.contains("rcl-confirmation visit U1 planned, window 2025-04-11 to 2025-05-08"))
        let changed = try #require(try notifications(.scheduleChanged).first)
        #expect(changed.detail?.hasPrefix("rcl-archive becomes rcl-test at M24, M36, M48, M60") == true)
        #expect(try store.auditTrail(subject: "S01-001").last?.action == "result")
        #expect(try store.verifyAuditChain().ok)
    }

    @Test func confirmationPositive_isRCLConfirmed_andTripsTheStoppingRuleOnce() throws {
        try fixture.enroll("S01-001", .integrating)
        _ = try store.record(code: "S01-001", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-001", "M3", .rclTest, "positive")
        _ = try store.record(code: "S01-001", visit: "U1", on: Self.d("2025-04-24"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-001", "U1", .rclTest, "positive")
        let signals = try notifications(.safetySignal).map { $0.signal }
        #expect(signals.sorted { $0!.rawValue < $1!.rawValue } == [.rcl, .rclConfirmed])
        #expect(try notifications(.safetySignal).first { $0.signal == .rclConfirmed }?.priority == 1)
        #expect(try store.tripStoppingRules(settings: { _ in settings }, fireOn: today, at: fixture.instant) == 1)
        #expect(try store.tripStoppingRules(settings: { _ in settings }, fireOn: today, at: fixture.instant) == 0, "once per count")
        let rule = try #require(try notifications(.stoppingRule).first)
        #expect((rule.rule, rule.count, rule.threshold, rule.product, rule.priority) == (.confirmedRCL, 1, 1, "P-integrating", 1))
        #expect(try store.stoppingRuleCounts().map { "\($0.rule.rawValue) \($0.count) \($0.openNotification != nil)" } == ["confirmed-rcl 1 true"])
    }

    @Test func relatedDeaths_tripAtTheThreshold_andReArmWhenTheCountRisesPastTheAcknowledgedOne() throws {
        for code in ["A", "B", "C", "D"] { try fixture.enroll(code, .nonModified) }
        func death(_ code: String, _ related: Relatedness) throws {
            _ = try store.recordEvent(code: code, EventInput(kind: .death, date: Self.d("2025-03-01"), related: related, note: nil),
                                      today: today, by: fixture.coordinator, at: fixture.instant)
        }
        let trip = { try store.tripStoppingRules(settings: { _ in settings }, fireOn: today, at: fixture.instant) }
        try death("A", .yes)
        try death("B", .no)
        #expect(try trip() == 0, "one related death of two")
        try death("C", .unknown)
        #expect(try trip() == 1)
        let first = try #require(try store.signals(all: false).first { $0.kind == .stoppingRule })
        #expect(first.count == 2)
        _ = try store.acknowledge(id: first.id, note: "DSMB informed", by: fixture.coordinator, at: fixture.instant)
        #expect(try store.stoppingRuleCounts().first?.openNotification == nil)
        #expect(try trip() == 0)
        try death("D", .yes)
        #expect(try trip() == 1, "the count rose past the acknowledged 2")
        #expect(try store.stoppingRuleCounts().first?.count == 3)
        #expect(try store.stoppingRuleCounts().first?.openNotification != nil)
    }

    @Test func death_endsTheSubject_cancelsVisits_butKeepsTheTissueSampleOpenAndRecordable() throws {
        try fixture.enroll("S01-009", .integrating)
        let detail = try store.recordEvent(code: "S01-009", EventInput(kind: .death, date: Self.d("2025-03-01"), related: .unknown, note: "n"),
                                           today: today, by: fixture.coordinator, at: fixture.instant)
        #expect(detail.subject.status == .ended)
        #expect(detail.subject.endReason == .death)
        #expect(detail.subject.endedOn == Self.d("2025-03-01"))
        let open = detail.visits.filter { $0.state == .open }
        #expect(open.map(\.code) == ["U1"])
        #expect(open.first?.purpose == .tissueSample)
        #expect(try notifications(.subjectEnded).count == 1)
        #expect(try notifications(.safetySignal).first?.signal == .death)
        let recorded = try store.record(code: "S01-009", visit: "U1", on: Self.d("2025-03-10"), note: nil, today: today,
                                        by: fixture.coordinator, at: fixture.instant)
        #expect(recorded.visits.first { $0.code == "U1" }?.state == .done)
        #expect(refusal { try store.recordEvent(code: "S01-009", EventInput(kind: .death, date: Self.d("2025-03-02"), related: .yes, note: nil),
                                                 today: today, by: fixture.coordinator, at: fixture.instant) } == "subject-already-ended")
    }

    @Test func correction_needsANote_supersedes_andRaisesOnlyANewFinding() throws {
        try fixture.enroll("S01-002", .integrating)
        _ = try store.record(code: "S01-002", visit: "M6", on: Self.d("2025-07-10"), note: nil, today: Self.d("2025-07-20"),
                             by: fixture.coordinator, at: fixture.instant)
        _ = try store.record(code: "S01-002", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-002", "M3", .persistence, "detected", percent: 0.5)
        #expect(try notifications(.safetySignal).isEmpty, "below the 1.0 % threshold")
        #expect(refusal { try result("S01-002", "M3", .persistence, "detected", percent: 2) } == "correction-needs-note")
        let corrected = try result("S01-002", "M3", .persistence, "detected", percent: 2, note: "lab re-read the plate")
        #expect(corrected.results.map { $0.percent } == [2])
        #expect(corrected.results.first?.supersedes != nil)
        #expect(try notifications(.safetySignal).map(\.signal) == [.persistence])
        _ = try result("S01-002", "M3", .persistence, "detected", percent: 3, note: "third reading")
        #expect(try notifications(.safetySignal).count == 1, "still the same finding: no second signal")
        #expect(try store.auditTrail(subject: "S01-002").map(\.action).suffix(3) == ["result", "correct-result", "correct-result"])
    }

    @Test func badResults_areRefused_andChangeNothing() throws {
        try fixture.enroll("S01-003", .integrating)
        _ = try store.record(code: "S01-003", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        let before = try store.auditTrail(subject: nil).count
        #expect(refusal { try result("S01-003", "M1", .survival, "done") } == "visit-not-done")
        #expect(refusal { try result("S01-003", "M3", .growth, "done") } == "assessment-not-planned")
        #expect(refusal { try result("S01-003", "M3", .rclTest, "positive", on: "2025-04-09") } == "result-before-visit")
        #expect(refusal { try result("S01-003", "M3", .rclTest, "positive", on: "2025-05-21") } == "date-in-future")
        #expect(refusal { try result("S01-003", "M7", .rclTest, "positive") } == "unknown-visit")
        #expect(refusal { try result("NOPE", "M3", .rclTest, "positive") } == "unknown-subject")
        #expect(try store.auditTrail(subject: nil).count == before)
        #expect(try store.pendingNotifications().filter { $0.kind == .safetySignal }.isEmpty)
        #expect(try store.subject(code: "S01-003").results.isEmpty)
    }

    @Test func escalations_comeOncePerDay_untilAcknowledged_evenThroughAnEscalationId() throws {
        try fixture.enroll("S01-004", .nonIntegrating)
        _ = try store.recordEvent(code: "S01-004", EventInput(kind: .autoimmuneDisorder, date: Self.d("2025-05-01"), related: .no, note: nil),
                                  today: today, by: fixture.coordinator, at: fixture.instant)
        let escalate = { (day: String) in
            try store.scheduleSignalEscalations(through: Self.d(day), fireOn: Self.d(day), at: fixture.instant)
        }
        #expect(try escalate("2025-05-20") == 0, "not on the day it was raised")
        #expect(try escalate("2025-05-21") == 1)
        #expect(try escalate("2025-05-21") == 0, "once per day")
        #expect(try escalate("2025-05-25") == 1, "after downtime only the newest day")
        let escalation = try #require(try notifications(.safetyEscalation).last)
        #expect(escalation.signalId != nil)
        #expect(escalation.raisedOn == Self.d("2025-05-20"))
        #expect(escalation.message.contains("still not acknowledged"))
        _ = try store.acknowledge(id: escalation.id, note: nil, by: fixture.coordinator, at: fixture.instant)
        #expect(try escalate("2025-05-26") == 0)
        #expect(try store.openSignalCount() == 0)
        do {
            _ = try store.acknowledge(id: escalation.id, note: nil, by: fixture.coordinator, at: fixture.instant)
            Issue.record("acknowledged twice")
        } catch {
            #expect(error.code == "already-acknowledged")
        }
    }

    @Test func reinfusion_carriesAnOpenSafetyVisitIntoTheNewSeries() throws {
        try fixture.enroll("S01-005", .integrating)
        _ = try store.record(code: "S01-005", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-005", "M3", .rclTest, "positive")
        let detail = try store.infuse(code: "S01-005", on: Self.d("2025-04-20"), today: today, by: fixture.coordinator, at: fixture.instant,
                                      replan: fixture.replan)
        let u1 = try #require(detail.visits.first { $0.code == "U1" })
        #expect(u1.state == .open)
        #expect(u1.seriesId == detail.currentSeries?.id)
    }

    @Test func correctionsBackAndForth_raiseEachSignalOnce_andCountOnceTowardTheStoppingRule() throws {
        try fixture.enroll("S01-006", .integrating)
        _ = try store.record(code: "S01-006", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-006", "M3", .rclTest, "indeterminate")
        _ = try result("S01-006", "M3", .rclTest, "positive", note: "re-read")
        #expect(try notifications(.safetySignal).map(\.signal) == [.rcl], "the same rcl signal, not a second one")
        #expect(try store.subject(code: "S01-006").visits.filter { $0.purpose == .rclConfirmation }.count == 1, "one confirmation visit")
        _ = try store.record(code: "S01-006", visit: "U1", on: Self.d("2025-04-24"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try result("S01-006", "U1", .rclTest, "positive")
        _ = try result("S01-006", "U1", .rclTest, "indeterminate", note: "lab error")
        _ = try result("S01-006", "U1", .rclTest, "positive", note: "confirmed after all")
        #expect(try notifications(.safetySignal).filter { $0.signal == .rclConfirmed }.count == 1)
        #expect(try store.tripStoppingRules(settings: { _ in SafetySettings(stopOnConfirmedRCL: 2) }, fireOn: today, at: fixture.instant) == 0,
                "one confirmed sample counts once")
    }

    @Test func aLateResultForAnEndedSubject_raisesItsSignal_butPlansNothing() throws {
        try fixture.enroll("S01-007", .integrating)
        _ = try store.record(code: "S01-007", visit: "M3", on: Self.d("2025-04-10"), note: nil, today: today, by: fixture.coordinator, at: fixture.instant)
        _ = try store.end(code: "S01-007", reason: .withdrawn, on: Self.d("2025-04-20"), today: today, by: fixture.coordinator, at: fixture.instant)
        let detail = try result("S01-007", "M3", .rclTest, "positive")
        #expect(try notifications(.safetySignal).map(\.signal) == [.rcl])
        #expect(!detail.visits.contains { $0.purpose != nil }, "no confirmation visit for a subject who left")
        #expect(detail.visits.filter { $0.state == .open }.isEmpty)
    }

    @Test func aStoppingRule_doesNotTripAgainWhileItsTripIsOpen() throws {
        for code in ["E", "F", "G"] { try fixture.enroll(code, .nonModified) }
        let trip = { try store.tripStoppingRules(settings: { _ in SafetySettings(stopOnRelatedDeaths: 1) }, fireOn: today, at: fixture.instant) }
        for code in ["E", "F"] {
            _ = try store.recordEvent(code: code, EventInput(kind: .death, date: Self.d("2025-03-01"), related: .yes, note: nil),
                                      today: today, by: fixture.coordinator, at: fixture.instant)
        }
        #expect(try trip() == 1)
        _ = try store.recordEvent(code: "G", EventInput(kind: .death, date: Self.d("2025-03-02"), related: .yes, note: nil),
                                  today: today, by: fixture.coordinator, at: fixture.instant)
        #expect(try trip() == 0, "still open: one alarm at a time")
        let open = try #require(try store.signals(all: false).first { $0.kind == .stoppingRule })
        _ = try store.acknowledge(id: open.id, note: nil, by: fixture.coordinator, at: fixture.instant)
        #expect(try trip() == 1, "acknowledged at 2, the count is 3: it trips again")
    }
}

