import Foundation
import ArgumentParser
import LTFUL10n
import LTFUWire

extension Ctl {
    /// `ltfuctl status`: is the daemon up, and how much needs attention.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's version, uptime and what is due or overdue.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let status: StatusResponse = try await global.client.get(APIPath.status)
                try global.output(status) { Self.render($0, Localizer(Ctl.language)) }
            }
        }

        /// The human form, in the reader's language (issue #22), labels aligned by display
        /// width: a Chinese label takes two columns a character.
        static func render(_ status: StatusResponse, _ tr: Localizer) -> String {
            let uptime = Duration.seconds(status.uptimeSeconds)
                .formatted(.units(allowed: [.days, .hours, .minutes, .seconds], width: .abbreviated, maximumUnitCount: 2)
                .locale(Locale(identifier: tr.language == .chinese ? "zh_CN" : "en_US_POSIX")))
            let mail = status.mail.map { mail in
                mail.enabled
                    ? tr("{queued} queued, {failing} failing", ["queued": String(mail.queued), "failing": String(mail.failing)])
                        + (mail.oldest.map { tr(", oldest {date}", ["date": $0]) } ?? "")
                    : tr("disabled")
            } ?? "-"
            var rows: [(String, String)] = []
            if let activity = status.activity {
                rows.append((tr("Busy:"), "\(ProgressLine.describe(activity, tr)) (\(activity.description))"))
            }
            rows += [
                (tr("Site:"), tr("{site} ({zone}, today {today})", ["site": status.site, "zone": status.timezone, "today": status.today.description])),
                (tr("Active subjects:"), String(status.subjects)),
                (tr("Visits due:"), String(status.due)),
                (tr("Visits overdue:"), String(status.overdue)),
                (tr("No contact > 365 d:"), String(status.noContactOver365Days)),
                (tr("Next notification:"), status.nextNotification ?? tr("none scheduled")),
                (tr("Mail:"), mail),
            ]
            let width = (rows.map(\.0.displayWidth).max() ?? 0) + 1
            let header = tr("ltfud {version}, up {uptime}", ["version": status.version, "uptime": uptime])
            return alarms(status, tr) + ([header] + rows.map { $0.0.padded(toColumns: width) + $0.1 }).joined(separator: "\n")
        }

        /// SPEC §10: what needs a person first, above everything else.
        static func alarms(_ status: StatusResponse, _ tr: Localizer = Localizer(.english)) -> String {
            var lines: [String] = []
            for rule in status.stoppingRules where rule.met {
                lines.append(tr("STOPPING RULE MET: product {product}, {rule} {count} (threshold {threshold}); acknowledge: ltfuctl ack {id}",
                                ["product": rule.product, "rule": rule.rule.rawValue, "count": String(rule.count),
                                 "threshold": String(rule.threshold), "id": rule.id ?? ""]))
            }
            if status.openSignals > 0 {
                lines.append(tr("OPEN SAFETY SIGNALS: {count}, not yet acknowledged (ltfuctl signals)", ["count": String(status.openSignals)]))
            }
            return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n\n"
        }
    }
}
