import ArgumentParser
import LTFUWire

extension Ctl {
    /// `ltfuctl status`: is the daemon up, and how much needs attention.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's version, uptime and what is due or overdue.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let status: StatusResponse = try await global.client.get(APIPath.status)
                try global.output(status) { status in
                    Self.alarms(status) + (status.activity.map { "Busy:               \(ProgressLine.describe($0)) (\($0.description))\n" } ?? "") + """
                    ltfud \(status.version), up \(Duration.seconds(status.uptimeSeconds).formatted(.units(allowed: [.days, .hours, .minutes, .seconds], width: .abbreviated, maximumUnitCount: 2)))
                    Site:               \(status.site) (\(status.timezone), today \(status.today))
                    Active subjects:    \(status.subjects)
                    Visits due:         \(status.due)
                    Visits overdue:     \(status.overdue)
                    No contact > 365 d: \(status.noContactOver365Days)
                    Next notification:  \(status.nextNotification ?? "none scheduled")
                    Mail:               \(status.mail.map { $0.enabled ? "\($0.queued) queued, \($0.failing) failing" + ($0.oldest.map { ", oldest \($0)" } ?? "") : "disabled" } ?? "-")
                    """
                }
            }
        }

        /// SPEC §10: what needs a person first, above everything else.
        static func alarms(_ status: StatusResponse) -> String {
            var lines: [String] = []
            for rule in status.stoppingRules where rule.met {
                lines.append("STOPPING RULE MET: product \(rule.product), \(rule.rule.rawValue) \(rule.count) (threshold \(rule.threshold)); acknowledge: ltfuctl ack \(rule.id ?? "")")
            }
            if status.openSignals > 0 {
                lines.append("OPEN SAFETY SIGNALS: \(status.openSignals), not yet acknowledged (ltfuctl signals)")
            }
            return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n\n"
        }
    }
}
