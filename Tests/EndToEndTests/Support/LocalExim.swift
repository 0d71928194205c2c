#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// An exim4 SMTP listener of one test's own: on 127.0.0.1 at a port the kernel gave out as
/// free, with its pid file in a folder of its own (`/tmp/ltfu-exim-…`), so suites running at
/// once never share a port, a pid file or each other's MTA. It runs in the foreground
/// (`-bdf`), so the process started here is the listener itself and ``stop()`` kills exactly
/// it, never another exim found by its command line.
///
/// Started with `posix_spawn`, not Foundation's `Process`: `Process` learns of a child's end
/// when the child's end of a socket pair closes, then waits for it on the one thread that
/// reaps every `Process` child. A listener that closes its inherited descriptors (as it must,
/// so it holds none of the runner's open) would block that thread, and every other test's
/// commands with it, until the listener dies.
final class LocalExim: @unchecked Sendable {
    let folder: URL
    private(set) var port: UInt16 = 0
    /// The listener's pid while it runs and is not yet reaped.
    private var pid: pid_t?

    init() throws {
        try HostRequirement.root("exim4 listening for SMTP")
        try HostRequirement.program("/usr/sbin/exim4", package: "exim4-daemon-light")
        folder = URL(fileURLWithPath: "/tmp/ltfu-exim-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The test's unprivileged daemon runs an msmtp wrapper kept here.
        chmod(folder.path, 0o755)
        // Another program may take the port between asking for it and exim's bind: then exim
        // exits at once, and another port is tried.
        for _ in 0..<5 {
            let port = try Self.freePort()
            if try start(on: port) { self.port = port; return }
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        remove()
        throw HostAccounts.Failure(description: "exim4 did not listen: \(output)")
    }

    deinit { remove() }

    private var log: URL { folder.appendingPathComponent("exim.out") }

    /// 127.0.0.1 at `port` (0: any).
    private static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }

    /// A port of 127.0.0.1 no socket holds now: bind port 0, read back the one given.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HostAccounts.Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw HostAccounts.Failure(description: "bind 127.0.0.1:0: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether something accepts connections on 127.0.0.1 at `port`.
    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Starts exim on `port`; true once it accepts connections there, false if it exited.
    private func start(on port: UInt16) throws -> Bool {
        // No inherited descriptors (`closeInheritedDescriptors`): an MTA must not keep ours
        // open. `exec`: the pid spawned is exim's, the listener's.
        let script = """
            \(closeInheritedDescriptors)
            exec /usr/sbin/exim4 -bdf -oX 127.0.0.1:\(port) -oP '\(folder.path)/exim.pid'
            """
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // No blocked signals, default dispositions: whatever the runner's thread has.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/bash", "-c", script].map { (text: String) in strdup(text) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, arguments, environ)
        guard spawned == 0 else { throw HostAccounts.Failure(description: "posix_spawn exim4: error \(spawned)") }
        self.pid = pid
        let listening = waitUntil(seconds: 10) { !isRunning || Self.accepts(port) }
        if listening && isRunning { return true }
        stop()
        return false
    }

    /// Whether the listener still runs; reaps it once it has exited.
    private var isRunning: Bool {
        guard let pid else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        self.pid = nil  // exited and reaped (or, with ECHILD, reaped already)
        return false
    }

    /// The listener's children: an SMTP session or a delivery still under way.
    private func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0) }
    }

    /// Lets a session or delivery under way finish (so no message stays in exim's queue), then
    /// kills the listener by the pid started here, with SIGKILL (exim needs no clean stop here,
    /// and nothing it inherited can block that), and reaps it.
    func stop() {
        guard isRunning, let pid else { return }
        _ = waitUntil(seconds: 30) { children(of: pid).isEmpty }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        self.pid = nil
        // exim removes its pid file only on a clean exit.
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("exim.pid"))
    }

    /// Stops exim and removes its folder.
    func remove() {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
