import Foundation
import LTFUCore
import LTFUStore
import Logging
import ServiceLifecycle
import Synchronization

/// The heart of the daemon (SPEC §6): each pass records the notifications that have come
/// due (reading only visits whose bookmark has come) and emits them. It sleeps until the
/// next fire time, at most an hour (clock jumps, DST) and at most half the watchdog interval,
/// and wakes early when data changes.
///
/// Issue #23/#28: a pass runs on a store thread (``StoreWork``), never on the cooperative
/// pool; it beats the ``Heartbeat`` at every turn of the loop and at every visit planned and
/// notification emitted, which is what lets the ``Watchdog`` ping (a stuck pass stops the
/// pings); and a graceful stop
/// ends it between two batches, leaving the rest pending for the next start.
public final class NotificationScheduler: Service, Sendable {
    let registry: SubjectRegistry
    let emitter: NotificationEmitter
    let logger: Logger
    let wakeup = Wakeup()
    let watchdog: Duration?
    /// Told when mail was queued.
    let mailQueued: @Sendable () -> Void
    /// The day every subject's retention was last looked at.
    let retentionCheckedOn = Mutex<CalendarDate?>(nil)
    let freedOn = Mutex<CalendarDate?>(nil)
    /// Set when a graceful shutdown begins: the pass under way stops after its batch.
    let stopping = Atomic<Bool>(false)
    /// The store of the daemon's own work: it waits for an import as long as it takes.
    var store: FollowUpStore { registry.serviceStore }

    public init(registry: SubjectRegistry, emitter: NotificationEmitter, logger: Logger,
                watchdog: Duration? = ServiceManager.watchdogInterval, mailQueued: @escaping @Sendable () -> Void = {})
    {
        self.mailQueued = mailQueued
        self.registry = registry
        self.emitter = emitter
        self.logger = logger
        self.watchdog = watchdog
    }

    /// Data changed (enrollment, record, end, reload): plan again now.
    public func poke() { wakeup.signal() }

    /// What one pass did, and when the next is due.
    public struct Pass: Sendable {
        public var recorded: Int
        public var emitted: Int
        public var nextFire: Date?
    }

    /// One pass: record what is due through the last fired day, emit everything pending.
    /// - Parameter progress: hears, after each batch, how far the pass got (a line for
    ///   `systemctl status`): the first pass on a large database takes seconds.
    @discardableResult
    public func runPass(progress: (String) -> Void = { _ in }) throws(LTFUError) -> Pass {
        let heartbeat = registry.heartbeat
        /// After each batch: the work moved; a stop requested ends the pass here.
        func batchDone(_ line: String) throws(LTFUError) {
            heartbeat.beat()
            if self.stopping.load(ordering: .relaxed) { throw Self.stopped }
            progress(line)
        }
        let configuration = registry.configuration
        let fireTime = FireTime(minuteOfDay: configuration.notify.minuteOfDay, zone: configuration.site.timeZone)
        let now = registry.now
        let planner = NotificationPlanner(settings: NotifySettings(
            upcomingDays: configuration.notify.upcomingDays, closingDays: configuration.notify.closingDays,
            escalateEveryDays: configuration.notify.escalateEveryDays))
        let fired = fireTime.lastFiredDay(at: now), today = CalendarDate(now, in: fireTime.zone)
        // Every visit and notification beats too: on a slow machine (the VM test's emulated
        // CPU) a batch can take longer than a short WatchdogSec.
        var recorded = try store.scheduleNotifications(through: fired, fireOn: today, planner: planner, at: now, tick: heartbeat.beat,
                                                       progress: { count throws(LTFUError) in try batchDone("planned the notifications of \(count) visits") })
        // SPEC §10: stopping rules trip at once; open signals escalate once a day.
        recorded += try store.tripStoppingRules(settings: { _ in configuration.safety }, fireOn: today, at: now)
        recorded += try store.scheduleSignalEscalations(through: fired, fireOn: today, at: now)
        // SPEC §11: failed contact attempts while a visit is overdue, looked at once a day (a
        // recorded contact looks at its own subject at once; see SubjectRegistry.contact).
        if retentionCheckedOn.withLock({ $0 }) != today {
            recorded += try store.scheduleRetentionRisks(rule: configuration.retention, today: today, fireOn: today, at: now)
            retentionCheckedOn.withLock { $0 = today }
        }
        let clock = registry
        let mail = configuration.mail.enabled ? MailComposer(configuration: configuration) : nil
        // Issue #22: in the language in force now (a reload applies to what is written after it).
        let emitted = try emitter.emitPending(site: configuration.site.id, language: configuration.site.language, mail: mail,
                                              catchUp: (configuration.notify.catchUpLimit, today), at: { clock.now }, tick: heartbeat.beat,
                                              progress: { count throws(LTFUError) in try batchDone("emitted \(count) of \(recorded) notifications") })
        var queued = emitted > 0 && mail != nil
        if let mail, configuration.mail.mode == .digest {
            queued = try queueDigest(day: fired, composer: mail) || queued
        }
        if queued { mailQueued() }
        var next = try store.nextNotificationDate().map(fireTime.instant(of:))
        if try store.hasOpenSignals() {
            let tomorrow = fireTime.instant(of: fired.adding(days: 1))
            next = min(next ?? tomorrow, tomorrow)
        }
        if recorded + emitted > 0 { logger.info("notifications: \(recorded) recorded, \(emitted) emitted") }
        return Pass(recorded: recorded, emitted: emitted, nextFire: next)
    }

