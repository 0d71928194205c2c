import Foundation
import GRDB
import LTFUCore
import Synchronization

/// The database: the one owner of the `DatabaseWriter` (STYLE.md habit 8, after GRDB's
/// `AppDatabase`). It migrates on open and offers methods named for domain actions; every
/// write that belongs together, audit row included, is one transaction.
public struct FollowUpStore: Sendable {
    let writer: any DatabaseWriter
    /// Where this copy reads: the writer's readers, or one unchanging snapshot (``snapshot()``).
    private var reader: any DatabaseReader
    /// Keys the audit chain; `nil` writes plain SHA-256 rows (a database that never had a key).
    let auditKey: AuditKey?
    /// Counts the write transactions (``generation``).
    private let writes = WriteCounter()
    /// Issue #23: every write passes through it; shared by every copy of this store.
    public let gate = WriteGate()
    /// How long a write of this copy waits for the writer before it is refused as `busy`
    /// (``waiting(upTo:)``); `nil` waits as long as it takes (the daemon's own services).
    public private(set) var writeWait: Duration? = FollowUpStore.changeWait
    /// A copy made by ``snapshot()``, which only reads.
    private var isSnapshot = false

    /// A change a person asked for waits this long behind another write, then gets `busy`
    /// (HTTP 503, exit 75): long enough to outlast any ordinary write and a scheduling
    /// batch, short enough to answer well inside ltfuctl's 30 s (README, Busy).
    public static let changeWait: Duration = .seconds(5)
    /// How long an import waits at the door for the daemon's own work (a scheduler batch, the
    /// calendar feed) before it is refused as busy: an import is a long job its client gives 30
    /// minutes, and a loaded server's batch can take longer than a person's 5 seconds.
    public static let importWait: Duration = .seconds(600)

    /// The same store, whose writes wait at most `wait` (`nil`: for ever) for the writer.
    public func waiting(upTo wait: Duration?) -> FollowUpStore {
        var copy = self
        copy.writeWait = wait
        return copy
    }

    /// Wraps an open writer (an in-memory queue in unit tests), migrates it, and with a key
    /// starts the keyed audit chain if it has not begun (`actor` is who the marker names).
    /// - Parameter adoptUnkeyedAudit: the operator starts the keyed chain on a trail written
    ///   without a key (`ltfud --adopt-audit-key`).
    public init(_ writer: any DatabaseWriter, auditKey: AuditKey? = nil, adoptUnkeyedAudit: Bool = false, actor: Actor = .daemon,
                now: Date = Date()) throws(LTFUError)
    {
        self.writer = writer
        self.reader = writer
        self.auditKey = auditKey
        let start: AuditTrail.KeyedStart
        do {
            // On the writer, the connection that migrates: a reader that looked at the schema
            // before the migration would keep describing the old one.
            let applied = try writer.writeWithoutTransaction { db in try StoreMigrations.migrator.appliedIdentifiers(db) }
            let keyedSchema = applied.contains(StoreMigrations.keyedAudit)
            try StoreMigrations.migrator.migrate(writer)
            start = adoptUnkeyedAudit ? .adopt : keyedSchema ? .newTrailOnly : .upgrade
            // Issue #15: a migration that rewrote tables (v12 rewrites every visit) is checked
            // as the file was before it: a damaged result is refused, never used.
            if !applied.isEmpty, applied.count < StoreMigrations.migrator.migrations.count {
                let check = try writer.writeWithoutTransaction { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
                guard check == ["ok"] else {
                    throw LTFUError(.internal, code: "database-damaged",
                                    "PRAGMA quick_check failed after the migration: {check}. Restore the database from a backup",
                                    ["check": check.prefix(5).joined(separator: "; ")])
                }
            }
        } catch let error as LTFUError {
            throw error
        } catch {
            throw LTFUError(.internal, code: "database-migration-failed", "cannot migrate the database: {reason}", ["reason": "\(error)"])
        }
        try write { db in try AuditTrail.prepare(db, key: auditKey, start: start, actor: actor, at: now) }
    }

    /// Opens (creating if needed) the database file with the durability SPEC §7 asks for: WAL,
    /// `synchronous=FULL` so an acknowledged write survives power loss and `kill -9`, foreign
    /// keys on. Runs `PRAGMA quick_check` first and refuses a damaged file, never repairing it
    /// silently.
    public static func open(path: String, auditKey: AuditKey? = nil, adoptUnkeyedAudit: Bool = false,
                            now: Date = Date()) throws(LTFUError) -> FollowUpStore
    {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets the writer to synchronous=NORMAL when it turns WAL on, after
            // prepareDatabase ran: set FULL again on the one connection that writes.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // The writer's page cache holds a large transaction (an import) without spilling
            // it into the WAL midway: 32 MiB instead of SQLite's 2 MiB. Readers keep the default.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -\(writerCacheKiB)") }
        } catch {
            throw LTFUError(.internal, code: "database-unavailable", "cannot open the database {path}: {reason}", ["path": path, "reason": "\(error)"])
        }
        let check: [String]
        do {
            // Issue #15: a new database gives the pages it frees back to the disk, a little
            // every day (``releaseFreePages()``), instead of keeping them for ever: every visit
            // done leaves the indexes of open visits, and an import or a first year of a large
            // site frees tens of MB. It can only be chosen before the first table (VACUUM
            // applies it); a database from before keeps its file size (README, Upgrade).
            try pool.writeWithoutTransaction { db in
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0 {
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                    try db.execute(sql: "VACUUM")
                }
            }
            // On the writer: no reader connection may exist before the migrations, or it would
            // prepare its first statements against the schema it saw then.
            check = try pool.writeWithoutTransaction { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        } catch {
            throw LTFUError(.internal, code: "database-damaged", "the database {path} cannot be checked: {reason}", ["path": path, "reason": "\(error)"])
        }
        guard check == ["ok"] else {
            throw LTFUError(.internal, code: "database-damaged",
                            "PRAGMA quick_check failed on {path}: {check}. Restore it from a backup; ltfud does not repair it",
                            ["path": path, "check": check.prefix(5).joined(separator: "; ")])
        }
        return try FollowUpStore(pool, auditKey: auditKey, adoptUnkeyedAudit: adoptUnkeyedAudit, now: now)
    }

    /// The writer connection's page cache, in KiB.
    public static let writerCacheKiB = 32 * 1024

    /// Rises after every write transaction that changed a row, and never otherwise: an
    /// answer read while it held one value stays true until it rises (the daemon's `due`
    /// cache). It rises as the write commits, before the write returns, so whoever hears of a write reads it. A pass
    /// of the scheduler that finds nothing to do leaves it, so the cache lasts between writes.
    public var generation: UInt64 { writes.value.load(ordering: .acquiring) }

    final class WriteCounter: Sendable {
        let value = Atomic<UInt64>(0)
        func rise() { value.add(1, ordering: .releasing) }
    }

    /// Runs a write transaction; domain errors pass through, database errors become internal errors.
    func write<T>(_ body: (Database) throws -> T) throws(LTFUError) -> T {
        try writeWithoutCounting { db in try counting(db, body) }
    }

    /// The whole import has its own error messages; it counts as a write too.
    func writeAll<T>(as holder: WriteGate.Holder, _ body: (Database) throws -> T) throws -> T {
        try refuseWritesToASnapshot()
        return try gate.pass(as: holder, waitingUpTo: writeWait) {
            try writer.write { db in try counting(db, body) }
        }
    }

    /// Runs `body`, then raises the generation if it changed a row (SQLite's count includes
    /// rows changed by triggers). A body that throws is rolled back: nothing changed.
    private func counting<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        let before = db.totalChangesCount
        let result = try body(db)
        // On the commit, not before it: a reader that read a raised value before the commit
        // would see the old rows and keep them as the answer to it.
        if db.totalChangesCount != before { db.afterNextTransaction(onCommit: { [writes] _ in writes.rise() }) }
        return result
    }

