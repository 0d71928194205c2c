import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// The store on a real temp-file database, as the daemon opens it.
@Suite final class FollowUpStoreTests: Sendable {
    let directory: URL
    let store: FollowUpStore
    let coordinator = Actor(uid: 1001, name: "alice")
    let instant = Date(timeIntervalSince1970: 1_780_000_000)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try FollowUpStore.open(path: directory.appendingPathComponent("ltfu.sqlite").path)
    }

    /// Issue #16: every test cleans up what it creates on the host.
    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A date literal; a bad one fails the test instead of turning into 1970-01-01.
    static func d(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CalendarDate {
        do {
            return try CalendarDate(parsing: text)
        } catch {
            Issue.record("bad date literal \(text): \(error)", sourceLocation: sourceLocation)
            return CalendarDate(dayNumber: 0)
        }
    }

    static func product(_ tier: RiskTier) -> Product {
        let traits: ProductTraits = switch tier {
        case .integrating: .init(modification: .lentiviral, exogenousGeneExpression: true, altersSurvivalOrDifferentiation: false)
        case .nonIntegrating: .init(modification: .mrna, exogenousGeneExpression: true, altersSurvivalOrDifferentiation: false)
        case .nonModified: .init(modification: .none, exogenousGeneExpression: false, altersSurvivalOrDifferentiation: false)
        }
        return Product(id: "P-\(tier.rawValue)", name: "Test \(tier.rawValue)", cellType: "CAR-T", traits: traits, schedule: nil,
                       tier: (try? TierAssignment.resolve(traits, explicit: nil, justification: nil))
                           ?? TierAssignment(tier: tier, rationale: "", computedTier: tier, isOverride: false, justification: nil))
    }

    @discardableResult
    func enroll(_ code: String, _ tier: RiskTier = .integrating, infused: [String] = ["2025-01-10"], born: String? = nil,
                into other: FollowUpStore? = nil) throws -> SubjectDetail
    {
        let product = Self.product(tier)
        let infusions = infused.map { Self.d($0) }
        let plan = try FollowUpPlan(tier: product.tier, template: .standard(for: tier), infusions: infusions, birthDate: born.map { Self.d($0) })
        return try (other ?? store).enroll(Enrollment(code: code, product: product, infusions: infusions, birthDate: born.map { Self.d($0) }, plan: plan,
                                           templateId: "standard-\(tier.rawValue)"), by: coordinator, at: instant)
    }

    /// Plans from the product the store kept (SPEC §3), which must be the one enrolled.
    func replan(_ subject: SubjectRecord, _ product: Product, _ infusions: [CalendarDate]) throws(LTFUError) -> (FollowUpPlan, String) {
        guard product == Self.product(subject.tier) else { throw LTFUError(.internal, code: "wrong-snapshot", "not the enrolled product") }
        return (try FollowUpPlan(tier: product.tier, template: .standard(for: subject.tier), infusions: infusions, birthDate: subject.birthDate), "standard")
    }

    @Test func open_setsDurablePragmas() throws {
        let path = directory.appendingPathComponent("ltfu.sqlite").path
        let queue = try DatabaseQueue(path: path)
        let mode = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func enroll_materialisesTheCalendarAndAudits() throws {
        let detail = try enroll("S01-001", .integrating, born: "2015-01-01")
        #expect(detail.subject.tier == .integrating)
        #expect(detail.visits.count == 25, "18 integrating visits + 7 stand-alone growth checks (M18 … M90)")
        #expect(detail.currentSeries?.dayZero == Self.d("2025-01-10"))
        #expect(detail.currentSeries?.pediatric == true)
        #expect(detail.visits.allSatisfy { $0.state == .open })
        let trail = try store.auditTrail(subject: "S01-001")
        #expect(trail.map(\.action) == ["enroll"])
        #expect(trail.first?.user == "alice")
        #expect(trail.first?.change.contains("2015-01-01") == false, "the birth date stays out of the audit change")
    }

    @Test func enroll_duplicateCode_isAConflictAndChangesNothing() throws {
        try enroll("S01-001")
        let error = try #require(throws: LTFUError.self) { try enroll("S01-001", .nonModified) }
        #expect(error.code == "duplicate-subject")
        #expect(error.kind == .conflict)
        #expect(try store.subject(code: "S01-001").subject.tier == .integrating)
        #expect(try store.auditTrail(subject: nil).count == 1)
    }

    @Test func record_insideAndOutsideTheWindow_flagsDeviation() throws {
        try enroll("S01-001", .nonModified)
        let today = Self.d("2025-12-01")
        var detail = try store.record(code: "S01-001", visit: "M1", on: Self.d("2025-02-12"), note: "ok", today: today, by: coordinator, at: instant)
        #expect(detail.visits.first { $0.code == "M1" }?.deviation == false)
        detail = try store.record(code: "S01-001", visit: "M3", on: Self.d("2025-06-01"), note: nil, today: today, by: coordinator, at: instant)
        let m3 = try #require(detail.visits.first { $0.code == "M3" })
        #expect(m3.state == .done)
        #expect(m3.deviation)
        #expect(m3.status(today: today) == .done)
    }

    @Test func record_refusals_changeNothing() throws {
        try enroll("S01-001", .nonModified)
        let today = Self.d("2025-03-01")
        let cases: [(String, String, String, String)] = [
            ("NOPE", "M1", "2025-02-10", "unknown-subject"),
            ("S01-001", "M2", "2025-02-10", "unknown-visit"),
            ("S01-001", "M1", "2025-01-09", "date-before-day-zero"),
            ("S01-001", "M1", "2025-03-02", "date-in-future"),
        ]
        for (code, visit, date, expected) in cases {
            let error = try #require(throws: LTFUError.self) {
                try store.record(code: code, visit: visit, on: Self.d(date), note: nil, today: today, by: coordinator, at: instant)
            }
            #expect(error.code == expected)
        }
        #expect(try store.subject(code: "S01-001").visits.allSatisfy { $0.state == .open })
        #expect(try store.auditTrail(subject: nil).count == 1)
        try store.record(code: "S01-001", visit: "M1", on: Self.d("2025-02-10"), note: nil, today: today, by: coordinator, at: instant)
        let twice = try #require(throws: LTFUError.self) {
            try store.record(code: "S01-001", visit: "M1", on: Self.d("2025-02-11"), note: nil, today: today, by: coordinator, at: instant)
        }
        #expect(twice.code == "visit-already-recorded")
    }

    @Test func miss_keepsTheReason() throws {
        try enroll("S01-001", .nonModified)
        let detail = try store.miss(code: "S01-001", visit: "M3", reason: "moved abroad", by: coordinator, at: instant)
        let m3 = try #require(detail.visits.first { $0.code == "M3" })
        #expect(m3.state == .missed)
        #expect(m3.missReason == "moved abroad")
    }

    @Test func infuse_startsANewSeries_keepsHistory() throws {
        try enroll("S01-001", .nonIntegrating, infused: ["2025-01-10"])
        try store.record(code: "S01-001", visit: "M1", on: Self.d("2025-02-10"), note: nil, today: Self.d("2025-04-01"), by: coordinator, at: instant)
        let detail = try store.infuse(code: "S01-001", on: Self.d("2025-04-01"), today: Self.d("2025-04-01"), by: coordinator, at: instant, replan: replan)
        #expect(detail.series.map(\.number) == [1, 2])
        #expect(detail.currentSeries?.dayZero == Self.d("2025-04-01"))
        #expect(detail.infusions == [Self.d("2025-01-10"), Self.d("2025-04-01")])
        let first = detail.visits.filter { $0.seriesId == detail.series[0].id }
        #expect(first.first { $0.code == "M1" }?.state == .done)
        #expect(first.filter { $0.code != "M1" }.allSatisfy { $0.state == .cancelled && $0.cancelReason == "reinfusion" })
        let second = detail.visits.filter { $0.seriesId == detail.series[1].id }
        #expect(second.count == 8)
        #expect(second.first?.target == Self.d("2025-05-01"))
        #expect(second.allSatisfy { $0.state == .open })
    }

    @Test func infuse_refusesEarlierDuplicateOrFutureDates() throws {
        try enroll("S01-001", .nonIntegrating, infused: ["2025-01-10"])
        let today = Self.d("2025-04-01")
        for (date, expected) in [("2025-01-10", "duplicate-infusion"), ("2024-12-01", "date-before-day-zero"), ("2025-04-02", "date-in-future")] {
            let error = try #require(throws: LTFUError.self) {
                try store.infuse(code: "S01-001", on: Self.d(date), today: today, by: coordinator, at: instant, replan: replan)
            }
            #expect(error.code == expected, "\(date)")
        }
        #expect(try store.subject(code: "S01-001").series.count == 1)
    }

    @Test func end_cancelsOpenVisits_andRefusesEverythingAfter() throws {
        try enroll("S01-001", .integrating)
        let today = Self.d("2025-06-01")
        try store.record(code: "S01-001", visit: "M1", on: Self.d("2025-02-10"), note: nil, today: today, by: coordinator, at: instant)
        let detail = try store.end(code: "S01-001", reason: .death, on: Self.d("2025-05-20"), today: today, by: coordinator, at: instant)
        #expect(detail.subject.status == .ended)
        #expect(detail.subject.endReason == .death)
        #expect(detail.visits.filter { $0.state == .open }.isEmpty)
        #expect(detail.visits.first { $0.code == "M1" }?.state == .done)
        let again = try #require(throws: LTFUError.self) {
            try store.end(code: "S01-001", reason: .withdrawn, on: today, today: today, by: coordinator, at: instant)
        }
        #expect(again.code == "subject-already-ended")
        let record = try #require(throws: LTFUError.self) {
            try store.record(code: "S01-001", visit: "M3", on: today, note: nil, today: today, by: coordinator, at: instant)
        }
        #expect(record.code == "subject-ended")
    }

    /// SPEC §6: a kind that fires once per visit never fires twice, even when a `[notify]`
    /// reload moves it to a later date; a replan books the earlier dates a wider setting gives.
    @Test func replan_afterNewDayCounts_keepsOnceKindsOnce() throws {
        try enroll("S01-001")  // M1's window opens 2025-02-03, M3's 2025-03-27.
        func pass(through day: String, upcomingDays: Int) throws -> [NotificationDetail] {
            let planner = NotificationPlanner(settings: NotifySettings(upcomingDays: upcomingDays))
            _ = try store.scheduleNotifications(through: Self.d(day), fireOn: Self.d(day), planner: planner, at: instant)
            return try store.pendingNotifications().filter { $0.kind == .upcoming }
        }
        #expect(try pass(through: "2025-01-25", upcomingDays: 14).map { "\($0.visit ?? "") \($0.date)" } == ["M1 2025-01-20"])
        // Narrower: M1's reminder would now be on 2025-01-27; it already fired.
        #expect(try store.replanNotifications() == 18)
        #expect(try pass(through: "2025-01-28", upcomingDays: 7).count == 1)
        // Wider: M3's reminder moves from 2025-03-13 to 2025-01-29 and comes then.
        try store.replanNotifications()
        #expect(try pass(through: "2025-01-29", upcomingDays: 57).map { "\($0.visit ?? "") \($0.date)" }
                    == ["M1 2025-01-20", "M3 2025-01-29"])
    }

    @Test func dueAndOverdue_readOpenVisitsForToday() throws {
        try enroll("A", .nonModified, infused: ["2025-01-10"])   // M1 2025-02-10 [02-03, 02-17]
        try enroll("B", .nonModified, infused: ["2025-01-20"])   // M1 2025-02-20 [02-13, 02-27]
        let today = Self.d("2025-02-14")
        let due = try store.dueVisits(today: today, within: 0)
        #expect(due.map { "\($0.subject) \($0.code)" } == ["A M1", "B M1"])
        #expect(try store.dueVisits(today: Self.d("2025-02-01"), within: 2).map(\.subject) == ["A"])
        #expect(try store.overdueVisits(today: Self.d("2025-02-18")).map(\.subject) == ["A"])
        let counts = try store.counts(today: Self.d("2025-02-18"))
        #expect(counts.activeSubjects == 2 && counts.due == 1 && counts.overdue == 1)
    }

    /// Issue #15: `due` scans only from today less the longest open window; a window much
    /// longer than any standard one is still found, and one that closed is not.
    @Test func due_findsAWindowLongerThanAnyStandardOne() throws {
        try enroll("A", .nonModified, infused: ["2025-01-10"])   // M1 2025-02-10 [02-03, 02-17]
        try enroll("B", .nonModified, infused: ["2025-01-20"])   // M1 2025-02-20 [02-13, 02-27]
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("ltfu.sqlite").path)
        try queue.write { db in
            try db.execute(sql: """
                UPDATE visit SET windowOpen = '2024-03-01', windowClose = '2026-01-01'
                WHERE code = 'M1' AND subjectId = (SELECT id FROM subject WHERE code = 'B')
                """)
        }
        try queue.close()
        func due(_ day: String) throws -> [String] {
            try store.dueVisits(today: Self.d(day), within: 0).map { "\($0.subject) \($0.code)" }
        }
        #expect(try due("2025-11-30").contains("B M1"))
        #expect(try due("2025-02-14") == ["A M1", "B M1"])
        #expect(try !due("2026-01-02").contains("B M1"))
        #expect(try store.counts(today: Self.d("2025-11-30")).due == due("2025-11-30").count)
    }

    @Test func dueAndOverdue_useThePartialIndexes() throws {
        let path = directory.appendingPathComponent("ltfu.sqlite").path
        let queue = try DatabaseQueue(path: path)
        let plans = try queue.read { db in
            try ["windowOpen <= '2025-01-01' AND windowClose >= '2025-01-01'", "windowOpen < '2025-01-01' AND windowClose < '2025-01-01'"].map { condition in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM visit WHERE state = 'open' AND \(condition)")
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans.allSatisfy { $0.contains("USING INDEX visit_open_by_window") }, "\(plans)")
    }

    @Test func auditTrail_isAppendOnly_andDetectsEdits() throws {
        try enroll("S01-001")
        try enroll("S01-002")
        #expect(try store.verifyAuditChain().ok)
        let path = directory.appendingPathComponent("ltfu.sqlite").path
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit SET user = 'mallory'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM subject") } }
        // Someone drops the trigger and edits a row behind the daemon's back.
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update")
            try db.execute(sql: "UPDATE audit SET user = 'mallory' WHERE id = 2")
        }
        let result = try store.verifyAuditChain()
        #expect(!result.ok)
        #expect(result.firstBrokenId == 2)
        #expect(result.problem?.contains("changed") == true)
    }

    @Test func schema_refusesImpossibleRows() throws {
        try enroll("S01-001")
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("ltfu.sqlite").path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE visit SET state = 'done' WHERE id = 1") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE subject SET status = 'ended'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE subject SET tier = 'low'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "INSERT INTO visit (subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments) VALUES (999, 999, 'M1', 1, '2025-01-01', '2025-01-01', '2025-01-02', 'in-person', '')") } }
    }

    @Test func open_refusesADamagedDatabase() throws {
        let path = directory.appendingPathComponent("damaged.sqlite").path
        _ = try FollowUpStore.open(path: path)
        // Overwrite the middle of the file with garbage.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        if size < 8192 { try handle.write(contentsOf: Data(repeating: 0, count: 8192)) }
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4000))
        try handle.close()
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let error = try #require(throws: LTFUError.self) { try FollowUpStore.open(path: path) }
        #expect(error.code.hasPrefix("database-"))
    }
}
