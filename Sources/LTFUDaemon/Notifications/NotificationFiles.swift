#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore
import LTFUWire
import Synchronization

/// `<state>/notifications/YYYY-MM-DD.jsonl`, named by the day a notification fires (SPEC §8).
/// Each line is one `write(2)` on an `O_APPEND` descriptor followed by `fsync`, so a crash
/// leaves whole lines only; a notification already in its day's file (emitted, then the daemon
/// died before marking it) is not written again.
public final class NotificationFiles: Sendable {
    public let directory: String
    private let written = Mutex<[CalendarDate: Set<String>]>([:])

    public init(directory: String) {
        self.directory = directory
    }

    public func path(for day: CalendarDate) -> String {
        (directory as NSString).appendingPathComponent("\(day).jsonl")
    }

    /// - Parameter afterWrite: runs once the line is written, before the fsync: what comes next
    ///   (the journal) then follows the line without waiting for the disk, so a `kill -9`
    ///   (which keeps written data) can hardly fall between the line and it.
    public func append(_ line: NotificationLine, firedOn day: CalendarDate, afterWrite: () -> Void = {}) throws(LTFUError) {
        if ids(in: day).contains(line.id) { return }
        var data: Data
        do {
            data = try WireJSON.encoder().encode(line)
        } catch {
            throw LTFUError(.internal, code: "encoding-failed", "cannot encode notification \(line.id): \(error)")
        }
        data.append(UInt8(ascii: "\n"))
        try FileManager.default.createDirectoryIfMissing(directory)
        let path = path(for: day)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Self.failure("open", path) }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw Self.failure("stat", path) }
        let count = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        // Issue #13: a full disk can take part of a line (a short write), and fsync can fail
        // after the write; either way the file is cut back to its whole lines, so the retry
        // neither joins a torn line nor writes the id twice.
        guard count == data.count else {
            let failure = count < 0 ? Self.failure("write", path)
                : LTFUError(.internal, code: "notification-file-failed", "cannot write \(path): only \(count) of \(data.count) bytes written (disk full?)")
            if count > 0 { _ = ftruncate(fd, before.st_size) }
            throw failure
        }
        afterWrite()
        guard fsync(fd) == 0 else {
            let failure = Self.failure("fsync", path)
            _ = ftruncate(fd, before.st_size)
            throw failure
        }
        _ = written.withLock { $0[day, default: []].insert(line.id) }
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
        LTFUError(.internal, code: "notification-file-failed", "cannot \(call) \(path): \(String(cString: strerror(errno)))")
    }
}

extension FileManager {
    func createDirectoryIfMissing(_ path: String) throws(LTFUError) {
        guard !fileExists(atPath: path) else { return }
        do {
            try createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LTFUError(.internal, code: "notification-file-failed", "cannot create \(path): \(error.localizedDescription)")
        }
    }
}
