import ArgumentParser
import Foundation
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl backup FILE`: an online SQLite backup taken by the daemon.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: tr("Write an online backup of the database to FILE (write group only: it holds birth dates)."),
            discussion: tr("Restore: stop ltfud, copy FILE to /var/lib/ltfu/ltfu.sqlite (owned by ltfu, mode 0640), start ltfud; it checks the file at start."))

        @Argument(help: ArgumentHelp(tr("Where to write the backup; it must not exist."))) var file: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                guard !FileManager.default.fileExists(atPath: file) else {
                    throw LTFUError(.data, code: "file-exists", "{path} already exists; choose a new name", ["path": file])
                }
                let data = try await global.client.postForData(APIPath.backup)
                let temporary = file + ".partial"
                guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                    throw LTFUError(.data, code: "unwritable-file", "cannot write {path}", ["path": temporary])
                }
                do {
                    try FileManager.default.moveItem(atPath: temporary, toPath: file)
                } catch {
                    throw LTFUError(.data, code: "unwritable-file", "cannot create {path}: {reason}", ["path": file, "reason": error.localizedDescription])
                }
                if global.json {
                    print(#"{"file":"\#(file)","bytes":\#(data.count)}"#)
                } else {
                    print(tr("Backup written to {file} ({bytes} bytes).", ["file": file, "bytes": String(data.count)]))
                }
            }
        }
    }
}
