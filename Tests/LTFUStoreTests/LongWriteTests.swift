import Dispatch
import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// Issue #23: one long write never leaves another writer blocked without a word, and
/// issue #28: a backlog is mailed as one summary, a register moved in raises no backlog.
@Suite struct LongWriteTests {
    let queue: DatabaseQueue
    let store: FollowUpStore
    let instant = Date(timeIntervalSince1970: 1_780_000_000)
    static let alice = Actor(uid: 1001, name: "alice")

    init() throws {
        queue = try DatabaseQueue()
        store = try FollowUpStore(queue)
    }

    static func d(_ text: String) -> CalendarDate { FollowUpStoreTests.d(text) }

    func enroll(_ code: String, infused: String, in store: FollowUpStore? = nil) throws {
        let product = FollowUpStoreTests.product(.integrating)
        let infusions = [Self.d(infused)]
        let plan = try FollowUpPlan(tier: product.tier, template: .standard(for: .integrating), infusions: infusions, birthDate: nil)
        _ = try (store ?? self.store).enroll(Enrollment(code: code, product: product, infusions: infusions, birthDate: nil, plan: plan,
                                                        templateId: "standard-integrating"),
                                             by: Self.alice, at: instant)
    }

    // MARK: - The door to the writer

    @Test func changeBehindALongWrite_isRefusedAsBusy_namingTheHolder_andChangesNothing() throws {
        let store = store.waiting(upTo: .milliseconds(200))
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = WriteGate.Holder("an import of subjects.csv started by alice at 2026-12-02 10:02")
        let longWrite = Thread {
            _ = try? store.gate.pass(as: holder, waitingUpTo: nil) {
                inside.signal()
                release.wait()
            }
        }
        longWrite.start()
        inside.wait()
        #expect(store.gate.holder == holder)
        do {
            try enroll("S-1", infused: "2025-01-10", in: store)
            Issue.record("the change went in while the long write held the store")
        } catch let error as LTFUError {
            #expect(error.kind == .busy)
            #expect(error.code == "busy")
            #expect(error.message.contains("an import of subjects.csv started by alice at 2026-12-02 10:02 is running"))
            #expect(error.message.contains("Nothing was changed"))
        }
        release.signal()
        while store.gate.holder != nil { usleep(1000) }
        #expect(throws: LTFUError.self, "the refused enrollment left nothing behind") { try store.subject(code: "S-1") }
        try enroll("S-1", infused: "2025-01-10", in: store)
        #expect(try store.subject(code: "S-1") != nil, "once the long write is over, the same change goes in")
    }

    @Test func changeBehindAShortWrite_waitsItsTurn_andGoesIn() throws {
        let store = store.waiting(upTo: .seconds(5))
        let inside = DispatchSemaphore(value: 0)
        let shortWrite = Thread {
            _ = try? store.gate.pass(as: .change(), waitingUpTo: nil) {
                inside.signal()
                usleep(100_000)
            }
        }
        shortWrite.start()
        inside.wait()
        try enroll("S-2", infused: "2025-01-10", in: store)
        #expect(try store.subject(code: "S-2") != nil)
    }

    // MARK: - Catch-up

    /// Infused 2012-03-01 (integrating): on 2026-12-01 years of visits are overdue, one
    /// notification each after a pass (SPEC §6: the newest due per visit).
    func backlog(subjects: Int) throws -> Int {
        for index in 0..<subjects { try enroll("B-\(index)", infused: "2012-03-01") }
        let planner = NotificationPlanner(settings: NotifySettings())
        return try store.scheduleNotifications(through: Self.d("2026-12-01"), fireOn: Self.d("2026-12-01"), planner: planner, at: instant)
    }

