#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Tells systemd about the service's state (`Type=notify`, STYLE.md habit 4). A no-op
/// when `NOTIFY_SOCKET` is not set.
public enum ServiceManager {
    public static func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    /// During start-up: a `STATUS=` line, and 30 s more before systemd gives up on READY=1
    /// (`EXTEND_TIMEOUT_USEC=`; ignored once the service is up).
    public static func startupProgress(_ status: String) {
        notify("EXTEND_TIMEOUT_USEC=30000000\nSTATUS=\(status)")
    }

    /// The watchdog interval systemd expects pings within, when `WatchdogSec=` is set.
    public static var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    /// CLOCK_MONOTONIC in microseconds, for `RELOADING=1` + `MONOTONIC_USEC=`.
    public static var monotonicMicroseconds: UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
