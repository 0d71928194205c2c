import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl record`: a visit was done.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: tr("Record a visit as done."),
            discussion: tr("A date outside the visit's window is accepted and flagged as a deviation."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Argument(help: ArgumentHelp(tr("The visit, e.g. M3."))) var visit: String
        @Option(help: ArgumentHelp(tr("The date it was done, YYYY-MM-DD."), valueName: "date")) var on: String
        @Option(help: ArgumentHelp(tr("A short note (kept in the database; only `export sdtm --include-text` writes it out); `-` reads it from standard input."), valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let request = RecordRequest(on: on, note: try PrivateText.read(note, what: .phrase("note")))
                try await global.write(subject: code, {
                    try await global.client.post(APIPath.record(try pathSegment(code), try pathSegment(visit)), request)
                }) { shown in
                    let recorded = shown.visits.last { $0.code == visit && $0.status == .done }
                    return recorded?.deviation == true
                        ? tr("Recorded {visit} of {subject} as done on {date} (outside its window: flagged as a deviation).",
                             ["visit": visit, "subject": code, "date": on])
                        : tr("Recorded {visit} of {subject} as done on {date}.", ["visit": visit, "subject": code, "date": on])
                }
            }
        }
    }

    /// `ltfuctl miss`: a visit did not happen.
    struct Miss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "miss", abstract: tr("Record a visit as missed, with the reason."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Argument(help: ArgumentHelp(tr("The visit, e.g. M3."))) var visit: String
        @Option(help: ArgumentHelp(tr("Why it was missed (kept in the database only); `-` reads it from standard input."), valueName: "text")) var reason: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let request = MissRequest(reason: try PrivateText.read(reason, what: .phrase("reason")) ?? "")
                try await global.write(subject: code, {
                    try await global.client.post(APIPath.miss(try pathSegment(code), try pathSegment(visit)), request)
                }) { _ in tr("Recorded {visit} of {subject} as missed.", ["visit": visit, "subject": code]) }
            }
        }
    }

    /// `ltfuctl end`: the subject's follow-up ends.
    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: tr("End a subject's follow-up; its open visits are cancelled."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Option(help: ArgumentHelp(tr("One of: {choices}.", ["choices": EndReason.choices]), valueName: "reason")) var reason: EndReason
        @Option(help: ArgumentHelp(tr("The date, YYYY-MM-DD."), valueName: "date")) var on: String
        @Flag(help: ArgumentHelp(tr("End as lost to follow-up without the retention rule's evidence of failed attempts (needs --note).")))
        var force = false
        @Option(help: ArgumentHelp(tr("Why (kept in the audit trail only); needed with --force; `-` reads it from standard input."), valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard !force || note != nil else { throw ValidationError(tr("--force needs --note saying why")) }
        }

        func run() async throws {
            try await Ctl.reporting {
                let request = EndRequest(reason: reason.rawValue, on: on, force: force ? true : nil, note: try PrivateText.read(note, what: .phrase("note")))
                try await global.write(subject: code, { try await global.client.post(APIPath.end(try pathSegment(code)), request) }) { _ in
                    tr("Ended follow-up of {subject} ({reason}, {date}).", ["subject": code, "reason": reason.label(tr), "date": on])
                }
            }
        }
    }
}

extension EndReason: ExpressibleByArgument {}
