#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore
import LTFUWire
import Synchronization

/// `<state>/notifications/YYYY-MM-DD.jsonl`, named by the day a notification fires (SPEC §8).
/// Each line is one `write(2)` on an `O_APPEND` descriptor, so a crash leaves whole lines only;
/// the lines of a batch are then fsync'd together, once per day file (``sync(_:)``), before
/// anything marks them emitted. A notification already in its day's file (emitted, then the
/// daemon died before marking it) is not written again.
///
/// Issue #15: an fsync per line cost ~9 s for the 25,000 lines of a first pass at 100,000
/// subjects. It never bought anything against `kill -9`, which keeps written data (it is in
/// the page cache and reaches the disk anyway); only against a power loss. And after a power
/// loss journald has lost its recent entries too (it syncs all but critical ones only every
/// `SyncIntervalSec`, 5 minutes by default). A batch whose lines had not reached the disk was
/// not marked emitted either, so it goes out again, to both: the right recovery.
public final class NotificationFiles: Sendable {
    public let directory: String
    private let written = Mutex<[CalendarDate: Set<String>]>([:])
    /// Lines the journal heard whose batch could not be fsync'd and was cut from its file: the
    /// retry writes them again but does not send them to the journal twice (lost on a restart,
    /// when, as after a crash, the file decides).
    private let announced = Mutex<Set<String>>([])

    /// `fsync(2)`; a test puts one that fails in its place.
    private let syncFile: @Sendable (Int32) -> Int32

    public convenience init(directory: String) {
        self.init(directory: directory, fsync: { fd in Glibc.fsync(fd) })
    }

    init(directory: String, fsync: @escaping @Sendable (Int32) -> Int32) {
        self.directory = directory
        syncFile = fsync
    }

    public func path(for day: CalendarDate) -> String {
        (directory as NSString).appendingPathComponent("\(day).jsonl")
    }

    /// The day files a batch wrote to or relies on, until ``sync(_:)``: their open descriptors,
    /// where each file stood before the batch wrote to it, and the ids it wrote there.
    public final class Batch {
        fileprivate struct File {
            var fd: Int32?
            var sizeBefore: off_t = 0
            var ids: [String] = []
        }

        fileprivate var files: [CalendarDate: File] = [:]

        public init() {}

        deinit {
            for case let fd? in files.values.map(\.fd) { close(fd) }
        }
    }

