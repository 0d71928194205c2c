import Foundation
import ArgumentParser
import LTFUConfig
import LTFUCore
import LTFUDaemon
import LTFUWire
import Logging

/// `ltfud`: the long-term follow-up daemon. Only wires things together; see LTFUDaemon.
@main
struct Ltfud: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltfud",
        abstract: "The ltfu daemon: keeps follow-up calendars and serves ltfuctl over a Unix socket.",
        version: LTFUVersion.current)

    @Option(help: ArgumentHelp("Configuration file (default: $CONFIGURATION_DIRECTORY/ltfud.toml or /etc/ltfu/ltfud.toml).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("State directory holding the database (default: $STATE_DIRECTORY or /var/lib/ltfu).", valueName: "dir"))
    var stateDir: String?

    @Option(help: ArgumentHelp("Control socket (default: $RUNTIME_DIRECTORY/ltfud.sock or /run/ltfu/ltfud.sock).", valueName: "path"))
    var socket: String?

    @Flag(help: "Validate the configuration, products and templates, print the result and exit (0 or 78).")
    var checkConfig = false

    @Flag(help: "Start the keyed audit chain on a database written without a key, with ltfud stopped, and exit.")
    var adoptAuditKey = false

    func run() async throws {
        let paths = DaemonPaths(config: config, stateDirectory: stateDir, socket: socket)
        if checkConfig {
            do {
                let setup = try SiteSetup.load(configFile: paths.configFile)
                print("configuration OK (\(paths.configFile): site \(setup.configuration.site.id), \(setup.catalog.products.count) products, \(setup.catalog.schedules.count) templates)")
                return
            } catch {
                printError(error.description)
                throw ExitCode(LTFUError.Kind.configuration.exitCode)
            }
        }
        if adoptAuditKey {
            do {
                let row = try Daemon.adoptAuditKey(paths: paths)
                print("audit trail keyed from row \(row)")
                return
            } catch {
                printError(error.message)
                throw ExitCode(error.kind.exitCode)
            }
        }
        LoggingSystem.bootstrap { label in JournalStreamLogHandler(label: label) }
        do {
            try await Daemon(paths: paths, logger: Logger(label: "ltfud")).run()
        } catch {
            printError(error.message)
            throw ExitCode(error.kind.exitCode)
        }
    }

    func printError(_ message: String) {
        try? FileHandle.standardError.write(contentsOf: Data("ltfud: \(message)\n".utf8))
    }
}
