import GRDB

/// The schema, as GRDB migrations. Constraints live here (STYLE.md habit 8): what the
/// database refuses cannot be written by a bug elsewhere.
enum StoreMigrations {
    /// The migration that brought keyed audit rows (AuditTrail.KeyedStart).
    static let keyedAudit = "v9 keyed audit rows"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 subjects, series, visits, audit") { db in
            try db.execute(sql: """
                CREATE TABLE subject (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
                    productId TEXT NOT NULL,
                    -- The product as it was at enrollment (JSON): SPEC §3, a subject keeps its tier.
                    product TEXT NOT NULL,
                    tier TEXT NOT NULL CHECK (tier IN ('non-modified', 'non-integrating', 'integrating')),
                    tierRationale TEXT NOT NULL,
                    tierOverride BOOLEAN NOT NULL,
                    -- SPEC §5: never leaves the database.
                    birthDate TEXT CHECK (birthDate IS NULL OR birthDate GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
                    endReason TEXT CHECK (endReason IN ('death', 'withdrawn', 'lost-to-follow-up', 'transferred')),
                    endedOn TEXT,
                    enrolledAt TEXT NOT NULL,
                    CHECK ((status = 'active') = (endReason IS NULL AND endedOn IS NULL))
                );
                CREATE INDEX subject_by_status_tier ON subject(status, tier);

                CREATE TABLE infusion (
                    id INTEGER PRIMARY KEY,
                    subjectId INTEGER NOT NULL REFERENCES subject(id),
                    date TEXT NOT NULL,
                    UNIQUE (subjectId, date)
                );

                -- One calendar per day 0. SPEC §5: another infusion starts a new series; history stays.
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY,
                    subjectId INTEGER NOT NULL REFERENCES subject(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    dayZero TEXT NOT NULL,
                    followUpEnds TEXT NOT NULL,
                    pediatric BOOLEAN NOT NULL,
                    ageKnown BOOLEAN NOT NULL,
                    templateId TEXT NOT NULL,
                    UNIQUE (subjectId, number)
                );

                CREATE TABLE visit (
                    id INTEGER PRIMARY KEY,
                    subjectId INTEGER NOT NULL REFERENCES subject(id),
                    seriesId INTEGER NOT NULL REFERENCES series(id),
                    code TEXT NOT NULL,
                    month INTEGER NOT NULL CHECK (month >= 1),
                    target TEXT NOT NULL,
                    windowOpen TEXT NOT NULL,
                    windowClose TEXT NOT NULL,
                    mode TEXT NOT NULL CHECK (mode IN ('in-person', 'remote')),
                    assessments TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'missed', 'cancelled')),
                    doneOn TEXT,
                    deviation BOOLEAN NOT NULL DEFAULT 0,
                    missReason TEXT,
                    note TEXT,
                    cancelReason TEXT CHECK (cancelReason IN ('reinfusion', 'subject-ended')),
                    resolvedAt TEXT,
                    UNIQUE (seriesId, code),
                    CHECK (windowOpen <= target AND target <= windowClose),
                    CHECK ((state = 'done') = (doneOn IS NOT NULL)),
                    CHECK ((state = 'missed') = (missReason IS NOT NULL)),
                    CHECK ((state = 'cancelled') = (cancelReason IS NOT NULL))
                );
                CREATE INDEX visit_by_subject ON visit(subjectId, seriesId);
                -- `due` and `overdue` read only open visits, through these partial indexes.
                CREATE INDEX visit_open_by_window_open ON visit(windowOpen) WHERE state = 'open';
                CREATE INDEX visit_open_by_window_close ON visit(windowClose) WHERE state = 'open';

                -- SPEC §5: every change, with who, when and why; each row hashes the previous one.
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    uid INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    change TEXT NOT NULL,
                    previousHash TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE
                );
                CREATE INDEX audit_by_subject ON audit(subject);
                CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

                -- SPEC §5: nothing is ever deleted.
                CREATE TRIGGER subject_is_never_deleted BEFORE DELETE ON subject
                    BEGIN SELECT RAISE(ABORT, 'subjects are never deleted'); END;
                CREATE TRIGGER infusion_is_never_deleted BEFORE DELETE ON infusion
                    BEGIN SELECT RAISE(ABORT, 'infusions are never deleted'); END;
                CREATE TRIGGER series_is_never_deleted BEFORE DELETE ON series
                    BEGIN SELECT RAISE(ABORT, 'visit series are never deleted'); END;
                CREATE TRIGGER visit_is_never_deleted BEFORE DELETE ON visit
                    BEGIN SELECT RAISE(ABORT, 'visits are never deleted'); END;
                """)
        }
        migrator.registerMigration("v2 notifications") { db in
            try db.execute(sql: """
                -- The scheduler's bookmark per open visit (SPEC §6): the next date something may
                -- fire, and the last date already handled. '0000-00-00' = not yet planned.
                ALTER TABLE visit ADD COLUMN nextNotifyOn TEXT NOT NULL DEFAULT '0000-00-00';
                ALTER TABLE visit ADD COLUMN notifiedThrough TEXT;
                CREATE INDEX visit_open_by_next_notify ON visit(nextNotifyOn) WHERE state = 'open';

                -- Every notification, recorded before it is emitted; the id is stable, so a
                -- notification is never created twice.
                CREATE TABLE notification (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('upcoming', 'window-open', 'closing', 'overdue', 'escalation', 'subject-ended')),
                    subjectId INTEGER NOT NULL REFERENCES subject(id),
                    visitId INTEGER REFERENCES visit(id),
                    date TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'emitted', 'superseded')),
                    -- The local day it fires, fixed when it is recorded: it names the file.
                    fireOn TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    emittedAt TEXT,
                    CHECK ((kind = 'subject-ended') = (visitId IS NULL))
                );
                CREATE INDEX notification_pending ON notification(fireOn) WHERE state = 'pending';
                CREATE INDEX notification_by_fire_day ON notification(fireOn, state);
                CREATE TRIGGER notification_is_never_deleted BEFORE DELETE ON notification
                    BEGIN SELECT RAISE(ABORT, 'notifications are never deleted'); END;
                """)
        }
        migrator.registerMigration("v3 due index covers the window") { db in
            // `due` and the due count filter on both ends of the window: with windowClose in
            // the index they never touch the visit rows they do not return.
            try db.execute(sql: """
                DROP INDEX visit_open_by_window_open;
                CREATE INDEX visit_open_by_window_open ON visit(windowOpen, windowClose) WHERE state = 'open';
                """)
        }
        migrator.registerMigration("v4 mail outbox") { db in
            try db.execute(sql: """
                -- SPEC §6: mail goes through sendmail; a message is queued in the same
                -- transaction that marks the notifications it carries, retried until sendmail
                -- takes it, and never dropped.
                CREATE TABLE mail (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('each', 'digest')),
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'sent')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    createdAt TEXT NOT NULL,
                    nextAttemptAt TEXT NOT NULL,
                    lastError TEXT,
                    lastAlertAt TEXT,
                    sentAt TEXT,
                    CHECK ((state = 'sent') = (sentAt IS NOT NULL))
                );
                CREATE INDEX mail_queued ON mail(nextAttemptAt) WHERE state = 'queued';
                CREATE TRIGGER mail_is_never_deleted BEFORE DELETE ON mail
                    BEGIN SELECT RAISE(ABORT, 'mail is never deleted'); END;
                ALTER TABLE notification ADD COLUMN mailId TEXT REFERENCES mail(id);
                CREATE INDEX notification_unmailed ON notification(fireOn) WHERE state = 'emitted' AND mailId IS NULL;
                """)
        }
        migrator.registerMigration("v5 notifications by visit") { db in
            // Replanning after a `[notify]` reload asks whether a visit already had a kind
            // that fires once per visit.
            try db.execute(sql: "CREATE INDEX notification_by_visit ON notification(visitId, kind) WHERE visitId IS NOT NULL")
        }
        migrator.registerMigration("v6 due and overdue indexes carry the listed columns") { db in
            // `due` and `overdue` list tens of thousands of open visits at a large site: with
            // the subject id, code and target in the index they never read the visit rows
            // (the benchmark's `due` went from about 60 to 35 ms of SQL).
            try db.execute(sql: """
                DROP INDEX visit_open_by_window_open;
                CREATE INDEX visit_open_by_window_open ON visit(windowOpen, windowClose, subjectId, code, target) WHERE state = 'open';
                DROP INDEX visit_open_by_window_close;
                CREATE INDEX visit_open_by_window_close ON visit(windowClose, subjectId, code, target, windowOpen) WHERE state = 'open';
                """)
        }
        migrator.registerMigration("v7 findings, safety events and signals", migrate: FindingsMigration.migrate)
        migrator.registerMigration("v8 contacts and consents", migrate: ContactsMigration.migrate)
        migrator.registerMigration(keyedAudit) { db in
            // Issue #13: rows hashed with HMAC-SHA256 under a key the database does not hold.
            // Existing rows stay plain SHA-256 (0); the keyed chain starts at a marked row
            // (AuditTrail.prepare).
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1))")
        }
        migrator.registerMigration("v10 calendar identity of visits", migrate: CalendarMigration.migrate)
        migrator.registerMigration("v11 due reads a bounded range of its index") { db in
            // Issue #15: `due` scanned every open visit whose window opened before today. No
            // window is longer than the longest open one, which this index answers at once, so
            // the scan starts that many days before today. The purpose (unscheduled visits,
            // v7) joins the covering columns, so `due` and `overdue` never read a visit row.
            try db.execute(sql: """
                CREATE INDEX visit_open_by_window_length ON visit(julianday(windowClose) - julianday(windowOpen)) WHERE state = 'open';
                DROP INDEX visit_open_by_window_open;
                CREATE INDEX visit_open_by_window_open ON visit(windowOpen, windowClose, subjectId, code, target, purpose) WHERE state = 'open';
                DROP INDEX visit_open_by_window_close;
                CREATE INDEX visit_open_by_window_close ON visit(windowClose, subjectId, code, target, windowOpen, purpose) WHERE state = 'open';
                """)
        }
        migrator.registerMigration("v12 compact storage", migrate: CompactStorageMigration.migrate)
        return migrator
    }
}
