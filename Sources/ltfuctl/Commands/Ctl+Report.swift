#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LTFUCore
import LTFUFormats
import LTFUL10n
import LTFUWire

extension Ctl {
    /// `ltfuctl report`: the site report, a static site made from the API (SPEC §13).
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: tr("Write the site report: index.html (most urgent first) and a timeline page per subject."),
            discussion: tr("Plain HTML and inline SVG with one stylesheet: no JavaScript, nothing loaded from the network; index.html prints as a one-week worklist. Subject codes only: no birth dates, notes or contact details."))

        @Option(help: ArgumentHelp(tr("The folder to write into (created if missing; files in it are replaced)."), valueName: "dir"))
        var out: String
        @Option(help: ArgumentHelp(tr("The pages' language: {choices} (default: the site's [site] language).", ["choices": Language.choices]),
                                   valueName: "language"))
        var language: Language?
        @OptionGroup var global: GlobalOptions

        struct Written: Codable { var out: String; var files: Int; var subjects: Int }

        func run() async throws {
            try await Ctl.reporting {
                let client = global.client
                let status: StatusResponse = try await client.get(APIPath.status)
                let subjects: [SubjectSummary] = try await client.get(APIPath.subjects)
                var shown: [ShowResponse] = []
                for subject in subjects { shown.append(try await client.get(APIPath.subject(try pathSegment(subject.code)))) }
                let notifications: [NotificationEntry] = try await client.get(APIPath.notifications)
                let input = ReportInput(
                    status: status, signals: try await client.get(APIPath.signals, query: [("all", "true")]),
                    overdue: try await client.get(APIPath.overdue),
                    due: try await client.get(APIPath.due, query: [("within", "30")]), subjects: subjects, shown: shown,
                    retentionRisks: notifications.filter { $0.kind == .retentionRisk },
                    generatedAt: SiteTime.describe(Date(), zone: status.timezone),
                    language: language ?? status.language.flatMap(Language.init(rawValue:)) ?? .english)
                let files = SiteReport.render(input)
                try ReportFolder.write(files, into: out)
                try global.output(Written(out: out, files: files.count, subjects: subjects.count)) {
                    tr("Wrote {files} files for {subjects} subjects to {folder}; open {index}", [
                        "files": String($0.files), "subjects": String($0.subjects), "folder": $0.out,
                        "index": ($0.out as NSString).appendingPathComponent("index.html"),
                    ])
                }
            }
        }
    }
}

/// Writes the report's files, each by rename from a temporary file, so a browser reading the
/// folder never sees half a page.
enum ReportFolder {
    /// - Parameter permissions: the files' mode when not the umask's (0600 for files with birth dates).
    static func write(_ files: [String: String], into folder: String, permissions: Int? = nil) throws(LTFUError) {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let target = (folder as NSString).appendingPathComponent(path)
            let directory = (target as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let staging = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).tmp")
                try Data(text.utf8).write(to: URL(fileURLWithPath: staging))
                if let permissions { try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: staging) }
                guard rename(staging, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                let code = (error as? POSIXError)?.code ?? ((error as NSError).userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code
                let kind: LTFUError.Kind = switch code {
                case .EACCES?, .EPERM?, .EROFS?: .permission
                case .ENOSPC?, .EDQUOT?: .storageFull
                default: .data
                }
                throw LTFUError(kind, code: "report-unwritable", "cannot write {path}: {reason}", ["path": target, "reason": error.localizedDescription])
            }
        }
    }
}

extension Language: ExpressibleByArgument {}

/// Instants shown to people in the site's time zone, as `status` shows its day (UTC stays in
/// `--json`).
enum SiteTime {
    static func describe(_ instant: Date, zone identifier: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: instant)
    }

    /// An ISO 8601 timestamp from the API, in the site's zone; as given when it cannot be read.
    static func describe(_ timestamp: String?, zone identifier: String) -> String {
        guard let timestamp else { return "-" }
        let instant = (try? Date(timestamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(timestamp, strategy: .iso8601))
        guard let instant else { return timestamp }
        return describe(instant, zone: identifier)
    }
}
