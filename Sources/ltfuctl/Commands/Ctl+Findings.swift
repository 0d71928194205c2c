import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl result`: what an assessment of a done visit found (SPEC §10).
    struct Result: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "result",
            abstract: tr("Record what an assessment of a done visit found."),
            discussion: tr("Values: rcl-test negative|positive|indeterminate; rcl-archive archived (with --sample); persistence not-detected|detected (with --percent); malignancy and infection none|new; any other done|not-done. A finding raises a safety signal at once and may add an unscheduled visit. A second result for the same assessment is a correction and needs --note."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Argument(help: ArgumentHelp(tr("The visit, e.g. M3 or U1."))) var visit: String
        @Argument(help: ArgumentHelp(tr("The assessment, e.g. rcl-test."), valueName: "assessment")) var assessment: String
        @Argument(help: ArgumentHelp(tr("The value, e.g. negative."), valueName: "value")) var value: String
        @Option(help: ArgumentHelp(tr("The result date, YYYY-MM-DD (default: the visit's done date)."), valueName: "date")) var on: String?
        @Option(help: ArgumentHelp(tr("The sample id (needed for rcl-archive)."), valueName: "id")) var sample: String?
        @Option(help: ArgumentHelp(tr("Vector-positive cells, 0 to 100 (with persistence detected)."), valueName: "percent"))
        var percent: Double?
        @Option(help: ArgumentHelp(tr("Why a result is corrected, or a short note (kept in the database only); `-` reads it from standard input."), valueName: "text"))
        var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let percent, !percent.isFinite { throw ValidationError(tr("--percent must be a number from 0 to 100, not {percent}", ["percent": String(percent)])) }
        }

        func run() async throws {
            try await Ctl.reporting {
                let request = ResultRequest(assessment: assessment, value: value, on: on, sample: sample, percent: percent,
                                            note: try PrivateText.read(note, what: .phrase("note")))
                try await global.write(subject: code, {
                    try await global.client.post(APIPath.results(try pathSegment(code), try pathSegment(visit)), request)
                }) { _ in
                    tr("Recorded {assessment} {value} at {visit} of {subject}.", [
                        "assessment": Assessment(rawValue: assessment)?.label(tr) ?? assessment,
                        "value": ResultVocabulary.label(value: value, tr), "visit": visit, "subject": code,
                    ])
                }
            }
        }
    }

    /// `ltfuctl event`: a delayed adverse event (SPEC §10).
    struct Event: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "event",
            abstract: tr("Report a safety event; it raises a signal at once, and a death ends follow-up."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Argument(help: ArgumentHelp(tr("One of: {choices}.", ["choices": SafetyEventKind.choices]), valueName: "kind")) var kind: SafetyEventKind
        @Option(help: ArgumentHelp(tr("The date it happened, YYYY-MM-DD."), valueName: "date")) var on: String
        @Option(help: ArgumentHelp(tr("Related to the product: yes, no or unknown (default unknown)."), valueName: "related"))
        var related: Relatedness = .unknown
        @Option(help: ArgumentHelp(tr("A short note (kept in the database; only `export sdtm --include-text` writes it out); `-` reads it from standard input."), valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let request = EventRequest(kind: kind.rawValue, on: on, related: related.rawValue, note: try PrivateText.read(note, what: .phrase("note")))
                try await global.write(subject: code, { try await global.client.post(APIPath.events(try pathSegment(code)), request) }) { _ in
                    tr("Reported {event} of {subject} on {date}.", ["event": kind.label(tr), "subject": code, "date": on])
                }
            }
        }
    }
}

extension SafetyEventKind: ExpressibleByArgument {}
extension Relatedness: ExpressibleByArgument {}
