#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A real `ltfud` on temp directories: its own config, state directory and socket, optionally
/// under `faketime` so "today" is fixed. Tests drive it with the real `ltfuctl`.
final class DaemonHarness: @unchecked Sendable {
    let root: URL
    let configFile: URL
    let stateDirectory: URL
    let socket: String
    private(set) var process: Process?
    /// `YYYY-MM-DD HH:MM:SS` UTC the fake clock starts at, or nil for the real clock.
    var fakeTime: String?
    /// Run ltfud with a standalone systemd-journald in a private mount namespace.
    let withJournal: Bool
    /// Extra environment for ltfud (NOTIFY_SOCKET, WATCHDOG_USEC, …).
    var environment: [String: String] = [:]
    /// Run ltfud as this unprivileged user with no_new_privs, as the hardened unit does.
    var runAs: String?
    /// Mount a tmpfs of this many MiB over the state directory, in ltfud's private mount
    /// namespace (issue #13: a full disk). Its files live only as long as that namespace: read
    /// them through ``namespacePath(_:)`` or ``inNamespace(_:)``; a restart starts it empty.
    var stateOnTmpfs: Int?
    /// With `journal`: ltfud's stdout and stderr go to the private journald, as under systemd
    /// (`JOURNAL_STREAM` set, `<N>` priority prefixes), instead of ``log``.
    var logToJournal = false
    private var logHandle: FileHandle?

