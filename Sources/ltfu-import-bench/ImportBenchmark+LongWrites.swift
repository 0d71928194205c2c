#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Issues #23 and #28: what a reader sees while the import holds the store, and how the
/// daemon stops in the pass after it.
extension ImportBenchmark {
    /// Asks `ltfuctl status` every 100 ms on a thread of its own until ``stop()``; each
    /// answer is timed from spawn to exit (`posix_spawn` and `waitpid`: Foundation's
    /// `waitUntilExit` looks only every 50 ms on Linux).
    final class StatusPoller: Sendable {
        let ctl: String
        let socket: String
        private let running = Atomic<Bool>(true)
        private let samples = Mutex<[Double]>([])
        private let failures = Atomic<Int>(0)
        private let done = DispatchSemaphore(value: 0)

        init(ctl: String, socket: String) {
            self.ctl = ctl
            self.socket = socket
            Thread { [self] in
                while running.load(ordering: .relaxed) {
                    let start = ContinuousClock.now
                    let status = ImportBenchmark.spawnAndWait(ctl, ["status", "--socket", socket])
                    if status == 0 { samples.withLock { $0.append((ContinuousClock.now - start).seconds) } } else { failures.add(1, ordering: .relaxed) }
                    usleep(100_000)
                }
                done.signal()
            }.start()
        }

        /// Stops polling; the answers' times in seconds, sorted, and how many failed.
        func stop() -> (sorted: [Double], failed: Int) {
            running.store(false, ordering: .relaxed)
            done.wait()
            return (samples.withLock { $0 }.sorted(), failures.load(ordering: .relaxed))
        }
    }

    /// The `p`-th percentile of sorted `values`, nearest rank.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        return values[min(values.count - 1, max(0, Int((p / 100 * Double(values.count)).rounded(.up)) - 1))]
    }

    /// Runs a program with its output to /dev/null; returns its exit status (-1: not started).
    static func spawnAndWait(_ program: String, _ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    /// Sends SIGTERM to `daemon` and returns how long it took to exit.
    static func timeStop(_ daemon: Process) -> Double {
        let start = ContinuousClock.now
        kill(daemon.processIdentifier, SIGTERM)
        // Foundation reaps its own children: look every millisecond whether it has.
        while daemon.isRunning { usleep(1000) }
        return (ContinuousClock.now - start).seconds
    }
}

extension ImportBenchmark {
    /// Issue #28's row: a register moved in without its history (`subjects` infused 2012–2025,
    /// no visits file) makes one notification due per open visit at once. Times the pass that
    /// follows the import, with a SIGTERM two seconds into it and a restart between (so one run
    /// measures the stop too), and counts what the day file and the mail queue got.
    static func backlog(subjects: Int, ltfud: String, ctl: String, config: URL, root: URL) throws -> String {
        let state = root.appendingPathComponent("backlog-state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        var text = "code,product,infused,born,consent_on,consent_by,ended_on,end_reason\n"
        for index in 0..<subjects {
            text += String(format: "R%06d,CD19-CART,%d-%02d-%02d,,,,,\n", index, 2012 + index % 14, 1 + index / 28 % 12, 1 + index % 28)
        }
        let file = root.appendingPathComponent("register.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let socket = root.appendingPathComponent("backlog.sock").path
        let log = root.appendingPathComponent("backlog.log")
        func start() throws -> Process {
            let daemon = Process()
            daemon.executableURL = URL(fileURLWithPath: ltfud)
            daemon.arguments = ["--config", config.path, "--state-dir", state.path, "--socket", socket]
            if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            daemon.standardError = handle
            daemon.standardOutput = handle
            try daemon.run()
            // The first pass runs before the socket answers: at 30,000 subjects, a minute or more.
            for _ in 0..<6000 where spawnAndWait(ctl, ["status", "--socket", socket]) != 0 { usleep(100_000) }
            return daemon
        }
        /// The pass is over when ltfud logs what it emitted (once per pass that did anything).
        func passes() -> Int {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").components(separatedBy: " emitted").count - 1
        }
        var daemon = try start()
        guard spawnAndWait(ctl, ["import", file.path, "--socket", socket]) == 0 else { throw BenchmarkFailure(message: "the register import failed") }
        let before = passes()
        let passStarted = ContinuousClock.now
        sleep(2)
        let stopSeconds = timeStop(daemon)
        let firstPart = (ContinuousClock.now - passStarted).seconds - stopSeconds
        let restarted = ContinuousClock.now
        daemon = try start()
        while passes() == before { usleep(100_000) }
        let secondPart = (ContinuousClock.now - restarted).seconds
        _ = timeStop(daemon)
        let lines = (try? FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("notifications").path))?
            .reduce(0) { count, name in
                count + (((try? String(contentsOf: state.appendingPathComponent("notifications/\(name)"), encoding: .utf8)) ?? "")
                    .split(separator: "\n").count)
            } ?? 0
        return String(format: """
            | the pass after a register of %d subjects moved in without history (%d notifications) | %.1f s before a SIGTERM + %.1f s after the restart | |
            | SIGTERM 2 s into that pass | ltfud gone after %.2f s | goal: < 5 s |
            """, subjects, lines, firstPart, secondPart, stopSeconds)
    }
}
