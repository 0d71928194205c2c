import AsyncHTTPClient
import ArgumentParser
import LTFUCore
import LTFUWire

/// `ltfuctl`: the coordinators' and admins' command line (SPEC §8).
@main
struct Ctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltfuctl",
        abstract: "Plan, enroll and follow up subjects of cell therapy trials.",
        discussion: """
            `plan` and `classify` work offline. Exit codes: 0 ok, 64 usage, 65 bad data, \
            69 daemon unreachable, 77 permission denied, 78 configuration.
            """,
        subcommands: [Plan.self, Classify.self])
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON (the SPEC §8 contract) instead of a table.")
    var json = false
}

extension Ctl {
    /// Runs a command body; a domain error is printed on stderr and becomes its exit code.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LTFUError {
            printError(error.message)
            throw ExitCode(error.kind.exitCode)
        }
    }

    static func printError(_ message: String) {
        var standardError = StandardError()
        print("ltfuctl: \(message)", to: &standardError)
    }
}
