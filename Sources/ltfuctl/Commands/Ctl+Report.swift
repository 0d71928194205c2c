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
                let written = try await ReportFolder.receive(from: global.client, language: language, into: out)
                try global.output(written) {
                    tr("Wrote {files} files for {subjects} subjects to {folder}; open {index}", [
                        "files": String($0.files), "subjects": String($0.subjects), "folder": $0.out,
                        "index": ($0.out as NSString).appendingPathComponent("index.html"),
                    ])
                }
            }
        }
    }
}

/// Writes the report's files as ltfud sends them (a tar stream, ``TarArchive``), each by
/// rename from a temporary file, so a browser reading the folder never sees half a page;
/// `index.html` comes last.
enum ReportFolder {
    static func receive(from client: DaemonClient, language: Language?, into folder: String) async throws(LTFUError) -> Ctl.Report.Written {
        var reader = TarArchive.Reader()
        var files = 0, subjects = 0
        let known = KnownFolders()
        try await client.stream(APIPath.report, query: language.map { [("language", $0.rawValue)] } ?? []) { bytes throws(LTFUError) in
            try reader.take(bytes) { path, contents throws(LTFUError) in
                try write(contents, to: path, in: folder, folders: known)
                files += 1
                if path.hasPrefix("subjects/") { subjects += 1 }
            }
        }
        guard reader.ended else {
            throw LTFUError(.unavailable, code: "report-incomplete",
                            "ltfud ended the report after {files} files (it may be stopping); index.html was not replaced: run `ltfuctl report` again",
                            ["files": files])
        }
        return Ctl.Report.Written(out: folder, files: files, subjects: subjects)
    }

    /// Files made here whole (the CSV export), each by rename as a page of the report is.
    static func write(_ files: [String: String], into folder: String, permissions: Int? = nil) throws(LTFUError) {
        let folders = KnownFolders()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try write(Array(text.utf8), to: path, in: folder, folders: folders, permissions: permissions)
        }
    }

    /// The folders made so far, so each is made once, not once per page.
    final class KnownFolders {
        var made: Set<String> = []
    }

    /// - Parameter permissions: the file's mode when not the umask's (0600 for files with birth dates).
    static func write(_ contents: some Collection<UInt8>, to path: String, in folder: String, folders: KnownFolders = KnownFolders(),
                      permissions: Int? = nil) throws(LTFUError)
    {
        let target = (folder as NSString).appendingPathComponent(path)
        let directory = (target as NSString).deletingLastPathComponent
        do {
            if !folders.made.contains(directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                folders.made.insert(directory)
            }
            let staging = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).tmp")
            try Data(contents).write(to: URL(fileURLWithPath: staging))
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

extension Language: ExpressibleByArgument {}
