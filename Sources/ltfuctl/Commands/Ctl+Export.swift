import ArgumentParser
import Foundation
import LTFUCore
import LTFUFormats
import LTFUL10n
import LTFUWire

extension Ctl {
    /// `ltfuctl export`: the site's data for others (SPEC §12).
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: tr("Export the site's data: CSV files import reads back, or SDTM for a sponsor."),
            subcommands: [Csv.self, Sdtm.self])

        /// `ltfuctl export sdtm`: the sponsor's data set, SPEC §14.
        struct Sdtm: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sdtm",
                abstract: tr("Write the sponsor's CDISC SDTM data set (DM, DS, AE, EX, SV; each as Dataset-JSON 1.1 and CSV) to a folder."),
                discussion: tr("USUBJID is STUDYID-SITE-CODE; study days count from the first infusion (Day 1, no Day 0). Needs `country` in [site] of ltfud.toml. No birth date is written; free text (miss reasons, notes in co.json) only with --include-text. The folder appears whole or not at all; the same database and --created give the same bytes."))

            @Option(help: ArgumentHelp(tr("The sponsor's study identifier (STUDYID)."), valueName: "id")) var study: String
            @Option(help: ArgumentHelp(tr("The folder to write the files into; made if missing (its parent must exist), files of an earlier export replaced."),
                                       valueName: "dir")) var out: String
            @Flag(help: ArgumentHelp(tr("Also export free text, which may identify a person: miss reasons (SVREASOC) and notes (co.json)."))) var includeText = false
            @Option(help: ArgumentHelp(tr("The files' datasetJSONCreationDateTime, ISO 8601 with its offset (2028-06-01T10:00:00+08:00), for reproducible output (default: now)."),
                                       valueName: "date-time")) var created: String?
            @OptionGroup var global: GlobalOptions

            struct Written: Codable { var out: String; var files: [String]; var domains: [SDTMExportResponse.Domain]; var subjects: Int; var created: String }

            /// Every file name an export can write, so one without text removes an earlier one's `co.*`.
            static let fileNames = ["ae", "co", "dm", "ds", "ex", "sv"].flatMap { ["\($0).csv", "\($0).json"] }

            func run() async throws {
                try await Ctl.reporting {
                    let request = SDTMExportRequest(study: study, includeText: includeText, created: created)
                    try request.validate()
                    let answer: SDTMExportResponse = try await global.client.post(APIPath.exportSDTM, request, timeout: Ctl.Import.timeout)
                    try ExportFolder.write(answer.files.map { ($0.name, $0.text) }, into: out, replacing: Self.fileNames,
                                           permissions: includeText ? 0o600 : nil)
                    let written = Written(out: out, files: answer.files.map(\.name), domains: answer.domains, subjects: answer.subjects,
                                          created: answer.created)
                    try global.output(written) {
                        tr("Wrote the SDTM data set of {subjects} subjects ({domains}) to {out}",
                           ["subjects": String($0.subjects), "out": $0.out,
                            "domains": $0.domains.map { "\($0.name) \($0.records)" }.joined(separator: ", ")])
                    }
                }
            }
        }
    }
}
