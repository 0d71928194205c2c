import ArgumentParser
import LTFUWire

extension Ctl {
    /// `ltfuctl mail queue|retry`: the reminder mail waiting for sendmail.
    struct Mail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mail",
            abstract: "Show or retry the mail queue.",
            subcommands: [Queue.self, Retry.self])

        struct Queue: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "queue", abstract: "List messages not yet handed to sendmail, oldest first.")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                try await Ctl.reporting {
                    let rows: [MailQueueEntry] = try await global.client.get(APIPath.mail)
                    try global.output(rows) { rows in
                        guard !rows.isEmpty else { return "The mail queue is empty." }
                        var table = TextTable("QUEUED", "ATTEMPTS", "NEXT TRY", "SUBJECT", "LAST ERROR")
                        for r in rows { table.append(r.createdAt, String(r.attempts), r.nextAttemptAt, r.subject, r.lastError ?? "-") }
                        return table.render()
                    }
                }
            }
        }

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "retry", abstract: "Try every queued message now.")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                try await Ctl.reporting {
                    let result: MailRetryResponse = try await global.client.post(APIPath.mailRetry, MailRetryRequest())
                    try global.output(result) { "Retrying \($0.queued) queued message\($0.queued == 1 ? "" : "s") now." }
                }
            }
        }
    }
}

/// The empty body of `POST /v1/mail/retry`.
struct MailRetryRequest: Encodable {}