    /// - Parameters:
    ///   - today: `YYYY-MM-DD`: runs the daemon under faketime at 10:00 local time that day.
    ///   - readGroup, writeGroup: the `[access]` groups; default the invoking user's primary group.
    ///   - country: `[site] country` (issue #24: the SDTM export needs it); `nil` leaves it out.
    init(today: String? = nil, readGroup: String? = nil, writeGroup: String? = nil, timezone: String = "Asia/Shanghai",
         country: String? = "CHN", extraConfig: String = "", journal: Bool = false) throws
    {
        withJournal = journal
        root = URL(fileURLWithPath: "/tmp/ltfu-e2e-\(UUID().uuidString.prefix(8))")
        configFile = root.appendingPathComponent("etc/ltfud.toml")
        stateDirectory = root.appendingPathComponent("state")
        socket = root.appendingPathComponent("ltfud.sock").path
        let etc = root.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("etc/ltfu/products.d"),
                                         to: etc.appendingPathComponent("products.d"))
        let ownGroup = String(cString: getgrgid(getgid()).pointee.gr_name)
        try """
            [site]
            id = "S01"
            timezone = "\(timezone)"
            \(country.map { "country = \"\($0)\"" } ?? "")

            [access]
            read_group = "\(readGroup ?? ownGroup)"
            write_group = "\(writeGroup ?? ownGroup)"
            \(extraConfig)
            """.write(to: configFile, atomically: true, encoding: .utf8)
        fakeTime = today.map { "\($0) 02:00:00" }  // 10:00 in Asia/Shanghai (UTC+8)
        if journal { try JournalSandbox.prepare(in: root.appendingPathComponent("journal")) }
        // Let every user reach the socket's folder, so group permissions on the socket decide.
        chmod(root.path, 0o755)
    }

    deinit {
        if process != nil { kill9() }
        try? FileManager.default.removeItem(at: root)
    }

    /// The arguments that run ltfud (under faketime when a date is set). The `faketime`
    /// wrapper forks ltfud and exits with its status; signals go to ltfud itself (``daemonPid``).
    private var command: (URL, [String], [String: String]) {
        let daemon = BuiltBinaries.url("ltfud")
        var arguments = [daemon.path, "--config", configFile.path, "--state-dir", stateDirectory.path, "--socket", socket]
        var environment = environment
        if let fakeTime {
            // `@` starts the fake clock at that instant and lets it run.
            arguments = ["/usr/bin/faketime", "-f", "@" + fakeTime] + arguments
            environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        }
        if let runAs {
            _ = try? BuiltBinaries.run(path: "/bin/chown", ["-R", "\(runAs):\(runAs)", root.path])
            arguments = ["/usr/bin/setpriv", "--reuid", runAs, "--regid", runAs, "--init-groups", "--no-new-privs"] + arguments
        }
        if withJournal && logToJournal {
            arguments = ["/usr/bin/systemd-cat", "--identifier=ltfud", "--level-prefix=true"] + arguments
            environment["JOURNAL_STREAM"] = "0:0"
        }
        if let stateOnTmpfs {
            arguments = ["/bin/sh", "-c", "mkdir -p \"$0\" && mount -t tmpfs -o size=\(stateOnTmpfs)m,mode=0755 ltfu-e2e-state \"$0\" && exec \"$@\"",
                         stateDirectory.path] + arguments
        }
        if withJournal {
            arguments = ["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/bash",
                         JournalSandbox.script(in: root.appendingPathComponent("journal")).path] + arguments
        } else if stateOnTmpfs != nil {
            arguments = ["/usr/bin/unshare", "-m", "--propagation", "private"] + arguments
        }
        return (URL(fileURLWithPath: arguments[0]), Array(arguments.dropFirst()), environment)
    }

    /// The folder journald keeps this daemon's journal in, for `journalctl -D`.
    var journalDirectory: URL { root.appendingPathComponent("journal/run-log/journal") }

    /// A path as ltfud sees it, through its mount namespace (a tmpfs state directory).
    func namespacePath(_ url: URL) -> String {
        guard let pid = daemonPid else { return url.path }
        return "/proc/\(pid)/root\(url.path)"
    }

    /// Runs a program in ltfud's mount namespace (`nsenter -m`).
    func inNamespace(_ arguments: [String]) throws -> CommandResult {
        guard let pid = daemonPid else { throw CancellationError() }
        return try BuiltBinaries.run(path: "/usr/bin/nsenter", ["-t", String(pid), "-m", "--"] + arguments)
    }

    /// The pid of ltfud itself: the process, or the wrapper's child under faketime.
    var daemonPid: Int32? { process(named: "ltfud") }

    /// The started process or one of its children whose command name is `name`.
    func process(named name: String) -> Int32? {
        guard let process, process.isRunning else { return nil }
        let pid = process.processIdentifier
        func comm(_ pid: Int32) -> String {
            ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for _ in 0..<100 {
            if comm(pid) == name { return pid }
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").compactMap({ Int32($0) }).first(where: { comm($0) == name }) { return child }
            usleep(20_000)
        }
        return nil
    }

    /// Starts ltfud and waits until it answers `status`.
    func start(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try startWithoutWaiting()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if process?.isRunning != true { break }
            if (try? ctl("status").status) == 0 { return }
            usleep(50_000)
        }
        Issue.record("ltfud did not become ready; log:\n\(self.log)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Starts ltfud and returns at once.
    func startWithoutWaiting() throws {
        if fakeTime != nil { Self.removeStaleFaketimeSemaphores() }
        let (executable, arguments, environment) = command
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let log = root.appendingPathComponent("ltfud.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        logHandle = handle
    }

    /// The `faketime` wrapper makes `/dev/shm/sem.faketime_sem_<its pid>` (and
    /// `faketime_shm_<pid>`) exclusively and removes them when it exits; one killed leaves them
    /// behind, and a later wrapper given the same pid (pid_max is 32768 here, and a run starts
    /// thousands of processes) refuses to start: "sem_open: File exists". Those whose wrapper
    /// is gone are removed before each start; a live wrapper's are left alone.
    static func removeStaleFaketimeSemaphores() {
        let shm = "/dev/shm"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: shm)) ?? [] {
            guard name.hasPrefix("sem.faketime_sem_") || name.hasPrefix("faketime_shm_"),
                  let pid = name.split(separator: "_").last.flatMap({ Int32($0) }) else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if command.trimmingCharacters(in: .whitespacesAndNewlines) != "faketime" {
                try? FileManager.default.removeItem(atPath: "\(shm)/\(name)")
            }
        }
    }

    /// SIGTERM, and wait for a clean exit.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return 0 }
        let journald = withJournal ? self.process(named: "systemd-journal") : nil
        if let pid = daemonPid { kill(pid, SIGTERM) }
        process.waitUntilExit()
        if let journald { Self.stopJournald(journald) }
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: no chance to clean up.
    func kill9() {
        guard let process, let pid = daemonPid else { return }
        let journald = withJournal ? self.process(named: "systemd-journal") : nil
        kill(pid, SIGKILL)
        process.waitUntilExit()
        if let journald { Self.stopJournald(journald) }
        self.process = nil
    }

    /// Stops the private journald once it has stored what ltfud sent (SIGTERM alone drops
    /// entries still queued on its socket), and waits until it is gone, so the next start's
    /// journald never writes the same files alongside it.
    private static func stopJournald(_ pid: Int32) {
        _ = try? BuiltBinaries.run(path: "/usr/bin/nsenter", ["-t", String(pid), "-m", "--", "/usr/bin/timeout", "5", "/bin/journalctl", "--sync"])
        kill(pid, SIGTERM)
        for _ in 0..<500 {
            // Gone, or a zombie its new parent has not reaped yet.
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")"),
                  stat.index(end, offsetBy: 2) < stat.endIndex, !"ZX".contains(stat[stat.index(end, offsetBy: 2)]) else { return }
            usleep(10_000)
        }
    }

    var log: String { (try? String(contentsOf: root.appendingPathComponent("ltfud.log"), encoding: .utf8)) ?? "" }

    /// Runs ltfuctl against this daemon, expecting it to succeed: a failure is recorded at the
    /// caller's line, with ltfuctl's words, and ends the test there.
    @discardableResult
    func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let result = try ctl(arguments)
        #expect(result.status == 0, "ltfuctl \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        if result.status != 0 { throw CancellationError() }
        return result
    }

    /// Runs ltfuctl against this daemon.
    func ctl(_ arguments: String..., user: String? = nil) throws -> CommandResult {
        try ctl(arguments, user: user)
    }

    func ctl(_ arguments: [String], user: String? = nil, input: String? = nil) throws -> CommandResult {
        let all = ["--socket", socket]
        guard let user else { return try BuiltBinaries.run(path: BuiltBinaries.url("ltfuctl").path, arguments + all, input: input) }
        // As another real user, with that user's groups; from a copy they can surely execute
        // (the build folder may sit under a home directory others cannot enter).
        let copy = root.appendingPathComponent("ltfuctl")
        if !FileManager.default.fileExists(atPath: copy.path) {
            try FileManager.default.copyItem(at: BuiltBinaries.url("ltfuctl"), to: copy)
            chmod(copy.path, 0o755)
        }
        return try BuiltBinaries.run(path: "/usr/bin/setpriv",
                                     ["--reuid", user, "--regid", user, "--init-groups", "--", copy.path] + arguments + all)
    }

    /// Runs ltfud with extra arguments to completion (e.g. `--check-config`).
    func runDaemon(_ arguments: [String]) throws -> CommandResult {
        try BuiltBinaries.run("ltfud", ["--config", configFile.path, "--state-dir", stateDirectory.path, "--socket", socket] + arguments)
    }
}

