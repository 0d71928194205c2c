#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import LTFUCore
import Logging
import NIOCore

/// The control socket (STYLE.md habit 5, like ntpd's control.c): a stale socket is replaced,
/// the socket is made mode 0660 in the read group before anyone is told it is ready, and an
/// idle or slow client is dropped after a while without holding up anyone else.
public enum ControlServer {
    public static func application(routes: ControlRoutes, socketPath: String, readGroup: String, logger: Logger,
                                   onReady: @escaping @Sendable () async -> Void) -> some ApplicationProtocol
    {
        Application(
            router: routes.router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "ltfud"),
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

    /// chmod 0660, then chown to the read group unless it already has it. Under the unit
    /// (Group=ltfu) the socket is born in the read group, so no chown (a syscall the unit's
    /// filter refuses) is needed; the mode is set first, so a refused chown never leaves the
    /// socket closed to the group.
    static func restrict(socketPath: String, group: String) throws(LTFUError) {
        guard chmod(socketPath, 0o660) == 0 else {
            throw LTFUError(.configuration, code: "socket-permissions", "cannot chmod \(socketPath): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard let gid = UnixAccounts.groupId(named: group), stat(socketPath, &info) == 0, info.st_gid != gid else { return }
        guard chown(socketPath, uid_t.max, gid) == 0 else {
            throw LTFUError(.configuration, code: "socket-permissions",
                            "cannot give \(socketPath) to group \(group): \(String(cString: strerror(errno)))")
        }
    }
}
