#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUWire
import Testing

/// Reminder mail through a real MTA (exim4-daemon-light from Debian) into a local user's
/// mailbox (SPEC §6).
@Suite(.serialized)
final class MailTests: Sendable {
    /// A local user with a home and an empty mailbox, new for each test and removed after it
    /// (issue #16); its name is this run's own, so no other suite shares it.
    let box: LocalMailbox
    var recipient: String { box.user }

    init() throws {
        box = try LocalMailbox(role: "mail")
    }

    /// A parsed message of the mbox.
    struct Message {
        var headers: [String: String]
        var body: String
    }

    /// Waits, with a deadline, until ltfud has no mail queued and every message it handed to
    /// sendmail has reached the mailbox; returns how many it handed off. Checks for duplicates
    /// come after this, never after a fixed sleep.
    func settled(_ daemon: DaemonHarness) -> Int {
        _ = waitUntil(seconds: 30) { (try? daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self).isEmpty) == true }
        let handedOff = daemon.log.components(separatedBy: " handed to ").count - 1
        _ = waitUntil(seconds: 30) { messages().count >= handedOff }
        return handedOff
    }

    func messages() -> [Message] {
        let text = box.text
        var result: [Message] = []
        for chunk in text.components(separatedBy: "\nFrom ").map({ $0.hasPrefix("From ") ? String($0.dropFirst(5)) : $0 }) where !chunk.isEmpty {
            let parts = chunk.components(separatedBy: "\n\n")
            var headers: [String: String] = [:]
            for line in parts[0].split(separator: "\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            result.append(Message(headers: headers, body: parts.dropFirst().joined(separator: "\n\n")))
        }
        return result
    }

    func config(mode: String, sendmail: String = "/usr/sbin/sendmail") -> String {
        """
        [mail]
        enabled = true
        sendmail = "\(sendmail)"
        from = "ltfu@localhost"
        to = ["\(recipient)@localhost"]
        mode = "\(mode)"
        """
    }

    /// On 2025-04-26 a CIK subject infused 2025-01-10 has M1 escalated and M3 newly overdue.
    func daemonWithTwoAlerts(mode: String, sendmail: String = "/usr/sbin/sendmail") throws -> DaemonHarness {
        let daemon = try DaemonHarness(today: "2025-04-26", extraConfig: config(mode: mode, sendmail: sendmail))
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "1961-07-04").status == 0)
        return daemon
    }

    @Test func eachMode_deliversOneMessagePerNotification() throws {
        let daemon = try daemonWithTwoAlerts(mode: "each")
        #expect(waitUntil(seconds: 30) { self.messages().count == 2 })
        let ids = try daemon.ctl("notifications", "--json").json([NotificationEntry].self).map(\.id)
        let messages = self.messages()
        #expect(Set(messages.compactMap { $0.headers["message-id"] }) == Set(ids.map { "<\($0)@ltfu.s01>" }))
        for message in messages {
            #expect(message.headers["subject"]?.hasPrefix("[ltfu S01] S01-001 M") == true)
            #expect(message.headers["from"] == "ltfu@localhost")
            #expect(message.headers["to"] == "\(recipient)@localhost")
            #expect(message.headers["mime-version"] == "1.0")
            #expect(message.headers["date"] != nil)
            #expect(message.body.contains("ltfuctl record S01-001"))
            #expect(!message.body.contains(/\b1961\b/), "no birth date in mail")
        }
        #expect(messages.contains { $0.headers["subject"] == "[ltfu S01] S01-001 M3: OVERDUE since 2025-04-24" })
        #expect(try daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self).isEmpty)
    }

    @Test func digestMode_deliversOneMessageWithEverythingOverdue() throws {
        let daemon = try daemonWithTwoAlerts(mode: "digest")
        #expect(waitUntil(seconds: 30) { self.messages().count == 1 })
        #expect(settled(daemon) == 1, "one hand-off")
        let messages = self.messages()
        #expect(messages.count == 1)
        let digest = try #require(messages.first)
        #expect(digest.headers["message-id"] == "<digest-S01-2025-04-26@ltfu.s01>")
        #expect(digest.headers["subject"] == "[ltfu S01] 2 overdue")
        #expect(digest.body.contains("Newly overdue (1):"))
        #expect(digest.body.contains("Still overdue, escalated (1):"))
        #expect(digest.body.contains("Every visit still overdue (2):"))
        #expect(!digest.body.contains(/\b1961\b/))
        _ = daemon
    }

    /// SPEC §10: a safety finding never waits for the digest.
    @Test func digestMode_mailsASafetySignalAtOnce_asAMessageOfItsOwn() throws {
        let daemon = try DaemonHarness(today: "2025-04-20", extraConfig: config(mode: "digest"))
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10", "--born", "1961-07-04").status == 0)
        #expect(try daemon.ctl("record", "S01-001", "M3", "--on", "2025-04-10").status == 0)
        #expect(waitUntil(seconds: 30) { messages().count == 1 }, "today's digest")
        #expect(try daemon.ctl("result", "S01-001", "M3", "rcl-test", "positive", "--note", "SECRET-NOTE-4711").status == 0)
        let signal = try #require(try daemon.ctl("signals", "--json").json([SignalEntry].self).first)
        let messageID = "<\(signal.id)@ltfu.s01>"
        #expect(waitUntil(seconds: 30) { messages().contains { $0.headers["message-id"] == messageID } })
        let mail = try #require(messages().first { $0.headers["message-id"] == messageID })
        #expect(mail.headers["subject"] == "[ltfu S01] S01-001 M3: SAFETY SIGNAL rcl")
        #expect(mail.body.contains("SAFETY SIGNAL rcl for subject S01-001: rcl-test positive at M3 on 2025-04-10"))
        #expect(mail.body.contains("ltfuctl ack \(signal.id)"))
        #expect(!mail.body.contains("SECRET-NOTE") && !mail.body.contains(/\b1961\b/))
        #expect(messages().filter { $0.headers["message-id"]?.hasPrefix("<digest-") == true }.count == 1)
        #expect(!messages().contains { $0.headers["message-id"] != messageID && $0.body.contains("SAFETY SIGNAL") },
                "the signal is not repeated in the digest")
    }

    @Test func failingSendmail_queuesRetries_andDeliversExactlyOnceWhenItWorks() throws {
        let flag = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-mta-up-\(UUID().uuidString)")
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-flaky-sendmail-\(UUID().uuidString)")
        try """
            #!/bin/sh
            # A site MTA that is down until \(flag.path) exists.
            [ -e '\(flag.path)' ] && exec /usr/sbin/sendmail "$@"
            cat >/dev/null
            echo "451 temporary local problem" >&2
            exit 75
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        defer { try? FileManager.default.removeItem(at: script); try? FileManager.default.removeItem(at: flag) }
        let daemon = try daemonWithTwoAlerts(mode: "each", sendmail: script.path)
        #expect(waitUntil(seconds: 30) {
            ((try? daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self)) ?? []).filter { $0.attempts > 0 }.count == 2
        })
        let queue = try daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self)
        #expect(queue.allSatisfy { $0.lastError?.contains("sendmail exited 75: 451 temporary local problem") == true })
        #expect(try daemon.ctl("status", "--json").json(StatusResponse.self).mail?.failing == 2)
        #expect(daemon.log.contains("not handed off (attempt 1): sendmail exited 75"))
        #expect(messages().isEmpty)
        // The MTA comes back; a retry delivers each message exactly once.
        FileManager.default.createFile(atPath: flag.path, contents: nil)
        #expect(try daemon.ctl("mail", "retry").status == 0)
        #expect(waitUntil(seconds: 30) { messages().count == 2 })
        #expect(settled(daemon) == 2, "two hand-offs, one per message")
        #expect(messages().count == 2)
        #expect(Set(messages().compactMap { $0.headers["message-id"] }).count == 2)
        #expect(try daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self).isEmpty)
    }

    @Test func aWeekOfFailure_keepsTheMessageQueued_andAlerts() throws {
        let daemon = try daemonWithTwoAlerts(mode: "digest", sendmail: "/bin/false")
        #expect(waitUntil(seconds: 30) { (try? daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self).first?.attempts) == 1 })
        #expect(daemon.stop() == 0)
        // Eight days later the MTA still refuses it: still queued, and an err alert says so.
        daemon.fakeTime = "2025-05-04 02:00:00"
        try daemon.start()
        #expect(try daemon.ctl("mail", "retry").status == 0)
        #expect(waitUntil(seconds: 30) { daemon.log.contains("has been queued for 7 days and is still refused") || daemon.log.contains("has been queued for 8 days and is still refused") }, "\(daemon.log)")
        let queue = try daemon.ctl("mail", "queue", "--json").json([MailQueueEntry].self)
        #expect(queue.map(\.id).contains("digest-S01-2025-04-26"))
        #expect(queue.first { $0.id == "digest-S01-2025-04-26" }?.lastError?.contains("sendmail exited 1") == true)
    }

    @Test func checkConfig_refusesAMissingSendmail() throws {
        let daemon = try DaemonHarness(extraConfig: config(mode: "each", sendmail: "/nonexistent/sendmail"))
        let result = try daemon.runDaemon(["--check-config"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("key `mail.sendmail`: `/nonexistent/sendmail` is not an executable program"))
    }

    @Test func kill9AroundTheHandOff_losesNothing_duplicatesAtMostOnce() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-slow-sendmail-\(UUID().uuidString)")
        try "#!/bin/sh\n/usr/sbin/sendmail \"$@\"\nsleep 4\nexit 0\n".write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        defer { try? FileManager.default.removeItem(at: script) }
        let daemon = try daemonWithTwoAlerts(mode: "digest", sendmail: script.path)
        // The MTA has the message, but ltfud dies before sendmail returns.
        #expect(waitUntil(seconds: 30) { messages().count == 1 })
        daemon.kill9()
        try daemon.start()
        // The killed daemon never logged its hand-off; the restarted one logs each of its own.
        let handedAfterRestart = settled(daemon)
        let ids = messages().compactMap { $0.headers["message-id"] }
        #expect(Set(ids) == ["<digest-S01-2025-04-26@ltfu.s01>"], "never lost")
        #expect(ids.count == 1 + handedAfterRestart)
        #expect((1...2).contains(ids.count), "at most one duplicate, with the same Message-ID")
    }

    /// Under the hardened unit (NoNewPrivileges=yes, a dedicated user) a setuid sendmail cannot
    /// reach its queue; ltfud hands mail to msmtp, which submits over SMTP to the local MTA.
    @Test func unprivilegedNoNewPrivs_handOffThroughMsmtp() throws {
        try HostRequirement.program("/usr/bin/msmtp", package: "msmtp")
        let accounts = HostAccounts()
        defer { accounts.removeAll() }
        let user = try accounts.user("daemon")
        // The local MTA, on a port and with a pid file of this test's own; stopped by its pid.
        let exim = try LocalExim()
        defer { exim.remove() }
        let wrapper = exim.folder.appendingPathComponent("msmtp")
        try "#!/bin/sh\nexec /usr/bin/msmtp --host=127.0.0.1 --port=\(exim.port) --auth=off --tls=off --from=ltfu@localhost \"$@\"\n"
            .write(to: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper.path, 0o755)

        let daemon = try DaemonHarness(today: "2025-04-26", extraConfig: config(mode: "digest", sendmail: wrapper.path))
        daemon.runAs = user
        // Gone before its user is removed (userdel refuses a user with a process).
        defer { daemon.kill9() }
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(waitUntil(seconds: 30) { messages().count == 1 }, "\(daemon.log)")
        #expect(messages().first?.headers["message-id"] == "<digest-S01-2025-04-26@ltfu.s01>")
        let status = try String(contentsOfFile: "/proc/\(try #require(daemon.daemonPid))/status", encoding: .utf8)
        #expect(status.contains("NoNewPrivs:\t1"))
        #expect(!status.contains("Uid:\t0"))
    }
}
