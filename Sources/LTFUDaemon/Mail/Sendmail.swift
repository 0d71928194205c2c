#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix

/// Hands one message to the local `sendmail -t -oi` (SPEC §6): recipients from the headers,
/// a lone "." line is not the end. The exit status decides: 0 is handed off, anything else
/// (EX_TEMPFAIL 75 included) is a failure to retry.
public enum Sendmail {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var exitCode: Int32?
        public var detail: String
        public var description: String {
            (exitCode.map { "sendmail exited \($0)" } ?? "sendmail did not run") + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    /// Runs on its own thread, so a slow MTA blocks none of the daemon's tasks.
    public static func deliver(_ message: String, program: String, timeout: TimeAmount = .seconds(60)) async -> Failure? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: run(message, program: program, timeout: timeout))
            }
        }
    }

    static func run(_ message: String, program: String, timeout: TimeAmount) -> Failure? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-t", "-oi"]
        let input = Pipe()
        // stderr to a file, not a pipe: an MTA's background delivery process may keep a
        // pipe open long after sendmail itself has answered.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("ltfud-sendmail-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        guard let errors = try? FileHandle(forWritingTo: errorFile) else {
            return Failure(exitCode: nil, detail: "cannot create a temporary file for sendmail's errors")
        }
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            try? errors.close()
            return Failure(exitCode: nil, detail: "cannot run \(program): \(error.localizedDescription)")
        }
        try? errors.close()
        let pid = process.processIdentifier
        let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: timeout) {
            kill(pid, SIGTERM)
        }
        // A sendmail that exits without reading (EPIPE) is judged by its exit status below;
        // the throwing write keeps a broken pipe from taking the daemon down.
        try? input.fileHandleForWriting.write(contentsOf: Data(message.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        timer.cancel()
        let detail = ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " | ")
        if process.terminationReason == .uncaughtSignal {
            return Failure(exitCode: nil, detail: "sendmail was stopped after \(timeout.nanoseconds / 1_000_000_000) s (\(detail))")
        }
        return process.terminationStatus == 0 ? nil : Failure(exitCode: process.terminationStatus, detail: String(detail.prefix(500)))
    }
}
