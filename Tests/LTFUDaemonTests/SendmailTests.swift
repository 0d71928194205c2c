import Foundation
import LTFUDaemon
import NIOCore
import Testing

/// The hand-off to a local `sendmail -t -oi` (SPEC §6): the exit status decides, and a
/// sendmail that never reads its message must not take the caller down with SIGPIPE.
@Suite(.serialized) struct SendmailTests {
    /// A message far larger than any pipe or socket buffer, so the writer is still writing
    /// when the reader exits.
    static let largeMessage = "To: a@example.org\n\n" + String(repeating: "x", count: 4 << 20)

    /// A stand-in sendmail. Written through a close-on-exec descriptor: a program another
    /// test spawns meanwhile must not hold it open for writing, or exec fails with ETXTBSY.
    static func script(_ body: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-sendmail-test-\(UUID().uuidString)")
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data("#!/bin/sh\n\(body)\n".utf8))
        try handle.close()
        return url
    }

    @Test func aSendmailThatExitsWithoutReading_isAFailureNotACrash() async throws {
        let failure = await Sendmail.deliver(Self.largeMessage, program: "/bin/false")
        #expect(failure?.exitCode == 1)
        #expect(failure?.description == "sendmail exited 1")
    }

    @Test func theWholeMessageReachesSendmail_withTheHandOffArguments() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-sendmail-copy-\(UUID().uuidString)")
        let program = try Self.script("echo \"$@\" > '\(copy.path).args'\ncat > '\(copy.path)'")
        defer {
            for url in [program, copy, URL(fileURLWithPath: copy.path + ".args")] { try? FileManager.default.removeItem(at: url) }
        }
        #expect(await Sendmail.deliver(Self.largeMessage, program: program.path) == nil)
        #expect(try String(contentsOf: copy, encoding: .utf8) == Self.largeMessage)
        #expect(try String(contentsOfFile: copy.path + ".args", encoding: .utf8) == "-t -oi\n")
    }

    /// ltfud ignores SIGPIPE (and SIGTERM under ServiceLifecycle) and its threads block most
    /// signals; sendmail must start with none of that, or the timeout's SIGTERM is lost.
    @Test func sendmailStartsWithEverySignalAtItsDefault() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-sendmail-signals-\(UUID().uuidString)")
        // grep reads its own state, inherited through exec: the shell's own, read from outside,
        // would show dash blocking everything around its wait for a child.
        let program = try Self.script("exec grep -E '^Sig(Blk|Ign)' /proc/self/status > '\(copy.path)'")
        defer { for url in [program, copy] { try? FileManager.default.removeItem(at: url) } }
        signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, SIG_DFL) }
        // From a thread that blocks every signal, as ltfud's event loop threads do.
        let failure = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var all = sigset_t()
                sigfillset(&all)
                pthread_sigmask(SIG_SETMASK, &all, nil)
                Task { continuation.resume(returning: await Sendmail.deliver("To: a@example.org\n\nhello\n", program: program.path)) }
            }
        }
        #expect(failure == nil)
        let masks = try String(contentsOf: copy, encoding: .utf8).split(separator: "\n").reduce(into: [String: UInt64]()) {
            let field = $1.split(separator: "\t")
            $0[String(field[0])] = UInt64(field[1], radix: 16)
        }
        #expect(masks["SigBlk:"] == 0)
        // Signals 32 and 33 are glibc's own (thread cancellation, setxid): posix_spawn leaves
        // them ignored, and no program can use them.
        #expect(masks["SigIgn:"].map { $0 & ~0x1_8000_0000 } == 0)
    }

    @Test func theExitStatusAndStderrAreTheReason() async throws {
        let program = try Self.script("cat >/dev/null\necho '451 temporary local problem' >&2\nexit 75")
        defer { try? FileManager.default.removeItem(at: program) }
        let failure = await Sendmail.deliver("To: a@example.org\n\nhello\n", program: program.path)
        #expect(failure?.description == "sendmail exited 75: 451 temporary local problem")
    }

    @Test func aMissingProgram_saysItDidNotRun() async throws {
        let failure = await Sendmail.deliver("To: a@example.org\n\nhello\n", program: "/nonexistent/sendmail")
        #expect(failure?.exitCode == nil)
        #expect(failure?.description == "sendmail did not run: cannot run /nonexistent/sendmail: No such file or directory")
    }

    @Test func aHungSendmail_isStoppedAfterTheTimeout() async throws {
        let program = try Self.script("exec sleep 30")
        defer { try? FileManager.default.removeItem(at: program) }
        let failure = await Sendmail.deliver("To: a@example.org\n\nhello\n", program: program.path, timeout: .milliseconds(300))
        #expect(failure?.exitCode == nil)
        #expect(failure?.description == "sendmail was stopped after 0 s")
    }
}
