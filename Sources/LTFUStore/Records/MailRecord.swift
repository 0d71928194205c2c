import Foundation
import GRDB

/// A row of the `mail` outbox: one message for sendmail, with its delivery attempts.
public struct MailRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "mail"

    public enum Kind: String, Codable, Sendable, DatabaseValueConvertible { case each, digest }
    public enum State: String, Codable, Sendable, DatabaseValueConvertible { case queued, sent }

    /// The notification id (`each`) or `digest-SITE-YYYY-MM-DD`; the Message-ID derives from it.
    public var id: String
    public var kind: Kind
    public var subject: String
    public var body: String
    public var state: State
    public var attempts: Int
    public var createdAt: String
    public var nextAttemptAt: String
    public var lastError: String?
    public var lastAlertAt: String?
    public var sentAt: String?

    public enum Columns {
        public static let state = Column(CodingKeys.state)
        public static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    public init(id: String, kind: Kind, subject: String, body: String, at instant: Date) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.body = body
        state = .queued
        attempts = 0
        createdAt = Timestamp.string(instant)
        nextAttemptAt = createdAt
    }
}

/// A message to queue: what the composer wrote.
public struct MailDraft: Sendable, Hashable {
    public var id: String
    public var subject: String
    public var body: String

    public init(id: String, subject: String, body: String) {
        self.id = id
        self.subject = subject
        self.body = body
    }
}
