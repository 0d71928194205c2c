#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import HummingbirdCore
import LTFUConfig
import LTFUCore
import Logging
import NIOCore

/// The control socket (STYLE.md habit 5, like ntpd's control.c): a stale socket is replaced,
/// the socket is made mode 0660 in the read group before anyone is told it is ready, and an
/// idle or slow client is dropped after a while without holding up anyone else.
///
/// Resource limits (issue #13, README "Reliability"): at most `[socket] max_connections`
/// connections at once (further callers wait in the listen backlog until one closes), a
/// connection silent for `[socket] idle_seconds` is closed, and every route's body is at most
/// `ControlContext.maximumBodySize` bytes.
public enum ControlServer {
    public static func application(routes: ControlRoutes, socketPath: String, readGroup: String,
                                   limits: SiteConfiguration.Socket, logger: Logger,
                                   onReady: @escaping @Sendable () async -> Void) -> some ApplicationProtocol
    {
        raiseFileLimit(toFit: limits.maxConnections, logger: logger)
        return Application(
            router: routes.router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(limits.idleSeconds)))),
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "ltfud",
                                 availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            onServerRunning: { _ in
                do {
                    try restrict(socketPath: socketPath, group: readGroup)
                } catch {
                    logger.error("\(error)")
                }
                await onReady()
            },
            logger: logger)
    }

    /// systemd starts services with a soft limit of 1,024 open files and a far higher hard one,
    /// expecting a program that needs more to raise it itself: room for every connection and
    /// the database's, journal's and mail's own descriptors.
    static func raiseFileLimit(toFit connections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(connections + 256)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 || limit.rlim_cur < wanted {
            logger.warning("only \(limit.rlim_cur) open files allowed: fewer than [socket] max_connections = \(connections) connections may be served at once")
        }
    }

    /// chmod 0660, then chown to the read group unless it already has it. Under the unit
    /// (Group=ltfu) the socket is born in the read group, so no chown (a syscall the unit's
    /// filter refuses) is needed; the mode is set first, so a refused chown never leaves the
    /// socket closed to the group.
    static func restrict(socketPath: String, group: String) throws(LTFUError) {
        guard chmod(socketPath, 0o660) == 0 else {
            throw LTFUError(.configuration, code: "socket-permissions", "cannot chmod {path}: {reason}", ["path": socketPath, "reason": String(cString: strerror(errno))])
        }
        var info = stat()
        guard let gid = UnixAccounts.groupId(named: group), stat(socketPath, &info) == 0, info.st_gid != gid else { return }
        guard chown(socketPath, uid_t.max, gid) == 0 else {
            throw LTFUError(.configuration, code: "socket-permissions",
                            "cannot give {path} to group {group}: {reason}", ["path": socketPath, "group": group, "reason": String(cString: strerror(errno))])
        }
    }
}
