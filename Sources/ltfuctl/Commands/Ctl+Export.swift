import ArgumentParser
import Foundation
import LTFUCore
import LTFUFormats
import LTFUWire

extension Ctl {
    /// `ltfuctl export`: the site's data for others (SPEC §12).
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export the site's data: CSV files import reads back, or SDTM for a sponsor.",
            subcommands: [Csv.self, Sdtm.self])

        /// `ltfuctl export sdtm`: the SV domain as Dataset-JSON and CSV.
        struct Sdtm: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sdtm",
                abstract: "Write the CDISC SDTM Subject Visits domain (sv.json as Dataset-JSON 1.1, and sv.csv) to a folder.",
                discussion: """
                    One row per done or missed visit. USUBJID is STUDYID-SITE-CODE; study days count from the first \
                    infusion (Day 1, no Day 0). Miss reasons are free text and are written only with --include-text.
                    """)

            @Option(help: ArgumentHelp("The sponsor's study identifier (STUDYID).", valueName: "id")) var study: String
            @Option(help: ArgumentHelp("The folder to write sv.json and sv.csv into; made if missing.", valueName: "dir")) var out: String
            @Flag(help: "Also export miss reasons (SVREASOC), which may identify a person.") var includeText = false
            @OptionGroup var global: GlobalOptions

            struct Written: Codable { var out: String; var rows: Int; var subjects: Int }

            func run() async throws {
                try await Ctl.reporting {
                    guard Identifier.isValid(study) else {
                        throw LTFUError(.usage, code: "invalid-study",
                                        "`{study}` is not a study id: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit", ["study": study])
                    }
                    let client = global.client
                    let status: StatusResponse = try await client.get(APIPath.status)
                    let subjects: [SubjectSummary] = try await client.get(APIPath.subjects)
                    var shown: [ShowResponse] = []
                    for subject in subjects { shown.append(try await client.get(APIPath.subject(try pathSegment(subject.code)))) }
                    let domain = SubjectVisits(study: study, site: status.site, subjects: shown, includeText: includeText)
                    let zone = TimeZone(identifier: status.timezone) ?? .gmt
                    let created = Date().formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: zone))
                    let json: Data
                    do {
                        json = try domain.datasetJSON(created: created, site: status.site, version: LTFUVersion.current)
                    } catch {
                        throw LTFUError(.internal, code: "encoding-failed", "cannot write sv.json: {reason}", ["reason": "\(error)"])
                    }
                    try ReportFolder.write(["sv.json": String(decoding: json, as: UTF8.self), "sv.csv": domain.csv()], into: out)
                    try global.output(Written(out: out, rows: domain.rows.count, subjects: subjects.count)) {
                        "Wrote sv.json and sv.csv (\($0.rows) visits of \($0.subjects) subjects) to \($0.out)"
                    }
                }
            }
        }
    }
}