    /// Writes a notification's line to its day's file, without fsync; the batch remembers the
    /// day so that ``sync(_:)`` makes it durable. A line already in the file is not written
    /// again, but its day is synced with the batch all the same: it may be in the page cache
    /// only (written by a daemon killed before it marked it).
    /// - Parameter afterWrite: runs once the line is written (the journal), so a `kill -9`
    ///   can hardly fall between the line and it; not for a line already in the file.
    public func write(_ line: NotificationLine, firedOn day: CalendarDate, into batch: Batch,
                      afterWrite: () -> Void = {}) throws(LTFUError)
    {
        if ids(in: day).contains(line.id) {
            if batch.files[day] == nil { batch.files[day] = Batch.File() }
            return
        }
        var data: Data
        do {
            data = try WireJSON.encoder().encode(line)
        } catch {
            throw LTFUError(.internal, code: "encoding-failed", "cannot encode notification {id}: {reason}", ["id": line.id, "reason": "\(error)"])
        }
        data.append(UInt8(ascii: "\n"))
        let path = path(for: day)
        let fd = try descriptor(for: day, in: batch)
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw Self.failure("stat", path) }
        let count = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        // Issue #13: a full disk can take part of a line (a short write); the file is cut back
        // to its whole lines, so the retry neither joins a torn line nor writes the id twice.
        guard count == data.count else {
            let failure = count < 0 ? Self.failure("write", path)
                : LTFUError(.internal, code: "notification-file-failed", "cannot write {path}: only {count} of {bytes} bytes written (disk full?)",
                            ["path": path, "count": count, "bytes": data.count])
            if count > 0 { _ = ftruncate(fd, before.st_size) }
            throw failure
        }
        if !announced.withLock({ $0.remove(line.id) != nil }) { afterWrite() }
        batch.files[day, default: Batch.File()].ids.append(line.id)
        _ = written.withLock { $0[day, default: []].insert(line.id) }
    }

    /// Makes a batch's lines durable: one fsync per day file. Returns the days whose fsync
    /// failed, with the error; nothing fired on such a day may be marked emitted.
    ///
    /// A failed fsync says the lines may never reach the disk, and Linux reports it only once
    /// (a later fsync of the same pages can succeed without writing them), so syncing again on
    /// the next pass would prove nothing. The batch's lines are cut from the file instead and
    /// forgotten, so the retry writes them afresh (not twice: they are gone) and fsyncs them
    /// (not lost); the journal, which already heard them, is not told again. If even the cut
    /// fails, the lines stay known as written: the retry does not add them twice and fsyncs
    /// the file again before marking, the best left to do.
    public func sync(_ batch: Batch) -> [CalendarDate: LTFUError] {
        var failures: [CalendarDate: LTFUError] = [:]
        for (day, file) in batch.files {
            let path = path(for: day)
            let fd = file.fd ?? open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let gone = errno == ENOENT
                failures[day] = Self.failure("open", path)
                // The file went away since its ids were read (removed by hand): read it afresh on
                // the retry, which then writes the lines again.
                if gone { written.withLock { $0[day] = nil } }
                continue
            }
            if syncFile(fd) != 0 {
                failures[day] = Self.failure("fsync", path)
                if file.fd != nil, ftruncate(fd, file.sizeBefore) == 0 {
                    written.withLock { known in known[day]?.subtract(file.ids) }
                    announced.withLock { $0.formUnion(file.ids) }
                }
            }
            close(fd)
        }
        batch.files = [:]
        return failures
    }

    /// The day's file, opened once per batch; where it stood is remembered for ``sync(_:)``.
    private func descriptor(for day: CalendarDate, in batch: Batch) throws(LTFUError) -> Int32 {
        if let fd = batch.files[day]?.fd { return fd }
        try FileManager.default.createDirectoryIfMissing(directory)
        let path = path(for: day)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Self.failure("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw Self.failure("stat", path)
        }
        batch.files[day, default: Batch.File()].fd = fd
        batch.files[day]?.sizeBefore = info.st_size
        return fd
    }

    /// Whether a day's file already holds the notification.
    public func contains(_ id: String, firedOn day: CalendarDate) -> Bool {
        ids(in: day).contains(id)
    }

    /// The ids already in a day's file, read once per day and then kept.
    private func ids(in day: CalendarDate) -> Set<String> {
        if let known = written.withLock({ $0[day] }) { return known }
        var ids: Set<String> = []
        if let text = try? String(contentsOfFile: path(for: day), encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let entry = try? WireJSON.decoder().decode(IdOnly.self, from: Data(line.utf8)) { ids.insert(entry.id) }
            }
        }
        return written.withLock { known in
            known[day, default: []].formUnion(ids)
            return known[day] ?? ids
        }
    }

    private struct IdOnly: Decodable { var id: String }

    private static func failure(_ call: String, _ path: String) -> LTFUError {
        LTFUError(.internal, code: "notification-file-failed", "cannot {call} {path}: {reason}", ["call": call, "path": path, "reason": String(cString: strerror(errno))])
    }
}

extension FileManager {
    func createDirectoryIfMissing(_ path: String) throws(LTFUError) {
        guard !fileExists(atPath: path) else { return }
        do {
            try createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LTFUError(.internal, code: "notification-file-failed", "cannot create {path}: {reason}", ["path": path, "reason": error.localizedDescription])
        }
    }
}
