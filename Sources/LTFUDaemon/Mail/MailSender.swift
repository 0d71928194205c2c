import Foundation
import LTFUCore
import LTFUStore
import Logging
import ServiceLifecycle

/// The mail queue's sender (SPEC §6): hands each queued message to sendmail, marks it sent
/// on exit 0, otherwise retries with exponential back-off from 1 minute doubling to 6 hours,
/// logging every failure at err with sendmail's exit code and stderr. Nothing is dropped: a
/// message failing for 7 days stays queued and an err alert says so once a day.
public final class MailSender: Service, Sendable {
    let registry: SubjectRegistry
    let logger: Logger
    let wakeup = Wakeup()

    public init(registry: SubjectRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// Something was queued, or `ltfuctl mail retry`: try now.
    public func poke() { wakeup.signal() }

    /// After the n-th failed attempt: 1 min, 2, 4, … at most 6 h.
    public static func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(0, attempts - 1))), 6 * 3600)
    }

    static let alertAfter: TimeInterval = 7 * 86_400

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                await sendDue()
                var delay: Duration = .seconds(3600)
                let registry = registry
                if let next = try? await StoreWork.read({ try registry.store.nextMailAttempt() }), let date = try? Date(next, strategy: .iso8601) {
                    delay = min(delay, .milliseconds(Int64(max(0, date.timeIntervalSince(registry.now)) * 1000) + 50))
                }
                await wakeup.wait(upTo: delay)
            }
        } onGracefulShutdown: {
            self.wakeup.signal()
        }
    }

    /// One round: every message whose attempt has come.
    public func sendDue() async {
        let configuration = registry.configuration
        guard configuration.mail.enabled else { return }
        let composer = MailComposer(configuration: configuration)
        let due: [MailRecord]
        do {
            let registry = registry
            due = try await StoreWork.read { try registry.store.mailDue(at: registry.now) }
        } catch {
            logger.error("mail queue unreadable: \(error)")
            return
        }
        for mail in due {
            if Task.isShuttingDownGracefully { return }
            let failure = await Sendmail.deliver(composer.rfc5322(mail, date: registry.now), program: configuration.mail.sendmail)
            do {
                if let failure {
                    let retry = registry.now.addingTimeInterval(Self.backoff(afterAttempt: mail.attempts + 1))
                    let store = registry.serviceStore
                    try await StoreWork.writing { () throws(LTFUError) in
                        try store.markMailFailed(id: mail.id, error: failure.description, retryAt: retry)
                    }
                    logger.error("mail \(mail.id) not handed off (attempt \(mail.attempts + 1)): \(failure); next try \(Timestamp.string(retry))")
                    await alertIfStuck(mail, failure: failure)
                } else {
                    let store = registry.serviceStore, now = registry.now
                    try await StoreWork.writing { () throws(LTFUError) in try store.markMailSent(id: mail.id, at: now) }
                    logger.info("mail \(mail.id) handed to \(configuration.mail.sendmail)")
                }
            } catch {
                logger.error("mail \(mail.id): \(error.message)")
            }
        }
    }

    /// A message queued for more than 7 days: an err-level alert, at most once a day.
    func alertIfStuck(_ mail: MailRecord, failure: Sendmail.Failure) async {
        let now = registry.now
        guard let created = try? Date(mail.createdAt, strategy: .iso8601), now.timeIntervalSince(created) > Self.alertAfter else { return }
        if let last = mail.lastAlertAt.flatMap({ try? Date($0, strategy: .iso8601) }), now.timeIntervalSince(last) < 86_400 { return }
        let days = Int(now.timeIntervalSince(created) / 86_400)
        logger.error("mail \(mail.id) has been queued for \(days) days and is still refused; it stays queued")
        Journal.send([
            ("MESSAGE", "Mail \(mail.id) has been queued for \(days) days and sendmail still refuses it (\(failure)); it stays queued. Check the site's mail system, then run `ltfuctl mail retry`."),
            ("PRIORITY", "3"), ("SYSLOG_IDENTIFIER", "ltfud"), ("LTFU_EVENT", "mail-stuck"), ("LTFU_MAIL_ID", mail.id),
            ("LTFU_SITE", registry.configuration.site.id),
        ])
        let store = registry.serviceStore
        _ = try? await StoreWork.writing { () throws(LTFUError) in try store.markMailAlerted(id: mail.id, at: now) }
    }
}
