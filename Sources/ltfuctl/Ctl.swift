import ArgumentParser
import Foundation
import LTFUCore
import LTFUL10n
import LTFUWire

/// `ltfuctl`: the coordinators' and admins' command line (SPEC §8).
@main
struct Ctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltfuctl",
        abstract: tr("Plan, enroll and follow up subjects of cell therapy trials."),
        discussion: tr("`plan` and `classify` work offline. Exit codes: 0 ok, 64 usage, 65 bad data, 69 daemon unreachable, 73 cannot create an output (--out), 75 busy (try again later), 77 permission denied, 78 configuration."),
        subcommands: [Plan.self, Classify.self, Status.self, Enroll.self, Infuse.self, Record.self, Miss.self, Result.self,
                      Event.self, Contact.self, Consent.self, End.self, Show.self, List.self, Due.self, Overdue.self, Signals.self, Ack.self,
                      Notifications.self, Mail.self, Audit.self, Backup.self, Report.self, Calendar.self, Import.self, Export.self])
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(tr("Print the result as JSON (the SPEC §8 contract) instead of a table.")))
    var json = false

    @Option(help: ArgumentHelp(tr("ltfud's control socket (default: $LTFU_SOCKET or /run/ltfu/ltfud.sock)."), valueName: "path"))
    var socket: String?

    var client: DaemonClient {
        DaemonClient(socketPath: socket ?? ProcessInfo.processInfo.environment["LTFU_SOCKET"] ?? "/run/ltfu/ltfud.sock", language: Ctl.language)
    }

    /// Prints `value` as JSON with `--json`, else the human rendering.
    func output<T: Encodable>(_ value: T, human: (T) -> String) throws {
        if json { try printJSON(value) } else { print(human(value)) }
    }
}

extension Ctl {
    /// Issue #22: the language of human output, as every POSIX tool picks it: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG`; anything not `zh*` is English. `--json`, exit codes, error
    /// codes, CSV and SDTM never change with it.
    static let language = Language.fromEnvironment(ProcessInfo.processInfo.environment)

    /// Runs a command body; a domain error is printed on stderr, in ``language``, and becomes
    /// its exit code (which, like the error's code, never changes with the language).
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LTFUError {
            printError(error.message(in: language))
            throw ExitCode(error.kind.exitCode)
        }
    }

    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as LTFUError {
            printError(error.message(in: language))
            throw ExitCode(error.kind.exitCode)
        }
    }

    static func printError(_ message: String) {
        var standardError = StandardError()
        print("ltfuctl: \(message)", to: &standardError)
    }
}
