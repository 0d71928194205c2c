import GRDB

/// Schema v10 (SPEC §12, the calendar feed): each visit's calendar identity. `uid` is a
/// random UUID given once and kept for ever, so a calendar client updates the event instead
/// of adding a second one; `sequence` rises on every change a client must show (RFC 5545
/// §3.8.7.4). Triggers keep both, so no write path can forget them. (Since schema v12 a new
/// visit stores no UID: ``CompactStorageMigration`` and ``CalendarUID``.)
enum CalendarMigration {
    /// A version 4 UUID from SQLite's own random source.
    static let newUUID = """
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
        || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2)
        || '-' || lower(hex(randomblob(6)))
        """

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE visit ADD COLUMN uid TEXT;
            ALTER TABLE visit ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
            UPDATE visit SET uid = \(newUUID);
            CREATE UNIQUE INDEX visit_by_uid ON visit(uid);
            CREATE TRIGGER visit_gets_a_uid AFTER INSERT ON visit WHEN NEW.uid IS NULL
                BEGIN UPDATE visit SET uid = \(newUUID) WHERE id = NEW.id; END;
            CREATE TRIGGER visit_change_raises_sequence
                AFTER UPDATE OF state, target, windowOpen, windowClose, doneOn, missReason, cancelReason ON visit
                WHEN NEW.state IS NOT OLD.state OR NEW.target IS NOT OLD.target OR NEW.windowOpen IS NOT OLD.windowOpen
                    OR NEW.windowClose IS NOT OLD.windowClose OR NEW.doneOn IS NOT OLD.doneOn
                BEGIN UPDATE visit SET sequence = OLD.sequence + 1 WHERE id = NEW.id; END;
            """)
    }
}
