import ArgumentParser
import LTFUWire

extension Ctl {
    /// `ltfuctl notifications`: what the daemon has emitted.
    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the notifications ltfud emitted, oldest first.")

        @Option(help: ArgumentHelp("Only those fired on or after this day, YYYY-MM-DD.", valueName: "date"))
        var since: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let rows: [NotificationEntry] = try await global.client.get(APIPath.notifications, query: since.map { [("since", $0)] } ?? [])
                try global.output(rows) { rows in
                    guard !rows.isEmpty else { return "No notifications emitted." }
                    var table = TextTable("EMITTED", "KIND", "SUBJECT", "VISIT", "DATE", "ID")
                    for r in rows { table.append(r.emittedAt ?? "-", r.kind.rawValue, r.subject, r.visit ?? "-", "\(r.date)", r.id) }
                    return table.render()
                }
            }
        }
    }
}
