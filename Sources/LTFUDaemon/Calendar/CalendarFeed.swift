#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore
import LTFUFormats
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps `<state>/calendar/ltfu.ics` current (SPEC §12): written again after changes and
/// once a day, always whole: a temporary file, fsync, then rename, so a calendar app
/// reading it never sees half a file. A service of its own (STYLE.md): a large site's feed
/// takes a while to write, and it never holds up the scheduler, its watchdog pings or a
/// request. A burst of changes makes one write, `settle` after the first.
public final class CalendarFeed: Service, Sendable {
    public let file: String
    let registry: SubjectRegistry
    let logger: Logger
    let settle: Duration
    private let wakeup = Wakeup()
    /// Only times the settling (and ends it at shutdown): Task.sleep does not keep time under
    /// the tests' faketime, the event loop's timers do.
    private let settling = Wakeup()
    /// A change since the last write, and the day of that write.
    private let state = Mutex<(changed: Bool, writtenOn: CalendarDate?)>((true, nil))
    /// Issue #28: a stop abandons a feed half written (a large site's takes seconds); the old
    /// file stays, and the next start writes it anew.
    private let stopping = Atomic<Bool>(false)
    static let stopped = LTFUError(.unavailable, code: "stopping", "ltfud is stopping: the calendar feed is written at the next start")

    public init(stateDirectory: String, registry: SubjectRegistry, logger: Logger, settle: Duration = .seconds(2)) {
        file = (stateDirectory as NSString).appendingPathComponent("calendar/ltfu.ics")
        self.registry = registry
        self.logger = logger
        self.settle = settle
    }

    /// Data changed: the file is written again once the burst settles.
    public func markChanged() {
        state.withLock { $0.changed = true }
        wakeup.signal()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                // Issue #23: it reads the whole store, off the cooperative pool.
                _ = try? await StoreWork.read { [self] in refresh() }
                // Woken by a change (then let the burst settle) or hourly, to notice a new day.
                await wakeup.wait(upTo: .seconds(3600))
                if !Task.isShuttingDownGracefully { await settling.wait(upTo: settle) }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
            self.settling.signal()
        }
    }

    /// Writes the file if data changed since the last write or the day turned.
    public func refresh() {
        let today = registry.today
        let due = state.withLock { state in
            let due = state.changed || state.writtenOn != today
            state.changed = false
            return due
        }
        guard due else { return }
        do {
            try write { sink throws(LTFUError) in try registry.writeCalendar(subject: nil, to: sink) }
            state.withLock { $0.writtenOn = today }
        } catch where error.code == Self.stopped.code {
            state.withLock { $0.changed = true }
            logger.notice("calendar feed left as it was: \(error.message)")
        } catch {
            state.withLock { $0.changed = true }
            logger.error("cannot write the calendar feed \(file): \(error)")
        }
    }

    /// Writes the feed `produce` hands over in pieces to a new file (1 MiB at a time), then
    /// fsyncs it and renames it over the old one: a reader sees the old feed or the new, whole.
    func write(_ produce: ((String) throws -> Void) throws(LTFUError) -> Void) throws(LTFUError) {
        let folder = (file as NSString).deletingLastPathComponent
        let temporary = file + ".new"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw LTFUError(.internal, code: "calendar-unwritable", "cannot create {path}: {reason}", ["path": folder, "reason": error.localizedDescription])
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Self.failure("open", temporary) }
        defer { close(fd) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws(LTFUError) {
            var offset = 0
            while offset < buffer.count {
                let count = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { throw Self.failure("write", temporary) }
                offset += count
            }
            buffer.removeAll(keepingCapacity: true)
        }
        try produce { piece in
            if stopping.load(ordering: .relaxed) { throw Self.stopped }
            buffer.append(contentsOf: piece.utf8)
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
        guard fsync(fd) == 0 else { throw Self.failure("fsync", temporary) }
        guard rename(temporary, file) == 0 else { throw Self.failure("rename", file) }
    }

    static func failure(_ call: String, _ path: String) -> LTFUError {
        let code: LTFUError.Kind = errno == ENOSPC ? .storageFull : .internal
        return LTFUError(code, code: "calendar-unwritable", "{call} {path}: {reason}", ["call": call, "path": path, "reason": String(cString: strerror(errno))])
    }
}
