/// A row of `ltfuctl mail queue`: a message waiting for sendmail.
public struct MailQueueEntry: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var subject: String
    public var attempts: Int
    public var createdAt: String
    public var nextAttemptAt: String
    public var lastError: String?

    public init(id: String, kind: String, subject: String, attempts: Int, createdAt: String, nextAttemptAt: String, lastError: String?) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// `ltfuctl mail retry`.
public struct MailRetryResponse: Codable, Sendable, Hashable {
    public var queued: Int

    public init(queued: Int) { self.queued = queued }
}

/// The mail part of `status`.
public struct MailStatus: Codable, Sendable, Hashable {
    public var enabled: Bool
    public var queued: Int
    /// Queued messages with at least one failed hand-off.
    public var failing: Int
    /// When the oldest queued message was queued.
    public var oldest: String?

    public init(enabled: Bool, queued: Int, failing: Int, oldest: String?) {
        self.enabled = enabled
        self.queued = queued
        self.failing = failing
        self.oldest = oldest
    }
}
