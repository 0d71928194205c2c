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
    @discardableResult
    static func run(_ program: String, _ arguments: [String], capture: Bool = false) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = capture ? pipe : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("\(program) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
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
