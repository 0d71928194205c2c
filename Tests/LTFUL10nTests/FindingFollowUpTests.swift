import LTFUCore
import LTFUL10n
import Testing

/// A notification's `detail` is stored in English (the signals API shows it so) and read
/// back to be said in Chinese: what is written must read back the same, case by case.
@Suite struct FindingFollowUpTests {
    static let window = VisitWindow(open: CalendarDate(year: 2025, month: 4, day: 11)!, close: CalendarDate(year: 2025, month: 5, day: 8)!)

    @Test(arguments: [
        FindingFollowUp.followUpEnded,
        .visitPlanned(purpose: .rclConfirmation, visit: "U1", window: window),
        .visitPlanned(purpose: .integrationSiteAnalysis, visit: "U12", window: window),
        .archivesBecomeTests(visits: ["M24", "M36", "M48"], why: false),
        .archivesBecomeTests(visits: ["M24"], why: true),
        .failedContacts(count: 3, first: window.open, last: window.close, sinceContact: nil),
        .failedContacts(count: 4, first: window.open, last: window.close, sinceContact: CalendarDate(year: 2024, month: 2, day: 29)!),
    ])
    func english_readsBackAsWritten(followUp: FindingFollowUp) {
        let english = followUp.words(Localizer(.english))
        #expect(FindingFollowUp(words: english) == followUp, "\(english)")
    }

    @Test func theWordsStoredBeforeThisType_areTheSame() {
        // Literal details as earlier versions stored them (openapi.yaml's example among them).
        #expect(FindingFollowUp.words([.visitPlanned(purpose: .rclConfirmation, visit: "U1", window: Self.window),
                                       .archivesBecomeTests(visits: ["M24", "M36"], why: false)])
            == "rcl-confirmation visit U1 planned, window 2025-04-11 to 2025-05-08; rcl-archive becomes rcl-test at M24, M36")
        #expect(FindingFollowUp.failedContacts(count: 3, first: Self.window.open, last: Self.window.close, sinceContact: Self.window.open)
            .words(Localizer(.english)) == "3 failed contact attempts from 2025-04-11 to 2025-05-08 since the last contact on 2025-04-11")
    }

    @Test func aChineseSite_readsTheDetailInChinese_andKeepsWhatItDoesNotKnow() {
        let stored = "rcl-confirmation visit U1 planned, window 2025-04-11 to 2025-05-08; follow-up ended; something new"
        let chinese = FindingFollowUp.translate(stored, Localizer(.chinese))
        #expect(chinese == "已安排未计划访视 U1（RCL 复检确认），访视窗口 2025-04-11 至 2025-05-08; 随访已结束; something new")
        #expect(FindingFollowUp.translate(stored, Localizer(.english)) == stored)
    }
}