/// A real systemd-journald for one test, in a private mount namespace (never systemd as
/// init): the test's folders are bind-mounted over /run/systemd, /run/log, /var/log/journal
/// and /etc/systemd/journald.conf, journald starts, then the daemon is exec'd.
enum JournalSandbox {
    static func prepare(in folder: URL) throws {
        for name in ["run-systemd", "run-log", "var-log-journal"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try "[Journal]\nStorage=volatile\nReadKMsg=no\nRateLimitBurst=0\n"
            .write(to: folder.appendingPathComponent("journald.conf"), atomically: true, encoding: .utf8)
        try """
            set -e
            shopt -s nullglob
            J='\(folder.path)'
            mkdir -p /run/systemd /run/log /var/log/journal
            mount --bind "$J/run-systemd" /run/systemd
            mount --bind "$J/run-log" /run/log
            mount --bind "$J/var-log-journal" /var/log/journal
            mount --bind "$J/journald.conf" /etc/systemd/journald.conf
            # journald gets no inherited descriptors: a parent waiting for the daemon's end of a
            # socket or pipe must not wait for journald too.
            (\(closeInheritedDescriptors)
             exec /lib/systemd/systemd-journald) >/dev/null 2>&1 &
            for i in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
            exec "$@"
            """.write(to: script(in: folder), atomically: true, encoding: .utf8)
    }

    static func script(in folder: URL) -> URL { folder.appendingPathComponent("namespace.sh") }

    /// Every entry journald stored with `LTFU_SUBJECT` set, as JSON objects.
    static func entries(in directory: URL, matching: String? = nil) throws -> [[String: String]] {
        let result = try BuiltBinaries.run(path: "/bin/journalctl",
                                           ["-D", directory.path, "-o", "json", "--no-pager"] + (matching.map { [$0] } ?? []))
        return result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.map { $0.compactMapValues { $0 as? String } }
    }
}
