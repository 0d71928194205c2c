import Foundation
import Testing

/// The result of running one of the real binaries.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Decodes stdout as JSON.
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(stdout.utf8))
    }

    /// Stdout as a JSON object or array, for checking exact keys.
    func jsonObject() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}

/// Finds and runs the binaries `swift build` put beside the test bundle
/// (or in `LTFU_BIN_DIR`, for running the tests against an installed build).
enum BuiltBinaries {
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["LTFU_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        // On Linux the runner is `<bin>/ltfuPackageTests.xctest`; elsewhere it may sit deeper in a bundle.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("ltfuctl").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Runs a binary to completion with no standard input.
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try run(path: url(name).path, arguments, environment: environment)
    }

    /// - Parameter input: what the program reads on standard input (nothing when `nil`).
    static func run(path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files, not pipes: a daemon started by another test at the same moment
        // could inherit a pipe's write end and keep it open forever.
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-out-\(UUID().uuidString)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let inURL = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-in-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: inURL) }
        if let input {
            try Data(input.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CommandResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    static func ctl(_ arguments: String..., environment: [String: String] = [:]) throws -> CommandResult {
        try run("ltfuctl", arguments, environment: environment)
    }
}

/// A bash prelude that closes every inherited descriptor above 2, for a background process
/// (journald, an MTA) that must not hold the test runner's descriptors open: Foundation's
/// `Process` waits for those to close before it reaps a child.
let closeInheritedDescriptors = #"shopt -s nullglob; for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done"#

/// The repository's root, for the shipped `etc/` examples.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
