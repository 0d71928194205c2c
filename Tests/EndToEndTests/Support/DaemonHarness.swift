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
    private var fakeTime: String?
    private var logHandle: FileHandle?

    /// - Parameters:
    ///   - today: `YYYY-MM-DD`: runs the daemon under faketime at 10:00 local time that day.
    ///   - readGroup, writeGroup: the `[access]` groups; default the invoking user's primary group.
    init(today: String? = nil, readGroup: String? = nil, writeGroup: String? = nil, timezone: String = "Asia/Shanghai",
         extraConfig: String = "") throws
    {
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

            [access]
            read_group = "\(readGroup ?? ownGroup)"
            write_group = "\(writeGroup ?? ownGroup)"
            \(extraConfig)
            """.write(to: configFile, atomically: true, encoding: .utf8)
        fakeTime = today.map { "\($0) 02:00:00" }  // 10:00 in Asia/Shanghai (UTC+8)
        // Let every user reach the socket's folder, so group permissions on the socket decide.
        chmod(root.path, 0o755)
    }

    deinit {
        if let pid = daemonPid { kill(pid, SIGKILL) }
        process?.waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

    /// The arguments that run ltfud (under faketime when a date is set). The `faketime`
    /// wrapper forks ltfud and exits with its status; signals go to ltfud itself (``daemonPid``).
    private var command: (URL, [String], [String: String]) {
        let daemon = BuiltBinaries.url("ltfud")
        let arguments = ["--config", configFile.path, "--state-dir", stateDirectory.path, "--socket", socket]
        guard let fakeTime else { return (daemon, arguments, [:]) }
        // `@` starts the fake clock at that instant and lets it run.
        return (URL(fileURLWithPath: "/usr/bin/faketime"), ["-f", "@" + fakeTime, daemon.path] + arguments,
                ["FAKETIME_DONT_FAKE_MONOTONIC": "1"])
    }

    /// The pid of ltfud itself: the process, or the wrapper's child under faketime.
    var daemonPid: Int32? {
        guard let process, process.isRunning else { return nil }
        guard fakeTime != nil else { return process.processIdentifier }
        let pid = process.processIdentifier
        for _ in 0..<100 {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").first.flatMap({ Int32($0) }) { return child }
            usleep(20_000)
        }
        return nil
    }

    /// Starts ltfud and waits until it answers `status`.
    func start(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (executable, arguments, environment) = command
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        env.removeValue(forKey: "NOTIFY_SOCKET")
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
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !process.isRunning { break }
            if (try? ctl("status").status) == 0 { return }
            usleep(50_000)
        }
        Issue.record("ltfud did not become ready; log:\n\(self.log)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// SIGTERM, and wait for a clean exit.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return 0 }
        if let pid = daemonPid { kill(pid, SIGTERM) }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: no chance to clean up.
    func kill9() {
        guard let process, let pid = daemonPid else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    var log: String { (try? String(contentsOf: root.appendingPathComponent("ltfud.log"), encoding: .utf8)) ?? "" }

    /// Runs ltfuctl against this daemon.
    func ctl(_ arguments: String..., user: String? = nil) throws -> CommandResult {
        try ctl(arguments, user: user)
    }

    func ctl(_ arguments: [String], user: String? = nil) throws -> CommandResult {
        let all = ["--socket", socket]
        guard let user else { return try BuiltBinaries.run("ltfuctl", arguments + all) }
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
