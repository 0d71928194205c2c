import Foundation
import LTFUWire
import Testing

/// SPEC §11 end to end through the real binaries under faketime: contact attempts and the
/// retention rule's edges, lost to follow-up refused and forced, a remote visit done by phone,
/// and the re-consent visit of a child who comes of age during follow-up.
@Suite struct RetentionAndConsentTests {
    static func retentionRisks(_ daemon: DaemonHarness) -> [NotificationLine] {
        ((try? NotificationTests.files(daemon)) ?? [:]).values.flatMap { $0 }.filter { $0.kind == .retentionRisk }
    }

    @Test func retentionRule_edges_andLostToFollowUpRefusedThenAllowed() throws {
        let daemon = try DaemonHarness(today: "2025-09-01")
        try daemon.start()
        try daemon.ok("enroll", "R1", "--product", "CIK-AUTO", "--infused", "2025-01-10")   // M1 overdue since 02-18
        try daemon.ok("contact", "R1", "--on", "2025-03-01", "--by", "phone", "--outcome", "no-answer")
        try daemon.ok("contact", "R1", "--on", "2025-04-01", "--by", "letter", "--outcome", "wrong-contact")
        let refused = try daemon.ctl("end", "R1", "--reason", "lost-to-follow-up", "--on", "2025-09-01")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("at least 3 failed contact attempts since the last contact, the first and last at least 60 days apart"))
        #expect(refused.stderr.contains("and 2 are recorded"), "\(refused.stderr)")
        // Three attempts, but 59 days from the first to the last: not yet.
        try daemon.ok("contact", "R1", "--on", "2025-04-29", "--by", "email", "--outcome", "no-answer")
        #expect(try daemon.ctl("end", "R1", "--reason", "lost-to-follow-up", "--on", "2025-09-01").status == 65)
        // The fourth, 60 days after the first: the rule is met, and one retention-risk goes out.
        try daemon.ok("contact", "R1", "--on", "2025-04-30", "--by", "registry", "--outcome", "declined")
        #expect(waitUntil { Self.retentionRisks(daemon).count == 1 })
        let risk = try #require(Self.retentionRisks(daemon).first)
        #expect(risk.subject == "R1")
        #expect(risk.count == 4)
        #expect(risk.message.contains("4 failed contact attempts from 2025-03-01 to 2025-04-30 since the last contact on 2025-01-10"))
        try daemon.ok("contact", "R1", "--on", "2025-05-15", "--by", "phone", "--outcome", "no-answer")
        // A reached contact resets the run; a new run of three over 60 days raises it once more.
        try daemon.ok("contact", "R1", "--on", "2025-06-01", "--by", "phone", "--outcome", "reached")
        for day in ["2025-06-15", "2025-07-01"] {
            try daemon.ok("contact", "R1", "--on", day, "--by", "phone", "--outcome", "no-answer")
        }
        #expect(try daemon.ctl("end", "R1", "--reason", "lost-to-follow-up", "--on", "2025-09-01").stderr.contains("and 2 are recorded"))
        try daemon.ok("contact", "R1", "--on", "2025-08-14", "--by", "letter", "--outcome", "no-answer")
        #expect(waitUntil { Self.retentionRisks(daemon).count == 2 })
        #expect(Self.retentionRisks(daemon).count == 2)
        let shown = try daemon.ctl("show", "R1", "--json").json(ShowResponse.self)
        #expect(shown.contacts.count == 9)
        #expect(shown.subject.lastContact?.description == "2025-06-01")
        #expect(shown.contacts.map { "\($0.on) \($0.by.rawValue) \($0.outcome.rawValue)" }.prefix(2) == [
            "2025-03-01 phone no-answer", "2025-04-01 letter wrong-contact",
        ])
        #expect(try daemon.ctl("list", "--json").json([SubjectSummary].self).first?.lastContact?.description == "2025-06-01")
        try daemon.ok("end", "R1", "--reason", "lost-to-follow-up", "--on", "2025-09-01")
        #expect(try daemon.ctl("audit", "R1", "--json").json([AuditEntry].self).last?.change.contains("\"failedAttempts\":3") == true)

        // Without the evidence, only --force with --note, and the audit trail says so.
        try daemon.ok("enroll", "R2", "--product", "CIK-AUTO", "--infused", "2025-01-10")
        #expect(try daemon.ctl("end", "R2", "--reason", "lost-to-follow-up", "--on", "2025-09-01", "--force").status == 64)
        try daemon.ok("end", "R2", "--reason", "lost-to-follow-up", "--on", "2025-09-01", "--force", "--note", "moved abroad")
        let forced = try #require(try daemon.ctl("audit", "R2", "--json").json([AuditEntry].self).last)
        #expect(forced.action == "end")
        #expect(forced.change.contains("\"forcedWithoutEvidence\":true"))
        #expect(forced.change.contains("\"failedAttempts\":0"))
        // Withdrawn needs no evidence; status counts subjects not heard from for a year.
        try daemon.ok("enroll", "R3", "--product", "CIK-AUTO", "--infused", "2024-08-31")
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).noContactOver365Days == 1)
    }

    @Test func reachedByPhone_recordsARemoteVisit_butNotAnInPersonOne() throws {
        let daemon = try DaemonHarness(today: "2025-02-01")
        try daemon.start()
        // Infused 2019-01-10: M72 (remote) has its window 2024-11-11 … 2025-03-11; M60 is in person.
        try daemon.ok("enroll", "P1", "--product", "CD19-CART", "--infused", "2019-01-10")
        try daemon.ok("contact", "P1", "--on", "2025-01-20", "--by", "phone", "--outcome", "reached", "--visit", "M72")
        let shown = try daemon.ctl("show", "P1", "--json").json(ShowResponse.self)
        let m72 = try #require(shown.visits.first { $0.code == "M72" })
        #expect(m72.status == .done)
        #expect(m72.doneOn?.description == "2025-01-20")
        #expect(m72.deviation == false)
        #expect(shown.contacts.first?.visit == "M72")
        #expect(shown.subject.lastContact?.description == "2025-01-20")
        let inPerson = try daemon.ctl("contact", "P1", "--on", "2025-01-21", "--by", "phone", "--outcome", "reached", "--visit", "M60")
        #expect(inPerson.status == 0)
        #expect(inPerson.stderr.contains("warning: visit M60 is in-person, so a contact does not record it; it stays open"))
        #expect(try daemon.ctl("show", "P1", "--json").json(ShowResponse.self).visits.first { $0.code == "M60" }?.status == .overdue)

        let before = try daemon.ctl("audit", "--json").stdout
        let cases: [([String], Int32, String)] = [
            (["contact", "P1", "--on", "2025-02-02", "--by", "phone", "--outcome", "reached"], 65, "contact date 2025-02-02 is in the future"),
            (["contact", "P1", "--on", "2019-01-09", "--by", "phone", "--outcome", "reached"], 65, "before the first infusion"),
            (["contact", "P1", "--on", "2025-01-22", "--by", "pigeon", "--outcome", "reached"], 64, ""),
            (["contact", "P1", "--on", "2025-01-22", "--by", "phone", "--outcome", "maybe"], 64, ""),
            (["contact", "P1", "--on", "2025-01-22", "--by", "phone", "--outcome", "reached", "--visit", "M72"], 65, "already recorded"),
            (["contact", "P1", "--on", "2025-01-22", "--by", "phone", "--outcome", "reached", "--visit", "M7"], 65, "no visit `M7`"),
            (["contact", "NOPE", "--on", "2025-01-22", "--by", "phone", "--outcome", "reached"], 65, "no subject `NOPE`"),
        ]
        for (arguments, status, message) in cases {
            let result = try daemon.ctl(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(message.isEmpty || result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try daemon.ctl("audit", "--json").stdout == before, "nothing changed")
    }

    @Test func aChildComingOfAge_getsAReconsentVisit_doneOnlyByTheirOwnConsent() throws {
        let daemon = try DaemonHarness(today: "2025-06-01")
        try daemon.start()
        func reconsent(_ code: String) throws -> ShowResponse.Visit? {
            try daemon.ctl("show", code, "--json").json(ShowResponse.self).visits.first { $0.purpose == .reConsent }
        }
        // Born on 29 February: of age on 28 February 2026; consented by a guardian at enrollment.
        try daemon.ok("enroll", "C1", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "2008-02-29",
                    "--consent-on", "2025-01-05", "--consent-by", "guardian")
        let u1 = try #require(try reconsent("C1"))
        #expect(u1.code == "U1")
        #expect(["\(u1.target)", "\(u1.windowOpen)", "\(u1.windowClose)"] == ["2026-02-28", "2026-02-28", "2026-05-29"])
        #expect(u1.mode == .remote)
        #expect(u1.assessments == [.consent])
        // Born on a month's last day.
        try daemon.ok("enroll", "C2", "--product", "MSLN-CARNK-MRNA", "--infused", "2025-01-10", "--born", "2008-01-31",
                    "--consent-on", "2025-01-05", "--consent-by", "guardian")
        #expect(try reconsent("C2")?.target.description == "2026-01-31")
        // Of age after the last visit (a non-modified product's checks stop before the birthday): none.
        try daemon.ok("enroll", "C3", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "2010-06-15",
                    "--consent-on", "2025-01-05", "--consent-by", "guardian")
        #expect(try reconsent("C3") == nil)
        // Only the subject's own consent completes it: not a record, not a call.
        let recorded = try daemon.ctl("record", "C1", "U1", "--on", "2025-06-01")
        #expect(recorded.status == 65)
        #expect(recorded.stderr.contains("is the re-consent at majority: the subject's own consent records it"))
        let called = try daemon.ctl("contact", "C1", "--on", "2025-06-01", "--by", "phone", "--outcome", "reached", "--visit", "U1")
        #expect(called.status == 0)
        #expect(called.stderr.contains("a contact does not record it, the subject's own consent does"))
        // A minor's assent does not complete it; a re-infusion carries it into the new series.
        try daemon.ok("consent", "C1", "--on", "2025-06-01", "--by", "subject", "--form", "assent-v2")
        #expect(try reconsent("C1")?.status == .upcoming)
        try daemon.ok("infuse", "C1", "--on", "2025-05-01")
        let carried = try #require(try reconsent("C1"))
        #expect(carried.series == 2)
        #expect(carried.status == .upcoming)
        // Ending a subject cancels its re-consent.
        try daemon.ok("end", "C2", "--reason", "withdrawn", "--on", "2025-06-01")
        #expect(try reconsent("C2")?.status == .cancelled)
        let refusals: [([String], String)] = [
            (["consent", "C1", "--on", "2008-02-28", "--by", "guardian"], "consent date 2008-02-28 is before the birth date"),
            (["consent", "C1", "--on", "2025-06-02", "--by", "guardian"], "consent date 2025-06-02 is in the future"),
            (["enroll", "C4", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "2000-01-01", "--consent-on", "2025-01-05",
              "--consent-by", "guardian"], "subject `C4` is of age (18) on 2025-01-05: a guardian cannot consent for them"),
        ]
        for (arguments, message) in refusals {
            let result = try daemon.ctl(arguments)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try daemon.ctl("show", "C4").status == 65, "refused whole: not enrolled")
        #expect(daemon.stop() == 0)

        // Of age now: the subject's own consent records the re-consent done on its date.
        daemon.fakeTime = "2026-03-10 02:00:00"
        try daemon.start()
        let guardian = try daemon.ctl("consent", "C1", "--on", "2026-03-05", "--by", "guardian")
        #expect(guardian.status == 65)
        #expect(guardian.stderr.contains("subject `C1` is of age (18) on 2026-03-05"))
        try daemon.ok("consent", "C1", "--on", "2026-03-05", "--by", "subject", "--form", "adult-v3")
        let done = try #require(try reconsent("C1"))
        #expect(done.status == .done)
        #expect(done.doneOn?.description == "2026-03-05")
        let shown = try daemon.ctl("show", "C1", "--json").json(ShowResponse.self)
        #expect(shown.consents.map { "\($0.on) \($0.by.rawValue) \($0.form ?? "-")" } == [
            "2025-01-05 guardian -", "2025-06-01 subject assent-v2", "2026-03-05 subject adult-v3",
        ])
    }
}
