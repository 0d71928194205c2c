import GRDB

/// Schema v7 (SPEC §10): results and safety events, unscheduled visits, and notifications
/// that carry signals and are acknowledged. SQLite cannot change a CHECK constraint in place,
/// so `notification` is rebuilt with the new kinds (the documented ALTER TABLE procedure:
/// new table, copy, drop, rename, indexes and triggers again; GRDB checks foreign keys after).
enum FindingsMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            -- Unscheduled visits U<n> have a purpose; their `month` holds SDTM's VISITNUM 9000 + n.
            ALTER TABLE visit ADD COLUMN purpose TEXT
                CHECK (purpose IS NULL OR purpose IN ('rcl-confirmation', 'integration-site-analysis', 'tumor-sample', 'tissue-sample',
                    're-consent'));

            -- `due` and `overdue` list the purpose too: the indexes keep covering what they read.
            DROP INDEX visit_open_by_window_open;
            CREATE INDEX visit_open_by_window_open ON visit(windowOpen, windowClose, subjectId, code, target, purpose) WHERE state = 'open';
            DROP INDEX visit_open_by_window_close;
            CREATE INDEX visit_open_by_window_close ON visit(windowClose, subjectId, code, target, windowOpen, purpose) WHERE state = 'open';

            -- What an assessment found. A correction supersedes the current result; both stay.
            CREATE TABLE result (
                id INTEGER PRIMARY KEY,
                subjectId INTEGER NOT NULL REFERENCES subject(id),
                visitId INTEGER NOT NULL REFERENCES visit(id),
                assessment TEXT NOT NULL,
                value TEXT NOT NULL,
                date TEXT NOT NULL,
                sample TEXT,
                percent REAL CHECK (percent IS NULL OR (percent >= 0 AND percent <= 100)),
                -- SPEC §5: never leaves the database.
                note TEXT,
                recordedAt TEXT NOT NULL,
                -- The result this one corrects; that one is no longer current.
                supersedes INTEGER REFERENCES result(id),
                current BOOLEAN NOT NULL DEFAULT 1,
                CHECK (supersedes IS NULL OR supersedes < id)
            );
            CREATE UNIQUE INDEX result_current ON result(visitId, assessment) WHERE current = 1;
            CREATE INDEX result_by_subject ON result(subjectId);
            CREATE TRIGGER result_is_never_deleted BEFORE DELETE ON result
                BEGIN SELECT RAISE(ABORT, 'results are never deleted'); END;
            -- The one change allowed: a correction makes the result it supersedes no longer current.
            CREATE TRIGGER result_is_only_superseded BEFORE UPDATE ON result
                WHEN NOT (OLD.current = 1 AND NEW.current = 0) OR NEW.value IS NOT OLD.value OR NEW.date IS NOT OLD.date
                  OR NEW.sample IS NOT OLD.sample OR NEW.percent IS NOT OLD.percent OR NEW.note IS NOT OLD.note
                  OR NEW.supersedes IS NOT OLD.supersedes OR NEW.visitId IS NOT OLD.visitId OR NEW.assessment IS NOT OLD.assessment
                BEGIN SELECT RAISE(ABORT, 'a result is corrected by a new result, never edited'); END;

            -- SPEC §10: delayed adverse events (FDA 2020 LTFU guidance), reported at any time.
            CREATE TABLE safetyEvent (
                id INTEGER PRIMARY KEY,
                subjectId INTEGER NOT NULL REFERENCES subject(id),
                kind TEXT NOT NULL CHECK (kind IN ('new-malignancy', 'hematologic-disorder', 'autoimmune-disorder',
                    'neurologic-disorder', 'serious-infection', 'other-sae', 'death')),
                date TEXT NOT NULL,
                related TEXT NOT NULL CHECK (related IN ('yes', 'no', 'unknown')),
                note TEXT,
                -- The result that reported it (`malignancy new`), if any.
                resultId INTEGER REFERENCES result(id),
                recordedAt TEXT NOT NULL
            );
            CREATE INDEX safetyEvent_by_subject ON safetyEvent(subjectId);
            CREATE INDEX safetyEvent_by_kind ON safetyEvent(kind, related);
            CREATE TRIGGER safetyEvent_is_never_deleted BEFORE DELETE ON safetyEvent
                BEGIN SELECT RAISE(ABORT, 'safety events are never deleted'); END;
            CREATE TRIGGER safetyEvent_is_never_edited BEFORE UPDATE ON safetyEvent
                BEGIN SELECT RAISE(ABORT, 'safety events are never edited'); END;

            CREATE TABLE notification_v7 (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('upcoming', 'window-open', 'closing', 'overdue', 'escalation',
                    'subject-ended', 'safety-signal', 'safety-escalation', 'stopping-rule', 'schedule-changed', 'retention-risk')),
                subjectId INTEGER NOT NULL REFERENCES subject(id),
                visitId INTEGER REFERENCES visit(id),
                date TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'emitted', 'superseded')),
                fireOn TEXT NOT NULL,
                createdAt TEXT NOT NULL,
                emittedAt TEXT,
                mailId TEXT REFERENCES mail(id),
                -- SPEC §10: what a safety notification is about. Codes and numbers, never a note.
                signal TEXT CHECK (signal IS NULL OR signal IN ('rcl', 'rcl-confirmed', 'persistence', 'malignancy', 'death', 'event')),
                assessment TEXT,
                value TEXT,
                eventKind TEXT,
                related TEXT,
                product TEXT,
                rule TEXT CHECK (rule IS NULL OR rule IN ('confirmed-rcl', 'related-malignancy', 'related-deaths')),
                count INTEGER,
                threshold INTEGER,
                detail TEXT,
                -- An escalation repeats this signal (or stopping rule).
                signalId TEXT REFERENCES notification_v7(id),
                acknowledgedAt TEXT,
                acknowledgedBy TEXT,
                CHECK (kind NOT IN ('upcoming', 'window-open', 'closing', 'overdue', 'escalation') OR visitId IS NOT NULL),
                CHECK (kind <> 'safety-signal' OR signal IS NOT NULL),
                CHECK (kind <> 'stopping-rule' OR (rule IS NOT NULL AND count IS NOT NULL AND threshold IS NOT NULL AND product IS NOT NULL)),
                CHECK ((kind = 'safety-escalation') = (signalId IS NOT NULL)),
                CHECK (acknowledgedAt IS NULL OR (kind IN ('safety-signal', 'stopping-rule') AND acknowledgedBy IS NOT NULL))
            );
            INSERT INTO notification_v7 (id, kind, subjectId, visitId, date, state, fireOn, createdAt, emittedAt, mailId)
                SELECT id, kind, subjectId, visitId, date, state, fireOn, createdAt, emittedAt, mailId FROM notification;
            DROP TABLE notification;
            ALTER TABLE notification_v7 RENAME TO notification;
            CREATE INDEX notification_pending ON notification(fireOn) WHERE state = 'pending';
            CREATE INDEX notification_by_fire_day ON notification(fireOn, state);
            CREATE INDEX notification_unmailed ON notification(fireOn) WHERE state = 'emitted' AND mailId IS NULL;
            CREATE INDEX notification_by_visit ON notification(visitId, kind) WHERE visitId IS NOT NULL;
            -- Signals and stopping rules, and those a person has not acknowledged yet (escalated
            -- daily). Queries repeat these WHERE terms word for word, so SQLite uses the indexes.
            CREATE INDEX notification_open_signals ON notification(fireOn)
                WHERE kind IN ('safety-signal', 'stopping-rule') AND acknowledgedAt IS NULL;
            CREATE INDEX notification_signals ON notification(fireOn) WHERE kind IN ('safety-signal', 'stopping-rule');
            CREATE INDEX notification_by_signal_kind ON notification(signal) WHERE signal IS NOT NULL;
            CREATE INDEX notification_by_rule ON notification(product, rule) WHERE rule IS NOT NULL;
            CREATE TRIGGER notification_is_never_deleted BEFORE DELETE ON notification
                BEGIN SELECT RAISE(ABORT, 'notifications are never deleted'); END;
            CREATE TRIGGER notification_acknowledged_once BEFORE UPDATE OF acknowledgedAt, acknowledgedBy ON notification
                WHEN OLD.acknowledgedAt IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a signal is acknowledged once'); END;
            """)
    }
}