    /// SPEC §6 digest: once a day, after the fire time, one message with the notifications of
    /// the last days not yet mailed, grouped by kind, then every visit still overdue.
    func queueDigest(day: CalendarDate, composer: MailComposer) throws(LTFUError) -> Bool {
        let id = composer.digest(day: day, notifications: [], overdue: []).id
        guard try !store.mailExists(id: id) else { return false }
        let notifications = try store.unmailedNotifications(firedFrom: day.adding(days: -7), through: day.adding(days: 1))
        let overdue = try store.overdueVisits(today: registry.today)
        guard !notifications.isEmpty || !overdue.isEmpty else { return false }
        let draft = composer.digest(day: day, notifications: notifications, overdue: overdue)
        return try store.queueDigest(draft, carrying: notifications.map(\.id), at: registry.now)
    }

    /// What a pass stopped by a graceful shutdown throws, between two batches.
    static let stopped = LTFUError(.unavailable, code: "stopping", "ltfud is stopping: the pass ends after its batch")

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                registry.heartbeat.beat()
                var delay: Duration = .seconds(3600)
                do {
                    let delayed = try await StoreWork.writing { () throws(LTFUError) -> Duration in
                        var delay: Duration = .seconds(3600)
                        let pass = try self.runPass()
                        if let next = pass.nextFire {
                            let seconds = max(0, next.timeIntervalSince(self.registry.now))
                            delay = min(delay, .milliseconds(Int64(seconds * 1000) + 50))
                        }
                        // Issue #13: a notification held back (its file could not be written, a full
                        // disk) is tried again in a minute, not at the next fire time, hours away.
                        if (try? self.store.hasPendingNotifications()) == true { delay = min(delay, .seconds(60)) }
                        self.releaseFreePagesOncePerDay()
                        return delay
                    }
                    delay = delayed
                } catch let error as LTFUError where error.code == Self.stopped.code {
                    logger.notice("scheduling pass stopped between two batches; what is left is emitted after the next start")
                    return
                } catch {
                    logger.error("scheduling pass failed: \(error); retrying in a minute")
                    delay = .seconds(60)
                }
                registry.heartbeat.beat()
                ServiceManager.notify("STATUS=\(await statusLineOffPool())")
                if let watchdog { delay = min(delay, watchdog / 2) }
                await wakeup.wait(upTo: delay)
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
    }

    /// ``statusLine()`` read on a store thread.
    public func statusLineOffPool() async -> String {
        (try? await StoreWork.read { [self] in statusLine() }) ?? "database unavailable"
    }

    /// After the first pass of each day, outside it: the pages the day's writes freed go back
    /// to the disk (``FollowUpStore/releaseFreePages()``). A failure only costs disk space.
    public func releaseFreePagesOncePerDay() {
        let today = registry.today
        guard freedOn.withLock({ $0 }) != today else { return }
        do {
            let bytes = try store.releaseFreePages()
            if bytes > 0 { logger.info("gave \(bytes / 1_000_000) MB of free database pages back to the disk") }
        } catch {
            logger.warning("could not give free database pages back to the disk: \(error.message)")
        }
        freedOn.withLock { $0 = today }
    }

    /// `42 subjects · 3 due · 1 overdue · next reminder 2027-03-01 08:00`, for `systemctl status`;
    /// open signals and met stopping rules first (SPEC §10).
    public func statusLine() -> String {
        guard let counts = try? store.counts(today: registry.today) else { return "database unavailable" }
        let next = nextNotification().map { "next reminder \($0)" } ?? "no reminder planned"
        var parts: [String] = []
        if let met = try? registry.stoppingRules().filter(\.met), !met.isEmpty {
            parts.append("STOPPING RULE MET (\(met.map { "\($0.product) \($0.rule.rawValue)" }.joined(separator: ", ")))")
        }
        if let open = try? store.openSignalCount(), open > 0 {
            parts.append("\(open) OPEN SAFETY SIGNAL\(open == 1 ? "" : "S")")
        }
        parts += ["\(counts.activeSubjects) subjects", "\(counts.due) due", "\(counts.overdue) overdue", next]
        return parts.joined(separator: " · ")
    }

    /// The local time of the next notification, `YYYY-MM-DD HH:MM`: now, while something is
    /// recorded or due but not yet emitted (a pass is about to run; issue #13 saw null or a
    /// past time here while writes ran); else the fire time of the next planned date, and
    /// tomorrow's at the latest while a signal waits for acknowledgement.
    public func nextNotification() -> String? {
        let configuration = registry.configuration
        let fireTime = FireTime(minuteOfDay: configuration.notify.minuteOfDay, zone: configuration.site.timeZone)
        let now = registry.now
        if (try? store.hasPendingNotifications()) == true
            || (try? store.hasVisitsToPlan(through: fireTime.lastFiredDay(at: now))) == true
        {
            return fireTime.describe(instant: now)
        }
        var next = (try? store.nextNotificationDate()).flatMap { $0 }
        if (try? store.hasOpenSignals()) == true {
            let tomorrow = fireTime.lastFiredDay(at: registry.now).adding(days: 1)
            next = min(next ?? tomorrow, tomorrow)
        }
        return next.map(fireTime.describe)
    }
}
