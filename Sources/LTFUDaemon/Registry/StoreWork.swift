import Dispatch
import Foundation
import LTFUCore

/// Issue #23: blocking SQLite work never runs on Swift's cooperative pool. That pool has one
/// thread per core (two on a site server); a store call blocked behind a long write (an
/// import holding the writer for minutes) once took every thread, and with them every read,
/// the scheduler and the watchdog ping.
///
/// - Reads go to a concurrent queue of their own: in WAL mode a reader never waits for the
///   writer, so its threads are only ever busy, not blocked.
/// - Writes (and every call that may write) get a thread of their own each: a write may wait
///   up to ``LTFUStore/FollowUpStore/changeWait`` at the store's door, and libdispatch on
///   Linux widens a queue only slowly (measured: 40 blocked items on a concurrent queue ran
///   about 7 at a time), so ten waiting writers would have queued behind one another. A
///   thread costs tens of microseconds, nothing beside a write's fsync.
public enum StoreWork {
    static let readers = DispatchQueue(label: "ltfud.store.read", qos: .userInitiated, attributes: .concurrent)

    /// Runs `body`, which only reads, off the cooperative pool.
    public static func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readers.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body`, which may write (and so wait at the store's door), on a thread of its own.
    public static func write<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "ltfud.store.write"
            thread.start()
        }
    }

    /// ``write(_:)`` for a body whose only failure is an ``LTFUError`` (the services' loops).
    public static func writing<T: Sendable>(_ body: @escaping @Sendable () throws(LTFUError) -> T) async throws(LTFUError) -> T {
        do {
            return try await write { () throws -> T in try body() }
        } catch let error as LTFUError {
            throw error
        } catch {
            throw LTFUError(.internal, code: "internal-error", verbatim: "\(error)")
        }
    }
}
