import GRDB

/// Schema v8 (SPEC §11): contact attempts and consents, and each subject's last contact kept
/// on its row, so `list` and `status` never aggregate over every visit.
enum ContactsMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            -- What was tried and when; never the contact details themselves.
            CREATE TABLE contact (
                id INTEGER PRIMARY KEY,
                subjectId INTEGER NOT NULL REFERENCES subject(id),
                date TEXT NOT NULL,
                method TEXT NOT NULL CHECK (method IN ('phone', 'letter', 'email', 'in-person', 'registry', 'other')),
                outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no-answer', 'declined', 'wrong-contact')),
                visitId INTEGER REFERENCES visit(id),
                -- SPEC §5: never leaves the database.
                note TEXT,
                recordedAt TEXT NOT NULL
            );
            CREATE INDEX contact_by_subject ON contact(subjectId, date);
            CREATE INDEX contact_failed ON contact(subjectId, date) WHERE outcome <> 'reached';
            CREATE TRIGGER contact_is_never_deleted BEFORE DELETE ON contact
                BEGIN SELECT RAISE(ABORT, 'contact attempts are never deleted'); END;
            CREATE TRIGGER contact_is_never_edited BEFORE UPDATE ON contact
                BEGIN SELECT RAISE(ABORT, 'contact attempts are never edited'); END;

            CREATE TABLE consent (
                id INTEGER PRIMARY KEY,
                subjectId INTEGER NOT NULL REFERENCES subject(id),
                date TEXT NOT NULL,
                giver TEXT NOT NULL CHECK (giver IN ('subject', 'guardian')),
                form TEXT,
                recordedAt TEXT NOT NULL
            );
            CREATE INDEX consent_by_subject ON consent(subjectId, date);
            CREATE TRIGGER consent_is_never_deleted BEFORE DELETE ON consent
                BEGIN SELECT RAISE(ABORT, 'consents are never deleted'); END;
            CREATE TRIGGER consent_is_never_edited BEFORE UPDATE ON consent
                BEGIN SELECT RAISE(ABORT, 'consents are never edited'); END;

            -- SPEC §11: the latest infusion, done visit or reached contact.
            ALTER TABLE subject ADD COLUMN lastContact TEXT;
            UPDATE subject SET lastContact = (
                SELECT MAX(day) FROM (
                    SELECT date AS day FROM infusion WHERE infusion.subjectId = subject.id
                    UNION ALL SELECT doneOn FROM visit WHERE visit.subjectId = subject.id AND visit.state = 'done'));
            CREATE INDEX subject_active_by_last_contact ON subject(lastContact) WHERE status = 'active';
            """)
    }
}
