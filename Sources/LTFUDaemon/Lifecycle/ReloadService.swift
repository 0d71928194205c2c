import Foundation
import LTFUConfig
import LTFUCore
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads ltfud.toml and the product and template files (STYLE.md habit 3, like
/// ntpd's sighdlr): `RELOADING=1` … `READY=1` around it; a broken configuration is logged
/// at err and the old one stays in force.
struct ReloadService: Service {
    let configFile: String
    let registry: SubjectRegistry
    let scheduler: NotificationScheduler
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            ServiceManager.notify("RELOADING=1\nMONOTONIC_USEC=\(ServiceManager.monotonicMicroseconds)")
            do {
                let setup = try SiteSetup.load(configFile: configFile)
                let old = registry.configuration
                let before = old.notify, after = setup.configuration.notify
                registry.replace(configuration: setup.configuration, catalog: setup.catalog)
                logger.notice("reloaded \(configFile): \(setup.catalog.products.count) products")
                // The socket's limits and the audit key are set up once, at start.
                if old.socket != setup.configuration.socket || old.audit != setup.configuration.audit {
                    logger.notice("[socket] and [audit] changes take effect when ltfud restarts")
                }
                if (before.upcomingDays, before.closingDays, before.escalateEveryDays)
                    != (after.upcomingDays, after.closingDays, after.escalateEveryDays)
                {
                    do {
                        let store = registry.serviceStore
                        let visits = try await StoreWork.writing { () throws(LTFUError) in try store.replanNotifications() }
                        logger.notice("[notify] day counts changed: \(visits) open visits planned again")
                    } catch {
                        logger.error("[notify] day counts changed, but replanning failed: \(error.message)")
                    }
                }
            } catch {
                logger.error("reload refused, the previous configuration stays in force: \(error.description.replacingOccurrences(of: "\n", with: "; "))")
            }
            ServiceManager.notify("READY=1\nSTATUS=\(await scheduler.statusLineOffPool())")
            scheduler.poke()
        }
    }
}

/// Sends `STOPPING=1` as soon as a graceful shutdown begins.
struct StoppingNotifier: Service {
    func run() async throws {
        try? await gracefulShutdown()
        ServiceManager.notify("STOPPING=1")
    }
}
