#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Timing helpers: medians of alternating runs, so a noisy shared machine slows every
/// contender in a comparison alike (issue #15: the ratios are the result, not the times).
extension Benchmark {
    /// Runs each contender once per round, in turn, `rounds` times; returns each one's median
    /// in milliseconds, in the order given.
    @MainActor static func alternating(rounds: Int, _ contenders: [(String, () async throws -> Void)]) async throws -> [Double] {
        var samples = [[Double]](repeating: [], count: contenders.count)
        for _ in 0..<rounds {
            for (index, contender) in contenders.enumerated() {
                let start = ContinuousClock.now
                try await contender.1()
                samples[index].append((ContinuousClock.now - start).seconds * 1000)
            }
        }
        return samples.map(median)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs a program to its end with stdout to `/dev/null` (or captured); fails unless it exits 0.
    ///
    /// Through `posix_spawn` and `waitpid`, not Foundation's `Process`: on Linux its
    /// `waitUntilExit` looks every 50 ms, so every time it measured was a multiple of 50 ms
    /// (remind's 452 ms and ltfuctl's 202 ms in an earlier README table alike).
    @discardableResult
    /// - Parameter usage: when given, receives the program's resource use (`wait4`), its peak
    ///   resident memory among it.
    static func run(_ program: String, _ arguments: [String], capture: Bool = false,
                    usage: UnsafeMutablePointer<rusage>? = nil) throws -> Data {
        var pipe: [Int32] = [-1, -1]
        if capture { guard Glibc.pipe(&pipe) == 0 else { throw BenchmarkFailure("pipe: \(errno)") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if capture {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        if capture { close(pipe[1]) }
        guard spawned == 0 else { throw BenchmarkFailure("cannot start \(program): \(String(cString: strerror(spawned)))") }
        var output = Data()
        if capture {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(pipe[0], &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            close(pipe[0])
        }
        var status: Int32 = 0
        while wait4(pid, &status, 0, usage) < 0 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchmarkFailure("\(program) \(arguments.joined(separator: " ")) ended with status \(status)")
        }
        return output
    }

    /// The first of `names` found on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
