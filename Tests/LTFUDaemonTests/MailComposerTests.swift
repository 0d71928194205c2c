import Foundation
import LTFUConfig
import LTFUCore
import LTFUDaemon
import LTFUStore
import Testing

/// Mail content and headers (SPEC §6; issue: no header injection, no birth dates or notes).
@Suite struct MailComposerTests {
    static func d(_ text: String) -> CalendarDate { CalendarDate(iso: text) ?? CalendarDate(dayNumber: 0) }

    var composer: MailComposer {
        var configuration = SiteConfiguration(file: "/etc/ltfu/ltfud.toml")
        configuration.mail.to = ["a@example.org", "b@example.org"]
        return MailComposer(configuration: configuration)
    }

    var overdue: NotificationDetail {
        NotificationDetail(id: "0123456789abcdef0123456789abcdef", kind: .overdue, state: .emitted, subject: "S01-001",
                           tier: .integrating, visit: "M3", target: Self.d("2025-04-10"), windowOpen: Self.d("2025-03-27"),
                           windowClose: Self.d("2025-04-24"), date: Self.d("2025-04-25"), fireOn: Self.d("2025-04-25"),
                           emittedAt: nil, endReason: nil, assessments: StoredAssessments([.survival, .adverseEvents]))
    }

    @Test func each_saysWhatToDo() {
        let draft = composer.each(overdue)
        #expect(draft.id == overdue.id)
        #expect(draft.subject == "[ltfu S01] S01-001 M3: OVERDUE since 2025-04-24")
        #expect(draft.body.contains("visit M3 is overdue"))
        #expect(draft.body.contains("Due:      survival, adverse-events"))
        #expect(draft.body.contains("ltfuctl record S01-001 M3 --on YYYY-MM-DD"))
        #expect(draft.body.contains("ltfuctl miss S01-001 M3 --reason TEXT"))
    }

    @Test func digest_groupsByKind_andListsEveryOverdueVisit() {
        var open = overdue
        open.kind = .windowOpen
        open.id = "ffff"
        let draft = composer.digest(day: Self.d("2025-04-25"), notifications: [overdue, open], overdue: [])
        #expect(draft.id == "digest-S01-2025-04-25")
        #expect(draft.subject == "[ltfu S01] 1 window open")
        #expect(draft.body.contains("Newly overdue (1):"))
        #expect(draft.body.contains("Windows now open (1):"))
    }

    @Test func rfc5322_hasTheHeaders_andAStableMessageID() throws {
        let mail = MailRecord(id: overdue.id, kind: .each, subject: "[ltfu S01] S01-001 M3: OVERDUE", body: "line\n.\nend", at: Date())
        let text = composer.rfc5322(mail, date: Date(timeIntervalSince1970: 1_745_570_000))
        let (head, body) = try #require(text.split(separator: "\n\n", maxSplits: 1).map(String.init).splitPair)
        let headers = head.split(separator: "\n").map(String.init)
        #expect(headers.contains("Date: Fri, 25 Apr 2025 08:33:20 +0000"))
        #expect(headers.contains("From: ltfu@localhost"))
        #expect(headers.contains("To: a@example.org, b@example.org"))
        #expect(headers.contains("Message-ID: <0123456789abcdef0123456789abcdef@ltfu.s01>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(body == "line\n.\nend\n")
    }

    @Test func subject_cannotInjectAHeader_andNonASCIIIsEncoded() {
        let injected = MailRecord(id: "x", kind: .each, subject: "hi\nBcc: victim@example.org", body: "", at: Date())
        let text = composer.rfc5322(injected, date: Date())
        #expect(!text.contains("\nBcc:"))
        let chinese = MailRecord(id: "y", kind: .each, subject: "[随访 S01] 逾期", body: "", at: Date())
        #expect(composer.rfc5322(chinese, date: Date()).contains("Subject: =?UTF-8?B?"))
    }

    @Test func backoff_doublesFromAMinuteToSixHours() {
        #expect((1...12).map { MailSender.backoff(afterAttempt: $0) } == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600, 21600])
    }
}

extension Array where Element == String {
    var splitPair: (String, String)? { count == 2 ? (self[0], self[1]) : nil }
}
