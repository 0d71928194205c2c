import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl record`: a visit was done.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a visit as done.",
            discussion: "A date outside the visit's window is accepted and flagged as a deviation.")

        @Argument(help: "The subject's code.") var code: String
        @Argument(help: "The visit, e.g. M3.") var visit: String
        @Option(help: ArgumentHelp("The date it was done, YYYY-MM-DD.", valueName: "date")) var on: String
        @Option(help: ArgumentHelp("A short note (kept in the database; only `export sdtm --include-text` writes it out); `-` reads it from standard input.", valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.record(try pathSegment(code), try pathSegment(visit)), RecordRequest(on: on, note: try PrivateText.read(note, what: "note")))
                try global.output(shown) { shown in
                    let recorded = shown.visits.last { $0.code == visit && $0.status == .done }
                    let flag = recorded?.deviation == true ? " (outside its window: flagged as a deviation)" : ""
                    return "Recorded \(visit) of \(code) as done on \(on)\(flag).\n\n" + SubjectRendering.render(shown)
                }
            }
        }
    }

    /// `ltfuctl miss`: a visit did not happen.
    struct Miss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "miss", abstract: "Record a visit as missed, with the reason.")

        @Argument(help: "The subject's code.") var code: String
        @Argument(help: "The visit, e.g. M3.") var visit: String
        @Option(help: ArgumentHelp("Why it was missed (kept in the database only); `-` reads it from standard input.", valueName: "text")) var reason: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.miss(try pathSegment(code), try pathSegment(visit)), MissRequest(reason: try PrivateText.read(reason, what: "reason") ?? ""))
                try global.output(shown) { "Recorded \(visit) of \(code) as missed.\n\n" + SubjectRendering.render($0) }
            }
        }
    }

    /// `ltfuctl end`: the subject's follow-up ends.
    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "End a subject's follow-up; its open visits are cancelled.")

        @Argument(help: "The subject's code.") var code: String
        @Option(help: ArgumentHelp("One of: \(EndReason.choices).", valueName: "reason")) var reason: EndReason
        @Option(help: ArgumentHelp("The date, YYYY-MM-DD.", valueName: "date")) var on: String
        @Flag(help: "End as lost to follow-up without the retention rule's evidence of failed attempts (needs --note).")
        var force = false
        @Option(help: ArgumentHelp("Why (kept in the audit trail only); needed with --force; `-` reads it from standard input.", valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard !force || note != nil else { throw ValidationError("--force needs --note saying why") }
        }

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.end(try pathSegment(code)), EndRequest(reason: reason.rawValue, on: on, force: force ? true : nil,
                                                               note: try PrivateText.read(note, what: "note")))
                try global.output(shown) { "Ended follow-up of \(code) (\(reason.rawValue), \(on)).\n\n" + SubjectRendering.render($0) }
            }
        }
    }
}

extension EndReason: ExpressibleByArgument {}
