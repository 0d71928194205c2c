import Foundation
import ServiceLifecycle
import Synchronization

/// When the daemon's work last proved it is moving (issue #23, #28): the scheduler's loop at
/// every turn and after every batch of a pass, an import after every 500 subjects. Only the
/// work beats; a timer never does.
public final class Heartbeat: Sendable {
    private let last = Mutex<ContinuousClock.Instant>(.now)

    public init() {}

    /// The work moved.
    public func beat() { last.withLock { $0 = .now } }

    /// How long since the work last moved.
    public var age: Duration { ContinuousClock.now - last.withLock { $0 } }
}

/// Pings systemd's watchdog (`WATCHDOG=1`) from a task of its own, so that no store call,
/// however long, can hold a ping back (issue #23: a pass blocked behind an import, issue
/// #28: a pass of 217,000 notifications, each once got ltfud killed). It still keeps STYLE.md
/// habit 4: it pings only while the ``Heartbeat`` says the work moved within the watchdog
/// interval, so a pass stuck for good stops the pings and systemd restarts ltfud.
public struct Watchdog: Service {
    let interval: Duration
    let heartbeat: Heartbeat
    let ping: @Sendable () -> Void

    public init(interval: Duration, heartbeat: Heartbeat, ping: @escaping @Sendable () -> Void = { ServiceManager.notify("WATCHDOG=1") }) {
        self.interval = interval
        self.heartbeat = heartbeat
        self.ping = ping
    }

    /// Whether to ping now: the work moved within one interval.
    public var workIsMoving: Bool { heartbeat.age < interval }

    public func run() async throws {
        // Four chances per interval: a ping is never late by more than a quarter of it. An
        // event-loop timer (``Wakeup``), which keeps time under the tests' faketime.
        let tick = interval / 4, wakeup = Wakeup()
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                if workIsMoving { ping() }
                await wakeup.wait(upTo: tick)
            }
        } onGracefulShutdown: {
            wakeup.signal()
        }
    }
}
