import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl result`: what an assessment of a done visit found (SPEC §10).
    struct Result: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "result",
            abstract: "Record what an assessment of a done visit found.",
            discussion: """
                Values: rcl-test negative|positive|indeterminate; rcl-archive archived (with --sample); persistence \
                not-detected|detected (with --percent); malignancy and infection none|new; any other done|not-done. \
                A finding raises a safety signal at once and may add an unscheduled visit. A second result for the same \
                assessment is a correction and needs --note.
                """)

        @Argument(help: "The subject's code.") var code: String
        @Argument(help: "The visit, e.g. M3 or U1.") var visit: String
        @Argument(help: ArgumentHelp("The assessment, e.g. rcl-test.", valueName: "assessment")) var assessment: String
        @Argument(help: ArgumentHelp("The value, e.g. negative.", valueName: "value")) var value: String
        @Option(help: ArgumentHelp("The result date, YYYY-MM-DD (default: the visit's done date).", valueName: "date")) var on: String?
        @Option(help: ArgumentHelp("The sample id (needed for rcl-archive).", valueName: "id")) var sample: String?
        @Option(help: ArgumentHelp("Vector-positive cells, 0 to 100 (with persistence detected).", valueName: "percent"))
        var percent: Double?
        @Option(help: ArgumentHelp("Why a result is corrected, or a short note (kept in the database only); `-` reads it from standard input.", valueName: "text"))
        var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let percent, !percent.isFinite { throw ValidationError("--percent must be a number from 0 to 100, not \(percent)") }
        }

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.results(try pathSegment(code), try pathSegment(visit)),
                    ResultRequest(assessment: assessment, value: value, on: on, sample: sample, percent: percent,
                                  note: try PrivateText.read(note, what: "note")))
                try global.output(shown) { shown in
                    "Recorded \(assessment) \(value) at \(visit) of \(code).\n\n" + SubjectRendering.render(shown)
                }
            }
        }
    }

    /// `ltfuctl event`: a delayed adverse event (SPEC §10).
    struct Event: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "event",
            abstract: "Report a safety event; it raises a signal at once, and a death ends follow-up.")

        @Argument(help: "The subject's code.") var code: String
        @Argument(help: ArgumentHelp("One of: \(SafetyEventKind.choices).", valueName: "kind")) var kind: SafetyEventKind
        @Option(help: ArgumentHelp("The date it happened, YYYY-MM-DD.", valueName: "date")) var on: String
        @Option(help: ArgumentHelp("Related to the product: yes, no or unknown (default unknown).", valueName: "related"))
        var related: Relatedness = .unknown
        @Option(help: ArgumentHelp("A short note (kept in the database; only `export sdtm --include-text` writes it out); `-` reads it from standard input.", valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.events(try pathSegment(code)),
                    EventRequest(kind: kind.rawValue, on: on, related: related.rawValue, note: try PrivateText.read(note, what: "note")))
                try global.output(shown) { "Reported \(kind.rawValue) of \(code) on \(on).\n\n" + SubjectRendering.render($0) }
            }
        }
    }
}

extension SafetyEventKind: ExpressibleByArgument {}
extension Relatedness: ExpressibleByArgument {}
