import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// Issue #15: the first pass after a bulk load moves the bookmarks of never-planned visits
/// with nothing due in one SQL statement. It must leave every visit exactly as the planner's
/// catch-up would (SPEC §6), or a notification comes a day late, early, or never.
@Suite struct FirstPassTests {
    let queue: DatabaseQueue
    let store: FollowUpStore
    let instant = Date(timeIntervalSince1970: 1_780_000_000)

    init() throws {
        queue = try DatabaseQueue()
        store = try FollowUpStore(queue)
    }

    static func d(_ text: String) -> CalendarDate { FollowUpStoreTests.d(text) }

    /// Infused 2025-01-10: M1's window is 2025-02-03 … 2025-02-17, so with the default 14 days
    /// its `upcoming` falls on 2025-01-20; M3's window opens 2025-03-27.
    func enroll(_ code: String, infused: String = "2025-01-10") throws {
        let product = FollowUpStoreTests.product(.integrating)
        let infusions = [Self.d(infused)]
        let plan = try FollowUpPlan(tier: product.tier, template: .standard(for: .integrating), infusions: infusions, birthDate: nil)
        _ = try store.enroll(Enrollment(code: code, product: product, infusions: infusions, birthDate: nil, plan: plan,
                                        templateId: "standard-integrating"),
                             by: Actor(uid: 1001, name: "alice"), at: instant)
    }

    func pass(through day: String, upcomingDays: Int = 14) throws -> [String] {
        let planner = NotificationPlanner(settings: NotifySettings(upcomingDays: upcomingDays))
        _ = try store.scheduleNotifications(through: Self.d(day), fireOn: Self.d(day), planner: planner, at: instant)
        return try store.pendingNotifications().map { "\($0.kind.rawValue) \($0.visit ?? "") \($0.date) on \($0.fireOn)" }
    }

    @Test func upcomingToday_isEmittedToday() throws {
        try enroll("S01-001")
        #expect(try pass(through: "2025-01-20") == ["upcoming M1 2025-01-20 on 2025-01-20"])
    }

    @Test func upcomingTomorrow_isFastForwarded_andEmittedTomorrow() throws {
        try enroll("S01-001")
        #expect(try pass(through: "2025-01-19").isEmpty)
        #expect(try store.nextNotificationDate() == Self.d("2025-01-20"))
        #expect(try pass(through: "2025-01-20") == ["upcoming M1 2025-01-20 on 2025-01-20"])
    }

    @Test func noUpcomingDays_theOpeningIsTheFirstEvent() throws {
        try enroll("S01-001")
        #expect(try pass(through: "2025-02-02", upcomingDays: 0).isEmpty)
        #expect(try store.nextNotificationDate() == Self.d("2025-02-03"))
        #expect(try pass(through: "2025-02-03", upcomingDays: 0) == ["window-open M1 2025-02-03 on 2025-02-03"])
        let superseded = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification WHERE state = 'superseded'") }
        #expect(superseded == 0, "no upcoming reminder exists with upcoming_days = 0")
    }

    /// `replanNotifications()` sets bookmarks back but keeps `notifiedThrough`: those visits
    /// go through the per-visit path, which knows which once-per-visit kinds fired.
    @Test func replannedVisits_areNotFastForwarded() throws {
        try enroll("S01-001")
        _ = try pass(through: "2025-01-20")
        #expect(try store.replanNotifications() > 0)
        let planner = NotificationPlanner(settings: NotifySettings(upcomingDays: 7))
        #expect(try queue.write { db in try FollowUpStore.fastForwardUnplanned(db, through: Self.d("2025-01-21"), planner: planner) } == 0)
    }

    /// The statement against the planner itself: for random windows, days and settings
    /// (upcoming_days 0 among them), a never-planned visit is moved exactly when catch-up has
    /// nothing due for it, and then to catch-up's `next`.
    @Test func fastForward_agreesWithCatchUp_forRandomWindowsAndSettings() throws {
        for code in ["R-1", "R-2", "R-3"] { try enroll(code) }
        let ids = try queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM visit ORDER BY id") }
        var random = SeededGenerator(seed: 15)
        var moved = 0, kept = 0
        for round in 0..<60 {
            let upcoming = [0, 1, 14, Int.random(in: 0...365, using: &random)][round % 4]
            let planner = NotificationPlanner(settings: NotifySettings(
                upcomingDays: upcoming, closingDays: Int.random(in: 0...30, using: &random),
                escalateEveryDays: Int.random(in: 1...60, using: &random)))
            let through = Self.d("2025-06-01").adding(days: Int.random(in: -400...400, using: &random))
            var windows: [Int64: VisitWindow] = [:]
            for id in ids {
                // Near `through` on purpose: the boundaries are where a day goes wrong.
                let open = through.adding(days: Int.random(in: -40...(upcoming + 40), using: &random))
                windows[id] = VisitWindow(open: open, close: open.adding(days: Int.random(in: 0...60, using: &random)))
            }
            try queue.write { db in
                for (id, window) in windows {
                    try db.execute(sql: """
                        UPDATE visit SET windowOpen = ?, target = ?, windowClose = ?, nextNotifyOn = '0000-00-00', notifiedThrough = NULL
                        WHERE id = ?
                        """, arguments: [window.open, window.open, window.close, id])
                }
                _ = try FollowUpStore.fastForwardUnplanned(db, through: through, planner: planner)
            }
            let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT id, nextNotifyOn, notifiedThrough FROM visit") }
            for row in rows {
                let id: Int64 = row["id"], next: String = row["nextNotifyOn"], handled: String? = row["notifiedThrough"]
                guard let window = windows[id] else { continue }
                let plan = planner.catchUp(for: window, after: nil, through: through)
                let context = "window \(window.open)…\(window.close) through \(through) upcoming \(upcoming)"
                if plan.emit == nil, plan.superseded.isEmpty {
                    #expect(next == plan.next.date.description && handled == through.description, "\(context)")
                    moved += 1
                } else {
                    #expect(next == "0000-00-00" && handled == nil, "\(context): something is due, the visit is left to catch-up")
                    kept += 1
                }
            }
        }
        #expect(moved > 500 && kept > 500, "both sides of the boundary were tried: \(moved) moved, \(kept) kept")
    }

    @Test func fastForward_usesThePartialIndex() throws {
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN UPDATE visit INDEXED BY visit_open_by_next_notify SET notifiedThrough = '2025-01-01'
                WHERE state = 'open' AND nextNotifyOn <= '2025-01-01' AND notifiedThrough IS NULL
                """).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("visit_open_by_next_notify"), "\(plan)")
    }
}

/// SplitMix64: the same random windows on every run, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
