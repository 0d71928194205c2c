import Foundation
import GRDB
import LTFUConfig
import LTFUCore
@testable import LTFUDaemon
import LTFUStore
import Logging
import Synchronization
import Testing

/// The mail sender's own schedule under a fake clock (issue #16): a refused message is tried
/// again only when its back-off has run out, 1, 2, 4, … minutes up to 6 hours, without anyone
/// running `ltfuctl mail retry`; and a week-old message alerts at most once a day.
@Suite struct MailSenderTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_740_794_400))  // 2025-03-01 02:00 UTC
        func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var date: Date { now.withLock { $0 } }
    }

    /// Log lines, kept for the test to read.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    struct Capture: LogHandler {
        let sink: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            sink.lines.withLock { $0.append(message.description) }
        }
    }

    let clock = Clock()
    let lines = Lines()
    let store: FollowUpStore
    let sender: MailSender

    init() throws {
        store = try FollowUpStore(DatabaseQueue())
        var configuration = SiteConfiguration(file: "/nonexistent/ltfud.toml")
        configuration.mail.enabled = true
        configuration.mail.sendmail = "/bin/false"
        let clock = clock
        let registry = SubjectRegistry(store: store, configuration: configuration, catalog: ProductCatalog(), clock: { clock.date })
        let sink = lines
        sender = MailSender(registry: registry, logger: Logger(label: "test") { _ in Capture(sink: sink) })
        try store.queueDigest(MailDraft(id: "digest-S01-2025-03-01", subject: "s", body: "b"), carrying: [], at: clock.date)
    }

    var attempts: Int { (try? store.mailQueue().first?.attempts) ?? -1 }

    @Test func aRefusedMessage_isTriedAgainWhenItsBackOffRunsOut_andNotBefore() async throws {
        // Minutes after the first attempt at which the next ones fall due: 1, 2, 4, … doubling.
        var minute = 0.0
        await sender.sendDue()
        #expect(attempts == 1)
        for (attempt, wait) in [(2, 1.0), (3, 2), (4, 4), (5, 8), (6, 16), (7, 32), (8, 64), (9, 128), (10, 256), (11, 360), (12, 360)] {
            clock.advance((wait * 60) - 1)
            await sender.sendDue()
            #expect(attempts == attempt - 1, "not before its back-off of \(wait) minutes (attempt \(attempt))")
            clock.advance(1)
            await sender.sendDue()
            #expect(attempts == attempt, "at \(minute + wait) minutes")
            minute += wait
        }
        #expect(try store.mailQueue().first?.lastError?.contains("sendmail exited 1") == true)
        #expect(lines.all.filter { $0.contains("not handed off") }.count == 12)
    }

    @Test func aWeekOldMessage_alertsAtMostOncePerDay() async throws {
        await sender.sendDue()
        clock.advance(8 * 86_400)
        for _ in 0..<6 {
            clock.advance(3 * 3600)
            await sender.sendDue()
        }
        #expect(lines.all.filter { $0.contains("has been queued for") }.count == 1, "\(lines.all)")
        clock.advance(24 * 3600)
        await sender.sendDue()
        #expect(lines.all.filter { $0.contains("has been queued for 9 days") || $0.contains("has been queued for 10 days") }.count == 1)
    }
}
