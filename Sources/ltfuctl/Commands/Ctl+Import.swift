import ArgumentParser
import Foundation
import LTFUCore
import LTFUFormats
import LTFUWire

extension Ctl {
    /// `ltfuctl import`: a site's spreadsheets in, all or nothing (SPEC §12).
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: tr("Import subjects (and their visit history) from CSV files, all or nothing."),
            discussion: tr("SUBJECTS.csv columns: code,product,infused,born,consent_on,consent_by,ended_on,end_reason (infused: dates joined by `;`). VISITS.csv columns: code,visit,outcome,on,reason,results (outcome done with `on`, or missed with `reason`; results as assessment=value joined by `;`). Any problem and nothing is written: each is printed as FILE:LINE: column: message. Importing the same files again changes nothing. Files up to 64 MiB."))

        @Argument(help: ArgumentHelp(tr("The subjects file."), valueName: "subjects.csv")) var subjects: String
        @Option(help: ArgumentHelp(tr("The visits file: outcomes of past visits."), valueName: "visits.csv")) var visits: String?
        @Flag(help: ArgumentHelp(tr("Check the files and count what would change; write nothing."))) var dryRun = false
        @Flag(help: ArgumentHelp(tr("Moving a register in: visits whose window closed more than [notify] escalate_every_days ago raise no notification (they stay overdue in every list)."))) var historyOnly = false
        @OptionGroup var global: GlobalOptions

        /// Time for ltfud to check and write a large import in its one transaction.
        static let timeout: Duration = .seconds(30 * 60)

        func run() async throws {
            try await Ctl.reporting {
                let request = ImportRequest(subjects: try Self.read(subjects), visits: try visits.map(Self.read), dryRun: dryRun,
                                            historyOnly: historyOnly)
                let client = global.client
                let progress = ProgressLine.start(socketPath: client.socketPath, json: global.json)
                let answer: ImportResponse
                do {
                    answer = try await client.post(APIPath.importFiles, request, timeout: Self.timeout)
                    progress?.stop()
                } catch {
                    progress?.stop()
                    throw error
                }
                try global.output(answer) { Self.describe($0) }
            }
        }

        /// The file's text: a file too large or not UTF-8 (which JSON cannot carry) is refused
        /// here, by name and line, before anything is sent. ltfud reads it as CSV.
        static func read(_ path: String) throws(LTFUError) -> ImportFile {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw LTFUError(.usage, code: "unreadable-file", "{path}: {reason}", ["path": path, "reason": String(cString: strerror(errno))])
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw LTFUError(.usage, code: "unreadable-file", "{path}: not a regular file", ["path": path]) }
            guard Int(info.st_size) <= ImportFile.maximumBytes else {
                throw LTFUError(.data, code: "file-too-large",
                                "{path}: the file is {size} MiB; an import takes files up to {maximum} MiB: split it into several files and import them one after another",
                                ["path": path, "size": Int(info.st_size) / 1_048_576, "maximum": ImportFile.maximumBytes / 1_048_576])
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LTFUError(.usage, code: "unreadable-file", "{path}: cannot be read", ["path": path])
            }
            let bytes = [UInt8](data)
            do {
                try CSVTable.requireUTF8(bytes)
            } catch {
                throw LTFUError(.data, code: "import-refused", "{path}:{line}: file: {reason}\nnothing was imported: 1 problem",
                                ["path": path, "line": error.line, "reason": error.reason])
            }
            return ImportFile(name: path, text: String(decoding: bytes, as: UTF8.self))
        }

        static func describe(_ answer: ImportResponse) -> String {
            let counts = tr("{created} new subjects, {updated} updated, {unchanged} unchanged; {recorded} visit outcomes recorded, {visitsUnchanged} unchanged; {results} results", [
                "created": String(answer.subjectsCreated), "updated": String(answer.subjectsUpdated), "unchanged": String(answer.subjectsUnchanged),
                "recorded": String(answer.visitsRecorded), "visitsUnchanged": String(answer.visitsUnchanged), "results": String(answer.resultsRecorded),
            ])
            let skipped = answer.unscheduledSkipped > 0
                ? "\n" + tr("{count} unscheduled visit rows skipped: they come from safety events and consents, which an import does not carry",
                            ["count": String(answer.unscheduledSkipped)])
                : ""
            let quiet = answer.visitsQuiet.map {
                "\n" + tr("History only: {count} open visits whose window closed more than one escalation period ago raise no notification (they stay overdue in every list)",
                          ["count": String($0)])
            } ?? ""
            if answer.dryRun { return tr("Dry run, nothing written. The import would make: {counts}.", ["counts": counts]) + skipped + quiet }
            if answer.changesNothing { return tr("Nothing changed: the database already holds what the files say ({counts}).", ["counts": counts]) + skipped }
            return tr("Imported: {counts}.", ["counts": counts]) + skipped + quiet
        }
    }
}

extension Ctl.Export {
    /// `ltfuctl export csv`: the files `import` reads, with status, target and window added.
    struct Csv: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csv",
            abstract: tr("Write subjects.csv and visits.csv (the import's columns, plus status, target and window) to a folder."),
            discussion: tr("Write group only: the files hold birth dates and miss reasons, and are written readable by their owner only (0600)."))

        @Option(help: ArgumentHelp(tr("The folder to write subjects.csv and visits.csv into; made if missing."), valueName: "dir")) var out: String
        @OptionGroup var global: GlobalOptions

        struct Written: Codable { var out: String; var subjects: Int; var visits: Int }

        func run() async throws {
            try await Ctl.reporting {
                let answer: CSVExportResponse = try await global.client.post(APIPath.exportCSV, timeout: Ctl.Import.timeout)
                try ReportFolder.write(["subjects.csv": answer.subjects, "visits.csv": answer.visits], into: out, permissions: 0o600)
                try global.output(Written(out: out, subjects: answer.subjectCount, visits: answer.visitCount)) {
                    tr("Wrote subjects.csv ({subjects} subjects) and visits.csv ({visits} visits) to {folder}",
                       ["subjects": String($0.subjects), "visits": String($0.visits), "folder": $0.out])
                }
            }
        }
    }
}
