import NIOCore
import NIOPosix
import Synchronization

/// Lets a loop sleep until a deadline or until someone signals it, whichever is first.
/// A signal that arrives while nobody waits is kept for the next wait.
public final class Wakeup: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, Never>?
        var signalled = false
        var generation = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let continuation = state.continuation else {
                state.signalled = true
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume()
    }

    /// Returns after `duration`, on `signal()`, or when the task is cancelled.
    public func wait(upTo duration: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let generation = state.withLock { state -> Int? in
                    if state.signalled {
                        state.signalled = false
                        return nil
                    }
                    state.continuation = continuation
                    state.generation += 1
                    return state.generation
                }
                guard let generation else { return continuation.resume() }
                // An event-loop timer (epoll with a relative timeout on the monotonic clock).
                let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
                MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(max(0, nanoseconds))) { [self] in
                    self.expire(generation)
                }
            }
        } onCancel: {
            signal()
        }
    }

    private func expire(_ generation: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        continuation?.resume()
    }
}
