import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl signals`: safety signals and stopping rules waiting for a person (SPEC §10).
    struct Signals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signals",
            abstract: "List safety signals and stopping rules not yet acknowledged (all with --all).")

        @Flag(help: "Include those already acknowledged.") var all = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let rows: [SignalEntry] = try await global.client.get(APIPath.signals, query: all ? [("all", "true")] : [])
                try global.output(rows) { rows in
                    guard !rows.isEmpty else { return all ? "No signals." : "No open signals." }
                    var table = TextTable("ID", "SIGNAL", "SUBJECT", "VISIT", "DATE", "FINDING", "ACKNOWLEDGED")
                    for r in rows {
                        let what = r.rule.map { "\(r.product ?? "") \($0.rawValue) \(r.count ?? 0)/\(r.threshold ?? 0)" }
                            ?? [r.assessment.map { "\($0.rawValue) \(r.value ?? "")" }, r.eventKind?.rawValue].compactMap { $0 }.first ?? ""
                        table.append(r.id, r.signal?.rawValue ?? "STOPPING RULE", r.subject, r.visit ?? "-", "\(r.date)", what,
                                     r.acknowledgedBy.map { "by \($0)" } ?? "no")
                    }
                    return table.render()
                }
            }
        }
    }

    /// `ltfuctl ack`: a person has seen a signal; its daily repeat stops (SPEC §10).
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge a safety signal or stopping rule by its notification id; its daily escalation stops.")

        @Argument(help: ArgumentHelp("The notification id, as `ltfuctl signals` lists it.", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("What was decided (kept in the audit trail only); `-` reads it from standard input.", valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard id.count == 32, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ValidationError(Ctl.tr("`{id}` is not a notification id (32 hex digits, as `ltfuctl signals` lists them)", ["id": id]))
            }
        }

        func run() async throws {
            try await Ctl.reporting {
                let entry: SignalEntry = try await global.client.post(APIPath.ack(id), AckRequest(note: try PrivateText.read(note, what: .phrase("note"))))
                try global.output(entry) { entry in
                    let what = entry.rule.map { "stopping rule \($0.rawValue) of \(entry.product ?? "")" }
                        ?? "\(entry.signal?.rawValue ?? "") signal of \(entry.subject)"
                    return "Acknowledged the \(what) (\(entry.id)) as \(entry.acknowledgedBy ?? "?")."
                }
            }
        }
    }
}
