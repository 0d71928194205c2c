import Foundation
import GRDB
import LTFUCore
@testable import LTFUStore
import Testing

/// A database created by each earlier schema version, with data in it, upgraded by opening it
/// as ltfud does: nothing is lost, and everything of the newest schema works on it (issue #16).
@Suite struct MigrationTests {
    static let versions = StoreMigrations.migrator.migrations

    /// Every schema before the newest: the database a site running that release has.
    static let earlier = Array(versions.dropLast())

    @Test(arguments: earlier)
    func databaseOfAnEarlierVersion_upgradesWithEverythingKept(version: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ltfu.sqlite").path
        let index = try #require(Self.versions.firstIndex(of: version))
        do {
            let old = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(old, upTo: version)
            try old.write { db in try Self.seed(db, hasNotifications: index >= 1, hasMail: index >= 3) }
            try old.close()
        }

        let store = try FollowUpStore.open(path: path)
        let detail = try store.subject(code: "OLD-001")
        #expect(detail.subject.tier == .integrating)
        #expect(detail.visits.map { "\($0.code) \($0.state.rawValue)" } == ["M1 done", "M3 open"])
        #expect(detail.visits.map(\.assessments) == ["survival,adverse-events", "survival,rcl-test"], "v12 letters read back as names")
        let today = try CalendarDate(parsing: "2025-06-01")
        #expect(try store.overdueVisits(today: today).map(\.code) == ["M3"])
        #expect(try store.dueVisits(today: try CalendarDate(parsing: "2025-04-01"), within: 0).map(\.code) == ["M3"])
        if index >= 3 { #expect(try store.mailQueue().map(\.id) == ["digest-S01-2025-04-25"]) }
        if index >= 1 {
            let pending = try store.pendingNotifications()
            #expect(pending.map { "\($0.kind.rawValue) \($0.visit ?? "-") \($0.state.rawValue)" } == ["overdue M3 pending"])
        }
        // The newest schema's actions work on the upgraded file.
        let recorded = try store.recordResult(code: "OLD-001", visit: "M1", ResultInput(assessment: .survival, value: "done", date: nil,
                                                                                          sample: nil, percent: nil, note: nil),
                                              settings: SafetySettings(), today: today, by: Actor(uid: 0, name: "root"), at: Date())
        #expect(recorded.results.map(\.value) == ["done"])
        let (check, orphans, applied) = try store.writer.read { db in
            (try String.fetchAll(db, sql: "PRAGMA quick_check"), try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        #expect(check == ["ok"])
        #expect(orphans.isEmpty)
        #expect(Set(applied) == Set(Self.versions))
        #expect(try store.verifyAuditChain().ok)
    }

    /// Schema v12 (issue #15): each distinct product snapshot and rationale is kept once and
    /// every subject points at its own; assessments are letters in the same order; visits
    /// that had a calendar UID keep it, and later ones get one from the database's prefix.
    @Test func compactStorage_keepsEverySnapshotOnce_theAssessmentsInOrder_andTheUIDs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ltfu.sqlite").path
        let snapshotA = #"{"id":"CD19-CART","v":1}"#, snapshotB = #"{"id":"CD19-CART","v":2}"#
        do {
            let old = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(old, upTo: "v11 due reads a bounded range of its index")
            try old.write { db in
                try Self.seed(db, hasNotifications: true, hasMail: true)
                try db.execute(sql: "UPDATE subject SET product = ? WHERE id = 1", arguments: [snapshotA])
                for (id, snapshot, rationale) in [(2, snapshotA, "lentiviral"), (3, snapshotB, "lentiviral"), (4, snapshotA, "override: site")] {
                    try db.execute(sql: """
                        INSERT INTO subject (id, code, productId, product, tier, tierRationale, tierOverride, status, enrolledAt)
                        VALUES (?, ?, 'CD19-CART', ?, 'integrating', ?, 0, 'active', '2025-01-10T02:00:00.000Z')
                        """, arguments: [id, "OLD-00\(id)", snapshot, rationale])
                }
                try db.execute(sql: """
                    UPDATE visit SET assessments = 'rcl-archive,survival,tissue-sample,consent,integration-site-analysis' WHERE id = 2
                    """)
            }
            try old.close()
        }
        let oldUIDs = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT uid FROM visit ORDER BY id") }
        #expect(oldUIDs.count == 2 && oldUIDs.allSatisfy { $0.count == 36 })

        let store = try FollowUpStore.open(path: path)
        let (versions, pointers, letters) = try store.writer.read { db in
            (try Row.fetchAll(db, sql: "SELECT productId, snapshot, tierRationale FROM productVersion ORDER BY id")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" },
             try Int64.fetchAll(db, sql: "SELECT productVersionId FROM subject ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT assessments FROM visit ORDER BY id"))
        }
        #expect(versions == ["CD19-CART \(snapshotA) lentiviral", "CD19-CART \(snapshotB) lentiviral", "CD19-CART \(snapshotA) override: site"])
        #expect(pointers == [1, 1, 2, 3])
        #expect(letters == ["ab", "japqn"])
        #expect(try store.subject(code: "OLD-001").visits.last?.assessments == "rcl-archive,survival,tissue-sample,consent,integration-site-analysis")

        // A visit written after the upgrade stores no UID; the feed draws one from the secret and id.
        try store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO visit (id, subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments)
                VALUES (300, 1, 1, 'M6', 6, '2025-07-10', '2025-06-26', '2025-07-24', 'in-person', 'a')
                """)
        }
        let events = try store.calendarEvents(changedSince: .distantPast, subject: "OLD-001")
        let uids = Dictionary(uniqueKeysWithValues: events.map { ($0.visit, $0.uid) })
        #expect(uids["M3"] == oldUIDs[1], "a UID given before v12 is kept")
        let derived = try #require(uids["M6"])
        #expect(derived != uids["M1"] && derived != uids["M3"])
        // Drawn from the visit's name, not its row id (ids are given again after a restore).
        let named = try store.writer.read { db in try CalendarUID(db) }.uid(stored: nil, subject: "OLD-001", series: 1, visit: "M6")
        #expect(derived == named)
        #expect(named != (try store.writer.read { db in try CalendarUID(db) }.uid(stored: nil, subject: "OLD-002", series: 1, visit: "M6")))
        #expect(try store.calendarEvents(changedSince: .distantPast, subject: "OLD-001").first { $0.visit == "M6" }?.uid == derived,
                "the same UID on every read")
        #expect(derived.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(derived)")
        #expect(try store.writer.read { db in try String.fetchOne(db, sql: "SELECT uid FROM visit WHERE id = 300") } == nil)
        // The longest window, kept in one row: M3's 28 days, then raised by a longer one.
        func longest() throws -> Int? { try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT longestDays FROM visitWindowBound") } }
        #expect(try longest() == 28)
        try store.writer.write { db in try db.execute(sql: "UPDATE visit SET windowOpen = '2025-01-01' WHERE id = 300") }
        #expect(try longest() == 204)
        #expect(try store.dueVisits(today: try CalendarDate(parsing: "2025-01-02"), within: 0).map(\.code) == ["M6"])
        #expect(try store.writer.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") } == ["ok"])
        #expect(throws: (any Error).self, "a snapshot is never changed") {
            try store.writer.write { db in try db.execute(sql: "UPDATE productVersion SET tierRationale = 'x'") }
        }
    }

    /// One subject, its first visit done and the second overdue, in the columns every version has.
    static func seed(_ db: Database, hasNotifications: Bool, hasMail: Bool) throws {
        try db.execute(sql: """
            INSERT INTO subject (id, code, productId, product, tier, tierRationale, tierOverride, status, enrolledAt)
                VALUES (1, 'OLD-001', 'CD19-CART', '{}', 'integrating', 'lentiviral', 0, 'active', '2025-01-10T02:00:00.000Z');
            INSERT INTO infusion (subjectId, date) VALUES (1, '2025-01-10');
            INSERT INTO series (id, subjectId, number, dayZero, followUpEnds, pediatric, ageKnown, templateId)
                VALUES (1, 1, 1, '2025-01-10', '2040-01-10', 0, 0, 'standard-integrating');
            INSERT INTO visit (id, subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments, state, doneOn)
                VALUES (1, 1, 1, 'M1', 1, '2025-02-10', '2025-02-03', '2025-02-17', 'in-person', 'survival,adverse-events', 'done', '2025-02-10');
            INSERT INTO visit (id, subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments)
                VALUES (2, 1, 1, 'M3', 3, '2025-04-10', '2025-03-27', '2025-04-24', 'in-person', 'survival,rcl-test');
            """)
        if hasNotifications {
            try db.execute(sql: """
                INSERT INTO notification (id, kind, subjectId, visitId, date, state, fireOn, createdAt)
                    VALUES ('0123456789abcdef0123456789abcdef', 'overdue', 1, 2, '2025-04-25', 'pending', '2025-04-25', '2025-04-25T00:00:00.000Z');
                """)
        }
        if hasMail {
            try db.execute(sql: """
                INSERT INTO mail (id, kind, subject, body, state, createdAt, nextAttemptAt)
                    VALUES ('digest-S01-2025-04-25', 'digest', 's', 'b', 'queued', '2025-04-25T00:00:00.000Z', '2025-04-25T00:00:00.000Z');
                """)
        }
    }
}

/// Issue #16: the durability SPEC §7 asks for, read back from the store's own connections
/// rather than from a fresh queue (where GRDB would enable foreign keys anyway).
@Suite struct StorePragmaTests {
    @Test func theStoresOwnConnections_areWALSynchronousFullWithForeignKeys() throws {
        let fixture = try FollowUpStoreTests()
        let store = fixture.store
        for (name, expected) in [("journal_mode", "wal"), ("synchronous", "2"), ("foreign_keys", "1")] {
            let written = try store.writer.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
            let read = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
            #expect(written == expected, "writer: \(name)")
            #expect(read == expected, "reader: \(name)")
        }
        #expect(throws: (any Error).self, "a visit of no subject is refused by the store's own connection") {
            try store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO visit (subjectId, seriesId, code, month, target, windowOpen, windowClose, mode, assessments)
                    VALUES (999, 999, 'M1', 1, '2025-02-10', '2025-02-03', '2025-02-17', 'in-person', 'survival')
                    """)
            }
        }
    }
}

