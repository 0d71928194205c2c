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
        /// The exit status of a sendmail that ran to its end; nil when it did not start or was killed.
        public var exitCode: Int32?
        /// Its stderr, or what kept it from running or finishing.
        public var detail: String
        public var description: String {
            guard let exitCode else { return detail }
            return "sendmail exited \(exitCode)" + (detail.isEmpty ? "" : ": \(detail)")
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
        // stdin is one end of a socket pair, not a pipe: `send(MSG_NOSIGNAL)` turns a sendmail
        // that exits without reading into EPIPE instead of a SIGPIPE that kills ltfud.
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            return Failure(exitCode: nil, detail: "sendmail did not run: cannot create its input: \(Errno(errno))")
        }
        let (ours, theirs) = (ends[0], ends[1])
        // stderr to a file, not a pipe: an MTA's background delivery process may keep a
        // pipe open long after sendmail itself has answered.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("ltfud-sendmail-\(UUID().uuidString)")
        let errors = open(errorFile.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        defer { unlink(errorFile.path) }
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        let spawned: Result<SpawnedProgram, Failure> = errors < 0 || null < 0
            ? .failure(Failure(exitCode: nil, detail: "sendmail did not run: cannot open \(errorFile.path) or /dev/null: \(Errno(errno))"))
            : SpawnedProgram.spawn(program, arguments: ["-t", "-oi"], descriptors: (theirs, null, errors))
                .mapError { Failure(exitCode: nil, detail: "sendmail did not run: cannot run \(program): \($0)") }
        for descriptor in [theirs, errors, null] where descriptor >= 0 { close(descriptor) }
        let child: SpawnedProgram
        switch spawned {
        case .success(let started):
            child = started
        case .failure(let failure):
            close(ours)
            return failure
        }
        let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: timeout) {
            kill(child.pid, SIGTERM)
        }
        // A sendmail that stops reading early is judged by its exit status below.
        sendAll(Array(message.utf8), to: ours)
        close(ours)
        let termination = child.wait()
        timer.cancel()
        let detail = ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " | ")
        switch termination {
        case .exited(0):
            return nil
        case .exited(let code):
            return Failure(exitCode: code, detail: String(detail.prefix(500)))
        case .signalled(let signal):
            let reason = signal == SIGTERM ? "was stopped after \(timeout.nanoseconds / 1_000_000_000) s" : "was killed by signal \(signal)"
            return Failure(exitCode: nil, detail: "sendmail \(reason)" + (detail.isEmpty ? "" : " (\(String(detail.prefix(500))))"))
        }
    }

    /// Writes every byte, or stops at the first error (EPIPE when the reader is gone).
    private static func sendAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let sent = send(descriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent > 0 {
                    offset += sent
                } else if sent < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
