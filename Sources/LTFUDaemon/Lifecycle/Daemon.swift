#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import LTFUConfig
import LTFUCore
import LTFUWire
import LTFUStore
import Logging
import ServiceLifecycle

/// Starts ltfud: configuration, state directory, database, then the services in dependency
/// order (STYLE.md habit 3). Returns when a SIGTERM or SIGINT has shut everything down.
public struct Daemon: Sendable {
    public var paths: DaemonPaths
    public var logger: Logger
    public var clock: @Sendable () -> Date = Date.init

    public init(paths: DaemonPaths, logger: Logger) {
        self.paths = paths
        self.logger = logger
    }

    public func run() async throws(LTFUError) {
        let setup: SiteSetup
        do {
            setup = try SiteSetup.load(configFile: paths.configFile)
        } catch {
            throw error.asError()
        }
        // Files 0640, folders 0750; the socket is opened to its group explicitly.
        umask(0o027)
        // SIGHUP means reload; ignore it until the reload service traps it.
        signal(SIGHUP, SIG_IGN)
        // No write may kill ltfud: a closed stdout (journald restarting, `scripts/demo | head`)
        // gives EPIPE. systemd's IgnoreSIGPIPE= covers only the unit. (sendmail's input is
        // written with MSG_NOSIGNAL in any case.)
        signal(SIGPIPE, SIG_IGN)
        do {
            try FileManager.default.createDirectory(atPath: paths.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw LTFUError(.configuration, code: "state-directory-unusable", "cannot create {path}: {reason}",
                            ["path": paths.stateDirectory, "reason": error.localizedDescription])
        }
        let lock = try StateDirectoryLock(path: paths.lockFile)
        let store = try FollowUpStore.open(path: paths.database, auditKey: setup.auditKey?.key, now: clock())
        if let key = setup.auditKey {
            // Journald, outside what a database writer can reach, keeps where the keyed chain starts.
            let keyedFrom = try store.auditKeyedFrom().map(String.init) ?? "?"
            logger.notice("audit trail keyed from row \(keyedFrom) with the key in \(key.file)")
        } else {
            logger.warning("no audit key (credential `\(AuditKey.credentialName)` or [audit] key_file): audit rows are hashed without a key")
        }
        let heartbeat = Heartbeat()
        let registry = SubjectRegistry(store: store, configuration: setup.configuration, catalog: setup.catalog, clock: clock,
                                       heartbeat: heartbeat)
        let logger = logger
        let sender = MailSender(registry: registry, logger: logger)
        let calendarFeed = CalendarFeed(stateDirectory: paths.stateDirectory, registry: registry, logger: logger)
        let scheduler = NotificationScheduler(
            registry: registry,
            emitter: NotificationEmitter(store: registry.serviceStore, files: NotificationFiles(directory: paths.notificationsDirectory),
                                         logger: logger),
            logger: logger, mailQueued: { sender.poke() })
        // STYLE.md habit 4: READY=1 only after the migrations, the first scheduling pass and the bind.
        // Issue #15: the first pass on a large database never scheduled takes seconds; every
        // few seconds systemd hears how far it got and gets more time (EXTEND_TIMEOUT_USEC=),
        // so TimeoutStartSec= counts from the last word, not from the start.
        do {
            var lastWord = ContinuousClock.now
            try scheduler.runPass { line in
                guard ContinuousClock.now - lastWord >= .seconds(2) else { return }
                lastWord = ContinuousClock.now
                ServiceManager.startupProgress("first scheduling pass: \(line)")
            }
        } catch {
            logger.error("first scheduling pass failed: \(error.message)")
        }
        registry.onChange {
            calendarFeed.markChanged()
            scheduler.poke()
        }
        var routes = ControlRoutes(registry: registry, startedAt: clock())
        routes.nextNotification = { scheduler.nextNotification() }
        routes.retryMail = { sender.poke() }
        let application = ControlServer.application(
            routes: routes, socketPath: paths.socket, readGroup: setup.configuration.access.readGroup,
            limits: setup.configuration.socket, logger: logger,
            onReady: { [paths] in
                ServiceManager.notify("READY=1\nSTATUS=\(scheduler.statusLine())")
                logger.info("ltfud \(LTFUVersion.current) ready: site \(setup.configuration.site.id), \(setup.catalog.products.count) products, socket \(paths.socket)")
            })
        // Issue #23/#28: the watchdog pings from a task of its own, while the work beats.
        let watchdog: [ServiceGroupConfiguration.ServiceConfiguration] = ServiceManager.watchdogInterval.map {
            [.init(service: Watchdog(interval: $0, heartbeat: heartbeat))]
        } ?? []
        // Started in this order, shut down in reverse: STOPPING=1 first, the socket last.
        let group = ServiceGroup(configuration: .init(
            services: watchdog + [
                .init(service: application),
                .init(service: scheduler),
                .init(service: sender),
                .init(service: calendarFeed),
                .init(service: ReloadService(configFile: paths.configFile, registry: registry, scheduler: scheduler, logger: logger)),
                .init(service: StoppingNotifier()),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            throw LTFUError(.internal, code: "service-failed", "ltfud stopped: {reason}", ["reason": "\(error)"])
        }
        withExtendedLifetime(lock) {}
        logger.info("ltfud stopped")
    }
}

extension Daemon {
    /// `ltfud --adopt-audit-key`: starts the keyed audit chain on a database whose trail was
    /// written without a key (ltfud refuses to start on it once it has one, since the same
    /// picture is what keyed rows rewritten without the key look like). The operator's act,
    /// with ltfud stopped; returns the marker's row.
    public static func adoptAuditKey(paths: DaemonPaths) throws(LTFUError) -> Int64 {
        let setup: SiteSetup
        do {
            setup = try SiteSetup.load(configFile: paths.configFile)
        } catch {
            throw error.asError()
        }
        guard let key = setup.auditKey else {
            throw LTFUError(.configuration, code: "audit-key-missing",
                            "no audit key to adopt the trail with: give ltfud the credential `{credential}` or [audit] key_file",
                            ["credential": AuditKey.credentialName])
        }
        let lock = try StateDirectoryLock(path: paths.lockFile)
        defer { withExtendedLifetime(lock) {} }
        let store = try FollowUpStore.open(path: paths.database, auditKey: key.key, adoptUnkeyedAudit: true)
        return try store.auditKeyedFrom() ?? 0
    }
}