    @Test func backlogAboveTheLimit_isCarriedByOneSummary_withCountsAndTheMostOverdue() throws {
        let pending = try backlog(subjects: 3)
        #expect(pending > 20)
        var drafted = 0
        let backlog = try store.queueCatchUp(limit: 20, at: instant) { backlog in
            drafted += 1
            return MailDraft(id: "catch-up-1", subject: "catch-up: \(backlog.total)", body: "")
        }
        #expect(drafted == 1)
        #expect(backlog?.total == pending)
        #expect(backlog?.counts.map(\.count).reduce(0, +) == pending)
        #expect(backlog?.counts.allSatisfy { $0.product == "P-integrating" } == true)
        #expect(backlog?.mostOverdue.count == min(pending, FollowUpStore.catchUpShown))
        let closes = backlog?.mostOverdue.map(\.windowClose) ?? []
        #expect(closes == closes.sorted(), "the visits overdue longest come first")
        let carried = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification WHERE mailId = 'catch-up-1' AND state = 'pending'")
        }
        #expect(carried == pending, "every one is carried, and still pending for its file and journald")
        #expect(try store.mailQueue().map(\.id) == ["catch-up-1"])
        let again = try store.queueCatchUp(limit: 20, at: instant) { _ in MailDraft(id: "catch-up-2", subject: "", body: "") }
        #expect(again == nil, "a backlog already carried is never summarized twice (a restart mid-pass)")
    }

    @Test func backlogAtTheLimit_isMailedAsUsual() throws {
        let pending = try backlog(subjects: 1)
        let backlog = try store.queueCatchUp(limit: pending, at: instant) { _ in MailDraft(id: "x", subject: "", body: "") }
        #expect(backlog == nil)
        #expect(try store.mailQueue().isEmpty)
    }

    @Test func safetySignals_areNeverCarriedByASummary() throws {
        _ = try backlog(subjects: 2)
        try queue.write { db in
            let subjectId = try Int64.fetchOne(db, sql: "SELECT id FROM subject LIMIT 1")
            try db.execute(sql: """
                INSERT INTO notification (id, kind, subjectId, date, state, fireOn, createdAt, signal)
                VALUES ('sig-1', 'safety-signal', ?, '2026-12-01', 'pending', '2026-12-01', '2026-12-01T00:00:00Z', 'rcl')
                """, arguments: [subjectId])
        }
        _ = try store.queueCatchUp(limit: 1, at: instant) { _ in MailDraft(id: "catch-up-1", subject: "", body: "") }
        let signalMail = try queue.read { db in try String.fetchOne(db, sql: "SELECT mailId FROM notification WHERE id = 'sig-1'") }
        #expect(signalMail == nil, "a safety signal keeps its own message (SPEC §10)")
    }

    // MARK: - History-only import

    func importOne(quietBefore: CalendarDate?) throws -> ImportCounts {
        let product = FollowUpStoreTests.product(.integrating)
        let infusion = Self.d("2012-03-01")
        let plan = try FollowUpPlan(tier: product.tier, template: .standard(for: .integrating), infusions: [infusion], birthDate: nil)
        let subject = ImportedSubject(line: 2, code: "H-1", product: product, templateId: "standard-integrating",
                                      series: [.init(infusion: infusion, plan: plan)], birthDate: nil, consent: nil, end: nil)
        let batch = ImportBatch(subjectsFile: ImportSource(name: "s.csv", sha256: ""), visitsFile: nil, subjects: [subject], visits: [:],
                                today: Self.d("2026-12-01"), consentRule: ConsentRule(), safety: SafetySettings(), quietBefore: quietBefore)
        return try store.importBatch(batch, dryRun: false, by: Self.alice, at: instant)
    }

    @Test func historyOnlyImport_quietsVisitsClosedBeforeTheDay_andTheyStayOverdue() throws {
        let counts = try importOne(quietBefore: Self.d("2026-11-01"))
        let closedBefore = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visit WHERE state = 'open' AND windowClose < '2026-11-01'")
        }
        #expect(counts.visitsQuiet == closedBefore)
        #expect(counts.visitsQuiet > 10)
        let planner = NotificationPlanner(settings: NotifySettings())
        let pending = try store.scheduleNotifications(through: Self.d("2026-12-01"), fireOn: Self.d("2026-12-01"), planner: planner, at: instant)
        let quietNotified = try queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM notification JOIN visit ON visit.id = notification.visitId WHERE visit.windowClose < '2026-11-01'
                """)
        }
        #expect(quietNotified == 0, "no notification for history")
        #expect(pending <= 2, "only visits closed within the last period or still ahead raise one: \(pending)")
        #expect(try store.overdueVisits(today: Self.d("2026-12-01")).count >= closedBefore ?? 0, "history stays overdue in the lists")
        _ = try store.replanNotifications()
        _ = try store.scheduleNotifications(through: Self.d("2027-06-01"), fireOn: Self.d("2027-06-01"), planner: planner, at: instant)
        let afterReplan = try queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM notification JOIN visit ON visit.id = notification.visitId WHERE visit.windowClose < '2026-11-01'
                """)
        }
        #expect(afterReplan == 0, "a [notify] reload and later escalations leave history quiet")
        #expect(try store.nextNotificationDate().map(\.description) != FollowUpStore.neverNotify)
        let audit = try queue.read { db in try String.fetchOne(db, sql: "SELECT change FROM audit WHERE action = 'import'") } ?? ""
        #expect(audit.contains("\"historyOnly\":true"))
    }

    @Test func ordinaryImport_quietsNothing() throws {
        let counts = try importOne(quietBefore: nil)
        #expect(counts.visitsQuiet == 0)
        let planner = NotificationPlanner(settings: NotifySettings())
        let pending = try store.scheduleNotifications(through: Self.d("2026-12-01"), fireOn: Self.d("2026-12-01"), planner: planner, at: instant)
        #expect(pending > 10, "every open visit's newest event, as SPEC §12 says")
    }
}
