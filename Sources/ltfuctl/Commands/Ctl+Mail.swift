import ArgumentParser
import LTFUWire

extension Ctl {
    /// `ltfuctl mail queue|retry`: the reminder mail waiting for sendmail.
    struct Mail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mail",
            abstract: tr("Show or retry the mail queue."),
            subcommands: [Queue.self, Retry.self])

        struct Queue: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "queue", abstract: tr("List messages not yet handed to sendmail, oldest first."))
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                try await Ctl.reporting {
                    let rows: [MailQueueEntry] = try await global.client.get(APIPath.mail)
                    try global.output(rows) { rows in
                        guard !rows.isEmpty else { return tr("The mail queue is empty.") }
                        var table = TextTable(tr("QUEUED"), tr("ATTEMPTS"), tr("NEXT TRY"), tr("SUBJECT"), tr("LAST ERROR"))
                        for r in rows { table.append(r.createdAt, String(r.attempts), r.nextAttemptAt, r.subject, r.lastError ?? "-") }
                        return table.render()
                    }
                }
            }
        }

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "retry", abstract: tr("Try every queued message now."))
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                try await Ctl.reporting {
                    let result: MailRetryResponse = try await global.client.post(APIPath.mailRetry, MailRetryRequest())
                    try global.output(result) {
                        $0.queued == 1 ? tr("Retrying 1 queued message now.") : tr("Retrying {count} queued messages now.", ["count": String($0.queued)])
                    }
                }
            }
        }
    }
}

/// The empty body of `POST /v1/mail/retry`.
struct MailRetryRequest: Encodable {}
