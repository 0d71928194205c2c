import GRDB
import LTFUCore

/// Schema v12 (issue #15: under 300 MB at 100,000 subjects, nothing lost). At that size the
/// database was 641 MB; most of it was the same text again and again:
///
/// - **Product snapshots.** Each subject kept the product as it was at enrollment (SPEC §3)
///   as 400 bytes of JSON, and its tier rationale (130 bytes), though a site has a few dozen
///   product versions. Each distinct snapshot and rationale is now one `productVersion` row;
///   a subject points at it.
/// - **Assessments.** A visit's assessment names (80 bytes) become one letter each
///   (``StoredAssessments``), in the same order.
/// - **Calendar UIDs.** Each visit stored a random UUID (36 bytes) under a unique index
///   (56 MB). A visit written from now on stores none: its UUID is drawn from the database's
///   random secret and the visit's name, both kept for ever (``CalendarUID``). Visits that
///   already had a UID keep it, so calendar clients see no change.
/// - **A second index of open visits.** `overdue` reads `due`'s index (windows opened before
///   today) as fast as its own by window close (21 MB), which goes.
/// - **The longest window.** `due` starts its scan the longest open window before today
///   (v11), which an expression index over every open visit answered (9.5 MB). One row now
///   keeps the longest window any visit was given, raised by triggers: a bound as safe (no
///   open window is longer) for the few lengths the templates have.
enum CompactStorageMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            -- SPEC §3: a subject keeps the product (and so the tier) it was enrolled with.
            CREATE TABLE productVersion (
                id INTEGER PRIMARY KEY,
                productId TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                tierRationale TEXT NOT NULL,
                UNIQUE (snapshot, tierRationale)
            );
            CREATE TRIGGER productVersion_is_never_deleted BEFORE DELETE ON productVersion
                BEGIN SELECT RAISE(ABORT, 'product versions are never deleted'); END;
            CREATE TRIGGER productVersion_is_never_changed BEFORE UPDATE ON productVersion
                BEGIN SELECT RAISE(ABORT, 'product versions are never changed'); END;
            INSERT INTO productVersion (productId, snapshot, tierRationale)
                SELECT productId, product, tierRationale FROM subject GROUP BY product, tierRationale ORDER BY MIN(id);
            ALTER TABLE subject ADD COLUMN productVersionId INTEGER REFERENCES productVersion(id);
            UPDATE subject SET productVersionId = (
                SELECT id FROM productVersion WHERE snapshot = subject.product AND tierRationale = subject.tierRationale);
            ALTER TABLE subject DROP COLUMN product;
            ALTER TABLE subject DROP COLUMN tierRationale;
            -- A column added by ALTER TABLE cannot be NOT NULL without a default: triggers hold it.
            CREATE TRIGGER subject_has_a_product_version BEFORE INSERT ON subject WHEN NEW.productVersionId IS NULL
                BEGIN SELECT RAISE(ABORT, 'a subject needs its product version'); END;
            CREATE TRIGGER subject_keeps_its_product_version BEFORE UPDATE OF productVersionId ON subject
                WHEN NEW.productVersionId IS NOT OLD.productVersionId
                BEGIN SELECT RAISE(ABORT, 'a subject keeps the product version it was enrolled with'); END;

            -- One row, for ever: the secret the calendar UID of a visit without a stored one is drawn from.
            CREATE TABLE storeIdentity (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                calendarSecret TEXT NOT NULL CHECK (length(calendarSecret) = 32)
            );
            INSERT INTO storeIdentity (id, calendarSecret) VALUES (1, lower(hex(randomblob(16))));
            CREATE TRIGGER storeIdentity_is_never_changed BEFORE UPDATE ON storeIdentity
                BEGIN SELECT RAISE(ABORT, 'the store identity never changes'); END;
            CREATE TRIGGER storeIdentity_is_never_deleted BEFORE DELETE ON storeIdentity
                BEGIN SELECT RAISE(ABORT, 'the store identity is never deleted'); END;
            DROP TRIGGER visit_gets_a_uid;
            DROP INDEX visit_by_uid;
            CREATE UNIQUE INDEX visit_by_uid ON visit(uid) WHERE uid IS NOT NULL;
            DROP INDEX visit_open_by_window_close;

            CREATE TABLE visitWindowBound (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                longestDays INTEGER NOT NULL CHECK (longestDays >= 0)
            );
            INSERT INTO visitWindowBound (id, longestDays)
                VALUES (1, COALESCE((SELECT MAX(\(windowDays(""))) FROM visit), 0));
            CREATE TRIGGER visit_raises_window_bound_on_insert AFTER INSERT ON visit
                WHEN \(windowDays("NEW.")) > (SELECT longestDays FROM visitWindowBound)
                BEGIN UPDATE visitWindowBound SET longestDays = \(windowDays("NEW.")); END;
            CREATE TRIGGER visit_raises_window_bound_on_update AFTER UPDATE OF windowOpen, windowClose ON visit
                WHEN \(windowDays("NEW.")) > (SELECT longestDays FROM visitWindowBound)
                BEGIN UPDATE visitWindowBound SET longestDays = \(windowDays("NEW.")); END;
            DROP INDEX visit_open_by_window_length;
            """)
        // The names become letters through the same conversion the store reads them with.
        let letters = DatabaseFunction("ltfu_assessment_letters", argumentCount: 1, pure: true) { values in
            guard let names = String.fromDatabaseValue(values[0]) else { throw DatabaseError(message: "a visit without assessments") }
            let stored = StoredAssessments(names: names)
            guard stored.list.count == names.split(separator: ",").count else {
                throw DatabaseError(message: "unknown assessment in `\(names)`")
            }
            return stored.databaseValue
        }
        db.add(function: letters)
        defer { db.remove(function: letters) }
        // The sequence trigger watches other columns: converting stays invisible to calendar clients.
        try db.execute(sql: "UPDATE visit SET assessments = ltfu_assessment_letters(assessments)")
    }

    /// A window's length in whole days, in SQL (`prefix` `NEW.` inside a trigger).
    static func windowDays(_ prefix: String) -> String {
        "CAST(julianday(\(prefix)windowClose) - julianday(\(prefix)windowOpen) AS INTEGER)"
    }
}
