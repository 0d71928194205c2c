import ArgumentParser
import Foundation
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl show`: one subject and its calendar.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a subject and its visits with their status.")

        @Argument(help: "The subject's code.") var code: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.get(APIPath.subject(try pathSegment(code)))
                try global.output(shown, human: SubjectRendering.render)
            }
        }
    }

    /// `ltfuctl list`: subjects, optionally by tier and status.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List subjects (all unless filtered).")

        @Option(help: "Only this tier: \(RiskTier.choices).") var tier: RiskTier?
        @Flag(help: "Only subjects still followed.") var active = false
        @Flag(help: "Only subjects whose follow-up ended.") var ended = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard !(active && ended) else { throw ValidationError(Ctl.tr("give --active or --ended, not both")) }
        }

        func run() async throws {
            try await Ctl.reporting {
                var query: [(String, String)] = []
                if let tier { query.append(("tier", tier.rawValue)) }
                if active { query.append(("status", "active")) }
                if ended { query.append(("status", "ended")) }
                let subjects: [SubjectSummary] = try await global.client.get(APIPath.subjects, query: query)
                try global.output(subjects) { subjects in
                    var table = TextTable("CODE", "PRODUCT", "TIER", "DAY 0", "STATUS", "LAST CONTACT")
                    for s in subjects {
                        table.append(s.code, s.product, s.tier.rawValue, s.dayZero?.description ?? "-", s.status.rawValue,
                                     s.lastContact?.description ?? "-")
                    }
                    return subjects.isEmpty ? "No subjects." : table.render()
                }
            }
        }
    }

    /// `ltfuctl due`: what needs scheduling now or soon.
    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "due", abstract: "List open visits whose window is open or opens within DAYS.")

        @Option(help: ArgumentHelp("How many days ahead to look (default 14).", valueName: "days")) var within = 14
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                try await Ctl.printVisits(APIPath.due, query: [("within", String(within))], global: global,
                                          empty: "Nothing due within \(within) days.")
            }
        }
    }

    /// `ltfuctl overdue`: windows that closed without an outcome.
    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "overdue", abstract: "List visits past their window with no outcome recorded.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                try await Ctl.printVisits(APIPath.overdue, query: [], global: global, empty: "Nothing overdue.")
            }
        }
    }

    /// `due` and `overdue` print tens of thousands of rows at a large site (issue #15): the
    /// daemon's bytes are laid out for `--json` without decoding them, and the table is laid
    /// out from them byte by byte (``DueTable``), or read by hand from the shape the daemon
    /// writes (Foundation's decoder for anything else).
    static func printVisits(_ path: String, query: [(String, String)], global: GlobalOptions, empty: String) async throws(LTFUError) {
        if global.json {
            var printer = WireJSON.PrettyPrinter()
            try await global.client.stream(path, query: query) { printer.feed($0, to: writeStandardOutput) }
            printer.finish(to: writeStandardOutput)
            writeStandardOutput(Data("\n".utf8))
            return
        }
        var table = DueTable()
        try await global.client.stream(path, query: query) { table.feed($0) }
        if table.finish() {
            table.write(empty: empty, to: writeStandardOutput)
            return
        }
        let data = Data(table.answer)
        let rows: [VisitDue]
        if let read = [VisitDue](wireJSON: data) {
            rows = read
        } else {
            rows = try DaemonClient.decode([VisitDue].self, from: data)
        }
        print(SubjectRendering.renderDue(rows, empty: empty))
    }
}
