import Foundation
import GRDB
import LTFUConfig
import LTFUCore
@testable import LTFUDaemon
import LTFUStore
import LTFUWire
import Logging
import Synchronization
import Testing

/// Issue #15: a batch's lines are fsync'd once per day file, not once per line. Nothing may be
/// marked emitted before its line is durable, and a failed fsync must neither lose a line nor
/// write it twice (SPEC §6: emitted once).
@Suite final class NotificationEmitterTests: Sendable {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-emitter-\(UUID().uuidString)")
    let store: FollowUpStore
    /// Whether `fsync` fails, as on a failing disk.
    let failing = Mutex(false)
    let day = CalendarDate(year: 2025, month: 3, day: 1) ?? CalendarDate(dayNumber: 0)

    init() throws {
        store = try FollowUpStore(DatabaseQueue())
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    func files() -> NotificationFiles {
        NotificationFiles(directory: folder.path, fsync: { [self] fd in
            if failing.withLock({ $0 }) {
                errno = EIO
                return -1
            }
            return fsync(fd)
        })
    }

    func lineIDs() throws -> [String] {
        let path = folder.appendingPathComponent("\(day).jsonl").path
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try WireJSON.decoder().decode(NotificationLine.self, from: Data(line.utf8)).id
        }
    }

    /// Subjects whose M1 reminders are due on 2025-03-01, recorded as pending.
    func recordDueNotifications() throws -> [String] {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = SiteConfiguration(file: repository.appendingPathComponent("etc/ltfu/ltfud.toml").path)
        let catalog = try ProductCatalog.load(productsDirectory: repository.appendingPathComponent("etc/ltfu/products.d").path,
                                              schedulesDirectory: "/nonexistent")
        let registry = SubjectRegistry(store: store, configuration: configuration, catalog: catalog,
                                       clock: { Date(timeIntervalSince1970: 1_740_795_420) })
        for (index, infused) in ["2025-02-14", "2025-02-16", "2025-02-18", "2025-02-20"].enumerated() {
            _ = try registry.enroll(EnrollRequest(code: "E-\(index)", product: "CIK-AUTO", infused: [infused], born: nil),
                                    by: Actor(uid: 0, name: "root"))
        }
        _ = try store.scheduleNotifications(through: day, fireOn: day, planner: NotificationPlanner(settings: NotifySettings()),
                                            at: Date(timeIntervalSince1970: 1_740_795_420))
        return try store.pendingNotifications().map(\.id)
    }

    func emit(with files: NotificationFiles) throws -> Int {
        try NotificationEmitter(store: store, files: files, logger: Logger(label: "test"))
            .emitPending(site: "S01", mail: nil, at: { Date(timeIntervalSince1970: 1_740_795_420) })
    }

    @Test func failedFsync_marksNothing_cutsTheLines_andTheRetryWritesEachOnce() throws {
        let pending = try recordDueNotifications()
        #expect(pending.count >= 4)
        let files = files()
        failing.withLock { $0 = true }
        #expect(try emit(with: files) == 0)
        #expect(try store.pendingNotifications().map(\.id) == pending, "nothing marked without a durable line")
        #expect(try lineIDs().isEmpty, "the batch's lines were cut from the file")
        failing.withLock { $0 = false }
        #expect(try emit(with: files) == pending.count)
        #expect(try lineIDs().sorted() == pending.sorted(), "each line once")
        #expect(try store.emittedNotifications(since: nil).map(\.id).sorted() == pending.sorted())
    }

    /// The journal already heard the lines of a batch whose fsync failed: the retry writes them
    /// to the file again, but does not send them again.
    @Test func failedFsync_theRetryDoesNotCallTheJournalAgain() throws {
        let files = files()
        let lines = (1...3).map { index in
            NotificationLine(id: "n-\(index)", kind: .upcoming, site: "S01", subject: "E-\(index)", visit: "M1", tier: .nonModified,
                             target: nil, windowOpen: nil, windowClose: nil, date: day, message: "reminder \(index)")
        }
        var journal = 0
        func write(_ batch: NotificationFiles.Batch) throws {
            for line in lines { try files.write(line, firedOn: day, into: batch) { journal += 1 } }
        }
        failing.withLock { $0 = true }
        let first = NotificationFiles.Batch()
        try write(first)
        #expect(files.sync(first).keys.contains(day))
        #expect(try lineIDs().isEmpty && !files.contains("n-1", firedOn: day))
        failing.withLock { $0 = false }
        let second = NotificationFiles.Batch()
        try write(second)
        #expect(files.sync(second).isEmpty)
        #expect(try lineIDs() == ["n-1", "n-2", "n-3"])
        #expect(journal == 3)
    }

    /// A daemon killed after writing a batch but before marking it: the next one finds the
    /// lines in the file, syncs and marks them, and writes none again.
    @Test func linesWrittenButNotMarked_areMarkedWithoutWritingThemAgain() throws {
        let pending = try recordDueNotifications()
        let before = files()
        let batch = NotificationFiles.Batch()
        for notification in try store.pendingNotifications() {
            try before.write(NotificationLine(id: notification.id, kind: notification.kind, site: "S01", subject: notification.subject,
                                              visit: notification.visit, tier: notification.tier, target: nil, windowOpen: nil,
                                              windowClose: nil, date: notification.date, message: notification.message),
                             firedOn: notification.fireOn, into: batch)
        }
        _ = batch   // never synced: the daemon died
        #expect(try emit(with: files()) == pending.count)
        #expect(try lineIDs().sorted() == pending.sorted())
    }
}
