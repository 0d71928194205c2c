import ArgumentParser
import LTFUFormats
import LTFUWire

extension Ctl {
    /// `ltfuctl notifications`: what the daemon has emitted.
    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "notifications", abstract: tr("List the notifications ltfud emitted, oldest first."))

        @Option(help: ArgumentHelp(tr("Only those fired on or after this day, YYYY-MM-DD."), valueName: "date"))
        var since: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let rows: [NotificationEntry] = try await global.client.get(APIPath.notifications, query: since.map { [("since", $0)] } ?? [])
                // Issue #12: times a person reads are in the site's zone, as `status` shows them.
                let zone = global.json ? "UTC" : (try await global.client.get(APIPath.status, as: StatusResponse.self)).timezone
                try global.output(rows) { rows in
                    guard !rows.isEmpty else { return tr("No notifications emitted.") }
                    var table = TextTable(tr("EMITTED ({zone})", ["zone": zone]), tr("KIND"), tr("SUBJECT"), tr("VISIT"), tr("DATE"), tr("ID"))
                    for r in rows {
                        table.append(SiteTime.describe(r.emittedAt, zone: zone), r.kind.label(tr), r.subject, r.visit ?? "-", "\(r.date)", r.id)
                    }
                    return table.render()
                }
            }
        }
    }
}