    private func writeWithoutCounting<T>(_ body: (Database) throws -> T) throws(LTFUError) -> T {
        try refuseWritesToASnapshot()
        do {
            return try gate.pass(as: .change(), waitingUpTo: writeWait) { try writer.write(body) }
        } catch let error as LTFUError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw LTFUError(.storageFull, code: "disk-full",
                            "the disk holding the database is full ({path}): nothing was changed; free space there and try again, ltfud goes on without a restart",
                            ["path": path])
        } catch {
            throw LTFUError(.internal, code: "database-error", "the database refused the change: {reason}", ["reason": "\(error)"])
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LTFUError) -> T {
        do {
            return try reader.read(body)
        } catch let error as LTFUError {
            throw error
        } catch {
            throw LTFUError(.internal, code: "database-error", "cannot read the database: {reason}", ["reason": "\(error)"])
        }
    }

    private func refuseWritesToASnapshot() throws(LTFUError) {
        guard !isSnapshot else { throw LTFUError(.internal, code: "internal-error", verbatim: "a write through a snapshot of the store") }
    }

    /// The same store, whose every read sees the database as it is now, whatever is written
    /// after (the site report: one answer made of many reads never mixes before and after a
    /// write). Writes through it are refused. On a database in memory (unit tests) it reads
    /// the live database, which no one else writes there.
    public func snapshot() throws(LTFUError) -> FollowUpStore {
        var copy = self
        do {
            if let pool = writer as? DatabasePool { copy.reader = try pool.makeSnapshot() }
        } catch {
            throw LTFUError(.internal, code: "database-error", "cannot read the database: {reason}", ["reason": "\(error)"])
        }
        copy.isSnapshot = true
        return copy
    }

    /// The path of the database file, or `nil` in memory.
    public var path: String { writer.path }
}

extension FollowUpStore {
    /// Gives the database's free pages back to the disk (`PRAGMA incremental_vacuum`, for a
    /// database created with incremental auto-vacuum; nothing on one from before). Returns
    /// how many bytes the file shrank by.
    @discardableResult
    public func releaseFreePages() throws(LTFUError) -> Int {
        try write { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 else { return 0 }
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            guard free > 0 else { return 0 }
            // A PRAGMA whose rows must be stepped through for all the pages to go.
            _ = try Row.fetchAll(db, sql: "PRAGMA incremental_vacuum")
            return (free - (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0)) * pageSize
        }
    }

    /// SQLite's online backup of the whole database into a new file at `path`, consistent
    /// while writes go on (SPEC §7).
    public func backup(to path: String) throws(LTFUError) {
        do {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.close()
        } catch {
            throw LTFUError(.internal, code: "backup-failed", "cannot back up the database to {path}: {reason}", ["path": path, "reason": "\(error)"])
        }
    }
}
