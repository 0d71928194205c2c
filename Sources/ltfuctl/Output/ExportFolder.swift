#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore

/// Issue #24: an export folder is there whole or not at all. Every file is written into a
/// staging folder first, and only when all of them are complete do they take their places: a
/// new folder by one rename of the staging folder (made beside it), an existing one file by file
/// (each a rename, staged inside it, so on the same file system). Any failure removes the staging
/// folder and leaves what was there before; every failure is exit 73 and names the path.
enum ExportFolder {
    /// - Parameters:
    ///   - files: name and text, written as they are.
    ///   - replacing: names an earlier export may have left that this one does not write (a
    ///     `co.json` of an export with text, when this one has none); they are removed.
    ///   - permissions: the files' mode (0600 for free text), else the umask's.
    static func write(_ files: [(name: String, text: String)], into folder: String, replacing: [String] = [],
                      permissions: mode_t? = nil) throws(LTFUError)
    {
        let target = (folder as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue { throw failure(target, "it exists and is not a folder") }
        let parent = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        if !exists {
            var parentIsDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &parentIsDirectory), parentIsDirectory.boolValue else {
                throw failure(target, "its parent `\(parent)` is not an existing folder")
            }
        }
        let stagingParent = exists ? target : parent
        var template = Array(((stagingParent as NSString).appendingPathComponent(".ltfu-export-XXXXXX")).utf8CString)
        guard let made = mkdtemp(&template) else { throw failure(target, String(cString: strerror(errno))) }
        let staging = String(cString: made)
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(atPath: staging) } }
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.name)
            guard FileManager.default.createFile(atPath: path, contents: Data(file.text.utf8)) else {
                throw failure(target, "cannot write \(file.name): \(String(cString: strerror(errno)))")
            }
            if let permissions, chmod(path, permissions) != 0 { throw failure(target, String(cString: strerror(errno))) }
        }
        if exists {
            for file in files {
                guard rename((staging as NSString).appendingPathComponent(file.name), (target as NSString).appendingPathComponent(file.name)) == 0 else {
                    throw failure(target, "cannot put \(file.name) in place: \(String(cString: strerror(errno)))", nothingWritten: false)
                }
            }
            for stale in replacing where !files.contains(where: { $0.name == stale }) {
                unlink((target as NSString).appendingPathComponent(stale))
            }
            placed = true
            rmdir(staging)
        } else {
            // mkdtemp makes the folder 0700; a new export folder gets what the umask gives.
            let mask = umask(0)
            umask(mask)
            guard chmod(staging, 0o777 & ~mask) == 0, rename(staging, target) == 0 else {
                throw failure(target, String(cString: strerror(errno)))
            }
            placed = true
        }
    }

    static func failure(_ path: String, _ reason: String, nothingWritten: Bool = true) -> LTFUError {
        nothingWritten
            ? LTFUError(.cannotCreate, code: "export-unwritable", "cannot write the export to `{path}` (--out): {reason}; nothing was written",
                        ["path": path, "reason": reason])
            : LTFUError(.cannotCreate, code: "export-unwritable",
                        "cannot write the export to `{path}` (--out): {reason}; the files before it were replaced, export again",
                        ["path": path, "reason": reason])
    }
}
