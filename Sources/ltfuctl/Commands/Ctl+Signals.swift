import ArgumentParser
import LTFUCore
import LTFUL10n
import LTFUWire

extension Ctl {
    /// `ltfuctl signals`: safety signals and stopping rules waiting for a person (SPEC §10).
    struct Signals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signals",
            abstract: tr("List safety signals and stopping rules not yet acknowledged (all with --all)."))

        @Flag(help: ArgumentHelp(tr("Include those already acknowledged."))) var all = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let rows: [SignalEntry] = try await global.client.get(APIPath.signals, query: all ? [("all", "true")] : [])
                try global.output(rows) { rows in
                    guard !rows.isEmpty else { return all ? tr("No signals.") : tr("No open signals.") }
                    var table = TextTable(tr("ID"), tr("SIGNAL"), tr("SUBJECT"), tr("VISIT"), tr("DATE"), tr("FINDING"), tr("ACKNOWLEDGED"))
                    for r in rows {
                        let what = r.rule.map { "\(r.product ?? "") \($0.label(tr)) \(r.count ?? 0)/\(r.threshold ?? 0)" }
                            ?? [r.assessment.map { "\($0.label(tr)) \(ResultVocabulary.label(value: r.value ?? "", tr))" }, r.eventKind?.label(tr)]
                            .compactMap { $0 }.first ?? ""
                        table.append(r.id, r.signal?.label(tr) ?? tr("STOPPING RULE"), r.subject, r.visit ?? "-", "\(r.date)", what,
                                     r.acknowledgedBy.map { tr("by {user}", ["user": $0]) } ?? tr("no"))
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
            abstract: tr("Acknowledge a safety signal or stopping rule by its notification id; its daily escalation stops."))

        @Argument(help: ArgumentHelp(tr("The notification id, as `ltfuctl signals` lists it."), valueName: "id")) var id: String
        @Option(help: ArgumentHelp(tr("What was decided (kept in the audit trail only); `-` reads it from standard input."), valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard id.count == 32, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ValidationError(tr("`{id}` is not a notification id (32 hex digits, as `ltfuctl signals` lists them)", ["id": id]))
            }
        }

        func run() async throws {
            try await Ctl.reporting {
                let entry: SignalEntry = try await global.client.post(APIPath.ack(id), AckRequest(note: try PrivateText.read(note, what: .phrase("note"))))
                try global.output(entry) { entry in
                    let user = entry.acknowledgedBy ?? "?"
                    return entry.rule.map {
                        tr("Acknowledged the stopping rule {rule} of {product} ({id}) as {user}.",
                           ["rule": $0.label(tr), "product": entry.product ?? "", "id": entry.id, "user": user])
                    } ?? tr("Acknowledged the {signal} signal of {subject} ({id}) as {user}.",
                            ["signal": entry.signal?.label(tr) ?? "", "subject": entry.subject, "id": entry.id, "user": user])
                }
            }
        }
    }
}
