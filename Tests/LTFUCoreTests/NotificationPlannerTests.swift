import Foundation
import LTFUCore
import Testing

/// SPEC §6's timing, kind by kind, and the catch-up rule.
@Suite struct NotificationPlannerTests {
    let planner = NotificationPlanner(settings: NotifySettings())   // 14 / 7 / 30
    // M3 of day 0 2025-01-10: target 2025-04-10, window 2025-03-27 … 2025-04-24.
    let window = VisitWindow(open: d("2025-03-27"), close: d("2025-04-24"))

    func describe(_ events: [NotificationPlanner.Event]) -> [String] { events.map { "\($0.kind.rawValue) \($0.date)" } }

    @Test func fixedEvents_ofATypicalWindow() {
        #expect(describe(planner.fixedEvents(for: window)) == [
            "upcoming 2025-03-13", "window-open 2025-03-27", "closing 2025-04-17", "overdue 2025-04-25",
        ])
    }

    @Test func closing_isLeftOutWhenItWouldNotFallAfterTheOpening() {
        // M1: 7/7 window of 15 days; closing = close − 7 = target, after the opening: kept.
        let m1 = VisitWindow(open: d("2025-02-03"), close: d("2025-02-17"))
        #expect(describe(planner.fixedEvents(for: m1)).contains("closing 2025-02-10"))
        // A 7-day window: close − 7 = the day before it opens: left out.
        let short = VisitWindow(open: d("2025-02-10"), close: d("2025-02-16"))
        #expect(!planner.fixedEvents(for: short).contains { $0.kind == .closing })
        // Exactly on the opening day: "if after it opens" — left out too.
        let exact = VisitWindow(open: d("2025-02-10"), close: d("2025-02-17"))
        #expect(!planner.fixedEvents(for: exact).contains { $0.kind == .closing })
    }

    @Test func settings_changeTheDates() {
        let custom = NotificationPlanner(settings: NotifySettings(upcomingDays: 30, closingDays: 3, escalateEveryDays: 7))
        #expect(describe(custom.events(for: window, after: nil, through: d("2025-05-20"))) == [
            "upcoming 2025-02-25", "window-open 2025-03-27", "closing 2025-04-21", "overdue 2025-04-25",
            "escalation 2025-05-02", "escalation 2025-05-09", "escalation 2025-05-16",
        ])
        let noUpcoming = NotificationPlanner(settings: NotifySettings(upcomingDays: 0, closingDays: 0, escalateEveryDays: 30))
        #expect(describe(noUpcoming.fixedEvents(for: window)) == ["window-open 2025-03-27", "overdue 2025-04-25"])
    }

    @Test func escalations_everyThirtyDaysAfterOverdue_withoutEnd() {
        let events = planner.events(for: window, after: d("2025-04-25"), through: d("2025-08-30"))
        #expect(describe(events) == ["escalation 2025-05-25", "escalation 2025-06-24", "escalation 2025-07-24", "escalation 2025-08-23"])
        #expect(planner.nextEvent(for: window, after: d("2025-08-23")) == .init(.escalation, d("2025-09-22")))
        #expect(planner.nextEvent(for: window, after: d("2025-08-24")) == .init(.escalation, d("2025-09-22")))
        #expect(planner.nextEvent(for: window, after: d("2035-01-01")).date > d("2035-01-01"))
    }

    @Test func events_areStrictlyAfterTheBookmark_andUpToThroughInclusive() {
        #expect(describe(planner.events(for: window, after: d("2025-03-13"), through: d("2025-03-27"))) == ["window-open 2025-03-27"])
        #expect(planner.events(for: window, after: d("2025-03-27"), through: d("2025-04-16")).isEmpty)
        #expect(planner.nextEvent(for: window, after: nil) == .init(.upcoming, d("2025-03-13")))
        #expect(planner.nextEvent(for: window, after: d("2025-03-13")) == .init(.windowOpen, d("2025-03-27")))
    }

    @Test func catchUp_emitsOnlyTheNewest_andSupersedesTheRest() {
        // Down from before `upcoming` until after the window closed: overdue is the newest.
        let afterClose = planner.catchUp(for: window, after: d("2025-03-01"), through: d("2025-04-26"))
        #expect(afterClose.emit == .init(.overdue, d("2025-04-25")))
        #expect(describe(afterClose.superseded) == ["upcoming 2025-03-13", "window-open 2025-03-27", "closing 2025-04-17"])
        #expect(afterClose.next == .init(.escalation, d("2025-05-25")))
        // Inside the window.
        let inside = planner.catchUp(for: window, after: d("2025-03-01"), through: d("2025-04-01"))
        #expect(inside.emit == .init(.windowOpen, d("2025-03-27")))
        #expect(describe(inside.superseded) == ["upcoming 2025-03-13"])
        // Months later: the latest escalation.
        let monthsLater = planner.catchUp(for: window, after: d("2025-03-01"), through: d("2025-09-01"))
        #expect(monthsLater.emit == .init(.escalation, d("2025-08-23")))
        #expect(describe(monthsLater.superseded) == ["upcoming 2025-03-13", "window-open 2025-03-27", "closing 2025-04-17", "overdue 2025-04-25"],
                "the fixed events; older escalations are not counted out")
        // Decades overdue (a mistyped year): the same one escalation, found by arithmetic.
        let ancient = planner.catchUp(for: VisitWindow(open: d("1990-01-01"), close: d("1990-01-31")), after: nil, through: d("2026-11-26"))
        #expect(ancient.emit == .init(.escalation, d("2026-11-19")))
        #expect(ancient.superseded.count == 4)
        #expect(ancient.next == .init(.escalation, d("2026-12-19")))
        // Nothing due.
        let quiet = planner.catchUp(for: window, after: d("2025-03-13"), through: d("2025-03-20"))
        #expect(quiet.emit == nil && quiet.superseded.isEmpty)
        #expect(quiet.next == .init(.windowOpen, d("2025-03-27")))
    }

    @Test func kinds_carryTheirPriorityAndAUniqueMessageID() {
        // upcoming … subject-ended (SPEC §6), then safety-signal crit, safety-escalation crit,
        // stopping-rule alert, schedule-changed notice (SPEC §10), retention-risk warning (SPEC §11).
        #expect(NotificationKind.allCases.map(\.priority) == [6, 5, 5, 4, 3, 5, 2, 2, 1, 5, 4])
        #expect(NotificationKind.safetySignal.priority(signal: .rclConfirmed) == 1)
        #expect(NotificationKind.safetySignal.priority(signal: .rcl) == 2)
        #expect(Set(NotificationKind.allCases.map(\.messageID)).count == NotificationKind.allCases.count)
        #expect(NotificationKind.allCases.allSatisfy { $0.messageID.count == 32 && $0.messageID.allSatisfy(\.isHexDigit) })
    }

    @Test func fireTime_firesAtTheLocalTimeOfDay() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let fire = FireTime(minuteOfDay: 8 * 60, zone: shanghai)
        // 2025-03-01 07:59 and 08:00 in Shanghai (UTC+8).
        let before = Date(timeIntervalSince1970: 1_740_787_140), at = Date(timeIntervalSince1970: 1_740_787_200)
        #expect(fire.lastFiredDay(at: before) == d("2025-02-28"))
        #expect(fire.lastFiredDay(at: at) == d("2025-03-01"))
        #expect(fire.instant(of: d("2025-03-01")) == at)
        #expect(fire.describe(d("2027-03-01")) == "2027-03-01 08:00")
    }

    @Test func fireTime_acrossDaylightSaving() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let fire = FireTime(minuteOfDay: 8 * 60, zone: berlin)
        // 2025-03-30: clocks go forward at 02:00; 08:00 CEST is 06:00 UTC, the day before 07:00 UTC.
        #expect(fire.instant(of: d("2025-03-30")).timeIntervalSince(fire.instant(of: d("2025-03-29"))) == 23 * 3600)
        #expect(fire.instant(of: d("2025-10-27")).timeIntervalSince(fire.instant(of: d("2025-10-26"))) == 24 * 3600)
    }

    @Test func messages_nameCodesAndDatesOnly() {
        let message = NotificationMessage.render(kind: .overdue, subject: "S01-001", visit: "M3", window: window,
                                                 target: d("2025-04-10"), date: d("2025-04-25"))
        #expect(message == "Subject S01-001: visit M3 is overdue: its window closed on 2025-04-24 with nothing recorded; record it or mark it missed.")
        let ended = NotificationMessage.render(kind: .subjectEnded, subject: "S01-001", visit: nil, window: nil, target: nil,
                                               date: d("2025-05-01"), endReason: .death)
        #expect(ended.contains("follow-up ended (death) on 2025-05-01"))
    }
}
