import Dispatch
import Foundation
import LTFUCore
import Synchronization

/// The one door to the store's writer (issue #23). SQLite has one writer at a time; a long
/// write (an import of 30,000 subjects holds it for a minute or more) would otherwise leave
/// every other writer blocked inside SQLite, with no word of why. Here each write waits for
/// the door at most its deadline, and one that cannot get in is refused with a `busy` error
/// that names what holds the store and says that nothing was changed.
///
/// The door is a lock with a queue, not an actor: writes are blocking SQLite calls, made on the
/// daemon's store threads (``StoreWork`` in LTFUDaemon), never on Swift's cooperative pool.
public final class WriteGate: Sendable {
    /// Who is inside, for the `busy` message and `ltfuctl status`.
    public struct Holder: Sendable, Hashable {
        /// A phrase a coordinator reads: "an import of subjects.csv started by alice at 10:02",
        /// in the reader's language when it is part of an error (issue #22).
        public var phrase: LTFUError.Value
        public var since: Date

        public init(_ phrase: LTFUError.Value, since: Date = Date()) {
            self.phrase = phrase
            self.since = since
        }

        /// A holder named in words that are not translated.
        public init(_ description: String, since: Date = Date()) {
            self.init(.verbatim(description), since: since)
        }

        /// The phrase in English, as `ltfuctl status` shows it.
        public var description: String { phrase.text(in: .english) }

        /// An ordinary change: one command's write, over in milliseconds.
        public static func change() -> Holder { Holder(.phrase("another change")) }
    }

    /// One write waiting its turn; the one leaving hands the door to the first of them.
    final class Waiter: @unchecked Sendable {
        let holder: Holder
        let wake = DispatchSemaphore(value: 0)
        /// Set under ``state``'s lock by the write that hands over.
        var granted = false

        init(_ holder: Holder) { self.holder = holder }
    }

    struct State {
        var holder: Holder?
        var waiting: [Waiter] = []
    }

    /// First come, first in: the door is handed to the longest waiter, so a long run of short
    /// writes (a scheduling pass's batches) can never keep a person's change out past its wait.
    private let state = Mutex(State())

    public init() {}

    /// What holds the writer now, if anything.
    public var holder: Holder? { state.withLock { $0.holder } }

    /// Waits at most `wait` (for ever when `nil`) to be the one writer, runs `body`, leaves.
    /// - Throws: `busy` when the wait ran out; `body` did not run, so nothing changed.
    func pass<T>(as holder: Holder, waitingUpTo wait: Duration?, _ body: () throws -> T) throws -> T {
        let waiter = state.withLock { state -> Waiter? in
            guard state.holder != nil || !state.waiting.isEmpty else {
                state.holder = holder
                return nil
            }
            let waiter = Waiter(holder)
            state.waiting.append(waiter)
            return waiter
        }
        if let waiter {
            if let wait {
                let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
                if waiter.wake.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
                    // Handed the door in the instant the wait ran out: take it after all.
                    let given = state.withLock { state -> Bool in
                        if waiter.granted { return true }
                        state.waiting.removeAll { $0 === waiter }
                        return false
                    }
                    guard given else { throw refusal(waited: wait) }
                    waiter.wake.wait()
                }
            } else {
                waiter.wake.wait()
            }
        }
        defer { leave() }
        return try body()
    }

    /// Hands the door to the first waiter, or leaves it open.
    private func leave() {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.holder = nil
                return nil
            }
            let next = state.waiting.removeFirst()
            next.granted = true
            state.holder = next.holder
            return next
        }
        next?.wake.signal()
    }

    /// The `busy` error of a write that waited `waited` in vain.
    func refusal(waited: Duration) -> LTFUError {
        LTFUError(.busy, code: "busy",
                  "ltfud is busy: {holder} is running, and this change waited {seconds} s for it. Nothing was changed; try again when it has finished (`ltfuctl status` shows how far it got)",
                  ["holder": holder?.phrase ?? .phrase("another change"), "seconds": waited.components.seconds])
    }
}
