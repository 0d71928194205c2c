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
/// The door is a semaphore, not an actor: writes are blocking SQLite calls, made on the
/// daemon's store threads (``StoreWork`` in LTFUDaemon), never on Swift's cooperative pool.
public final class WriteGate: Sendable {
    /// Who is inside, for the `busy` message and `ltfuctl status`.
    public struct Holder: Sendable, Hashable {
        /// A phrase a coordinator reads: "an import of subjects.csv started by alice at 10:02".
        public var description: String
        public var since: Date

        public init(_ description: String, since: Date = Date()) {
            self.description = description
            self.since = since
        }

        /// An ordinary change: one command's write, over in milliseconds.
        public static func change() -> Holder { Holder("another change") }
    }

    private let door = DispatchSemaphore(value: 1)
    private let inside = Mutex<Holder?>(nil)

    public init() {}

    /// What holds the writer now, if anything.
    public var holder: Holder? { inside.withLock { $0 } }

    /// Waits at most `wait` (for ever when `nil`) to be the one writer, runs `body`, leaves.
    /// - Throws: `busy` when the wait ran out; `body` did not run, so nothing changed.
    func pass<T>(as holder: Holder, waitingUpTo wait: Duration?, _ body: () throws -> T) throws -> T {
        if let wait {
            let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
            if door.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
                throw refusal(waited: wait)
            }
        } else {
            door.wait()
        }
        inside.withLock { $0 = holder }
        defer {
            inside.withLock { $0 = nil }
            door.signal()
        }
        return try body()
    }

    /// The `busy` error of a write that waited `waited` in vain.
    func refusal(waited: Duration) -> LTFUError {
        let what = holder?.description ?? "another change"
        return LTFUError(.busy, code: "busy",
                         "ltfud is busy: \(what) is running, and this change waited \(waited.components.seconds) s for it. Nothing was changed; try again when it has finished (`ltfuctl status` shows how far it got)")
    }
}