/// Issue #13: a full disk refuses the write with its own error (507, exit 74), changes
/// nothing, and reads go on. SQLite's max_page_count makes the file "full" without a tmpfs.
@Suite struct DiskFullTests {
    @Test func aFullDatabase_refusesTheWriteClearly_andReadsGoOn() throws {
        let fixture = try FollowUpStoreTests()
        try fixture.enroll("F-1")
        let pages = try fixture.store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try fixture.store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }
        do {
            for index in 0..<50 { try fixture.enroll("F-\(index + 2)") }
            Issue.record("the writes never filled the database")
        } catch let error as LTFUError {
            #expect(error.kind == .storageFull)
            #expect(error.code == "disk-full")
            #expect(error.message.contains("nothing was changed"))
        }
        #expect(try fixture.store.subject(code: "F-1").subject.code == "F-1", "reads go on")
        #expect(try fixture.store.verifyAuditChain().ok, "nothing half-written")
        try fixture.store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        try fixture.enroll("F-after")
        #expect(try fixture.store.subject(code: "F-after").subject.code == "F-after", "writes resume without a restart")
    }
}

/// Issue #15: the daemon keeps `due` answers while the store's generation holds, so every
/// write that changes a row must raise it, and a read, a refused write or a pass with
/// nothing to do must not (or the kept answer would last a minute at most).
@Suite struct StoreGenerationTests {
    @Test func everyWriteRaisesTheGeneration_readsDoNot() throws {
        let fixture = try FollowUpStoreTests()
        let store = fixture.store
        let start = store.generation
        try fixture.enroll("G-1")
        let afterEnroll = store.generation
        #expect(afterEnroll > start)
        _ = try store.subject(code: "G-1")
        _ = try store.overdueVisits(today: FollowUpStoreTests.d("2026-01-01"))
        #expect(store.generation == afterEnroll, "reads leave it")
        #expect(throws: LTFUError.self) { try fixture.enroll("G-1") }
        #expect(store.generation == afterEnroll, "a refused write changed nothing")
        _ = try store.replanNotifications()
        let afterReplan = store.generation
        #expect(afterReplan > afterEnroll, "a write that changed rows raises it")
        // A scheduling pass with nothing to do (the daemon runs one at least every minute).
        _ = try store.scheduleNotifications(through: FollowUpStoreTests.d("2024-01-01"), fireOn: FollowUpStoreTests.d("2024-01-01"),
                                            planner: NotificationPlanner(settings: NotifySettings()), at: Date())
        let afterPass = store.generation
        _ = try store.scheduleNotifications(through: FollowUpStoreTests.d("2024-01-01"), fireOn: FollowUpStoreTests.d("2024-01-01"),
                                            planner: NotificationPlanner(settings: NotifySettings()), at: Date())
        #expect(store.generation == afterPass, "a pass that changes nothing leaves it")
        let batch = ImportBatch(subjectsFile: ImportSource(name: "s.csv", sha256: ""), visitsFile: nil, subjects: [], visits: [:],
                                today: FollowUpStoreTests.d("2026-01-01"), consentRule: ConsentRule(), safety: SafetySettings())
        _ = try store.importBatch(batch, dryRun: true, by: Actor(uid: 0, name: "root"), at: Date())
        #expect(store.generation == afterPass, "a dry run changes nothing")
        try fixture.enroll("G-2")
        #expect(store.generation > afterPass)
    }
}

/// Issue #15: a new database file is created with incremental auto-vacuum, and the pages it
/// frees go back to the disk when the daemon asks (once a day).
@Suite struct FreePagesTests {
    @Test func aNewFile_givesFreedPagesBackToTheDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-free-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ltfu.sqlite").path
        let store = try FollowUpStore.open(path: path)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") } == 2)
        try store.writer.write { db in
            try db.execute(sql: "CREATE TABLE filler (x BLOB)")
            for _ in 0..<200 { try db.execute(sql: "INSERT INTO filler VALUES (randomblob(8000))") }
        }
        try store.writer.write { db in try db.execute(sql: "DROP TABLE filler") }
        let free = try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") } ?? 0
        #expect(free > 300)
        let released = try store.releaseFreePages()
        #expect(released >= free * 4096)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") } == 0)
        #expect(try store.writer.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") } == ["ok"])
        #expect(try store.releaseFreePages() == 0, "nothing more to give")
    }

    @Test func aFileFromBefore_keepsItsPages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-free-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ltfu.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(old, upTo: "v11 due reads a bounded range of its index")
            try old.close()
        }
        let store = try FollowUpStore.open(path: path)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") } == 0)
        #expect(try store.releaseFreePages() == 0)
    }
}
