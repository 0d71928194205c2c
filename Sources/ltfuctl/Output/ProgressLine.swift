#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUL10n
import LTFUWire
import Synchronization

/// Issue #23: while a long import runs, one line on the terminal says how far ltfud got
/// (`import: 12,000 of 30,000 subjects written`), read from `status` over a second
/// connection every half second, on a thread of its own: the import's own request blocks
/// its thread until the answer. Only when stdout is a terminal and not with `--json`; the
/// line is wiped before the result is printed.
final class ProgressLine: Sendable {
    private let socketPath: String
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    private init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Starts polling when stdout is a terminal and `json` is off; `nil` otherwise.
    static func start(socketPath: String, json: Bool) -> ProgressLine? {
        guard !json, isatty(STDOUT_FILENO) == 1 else { return nil }
        let line = ProgressLine(socketPath: socketPath)
        let thread = Thread { line.poll() }
        thread.start()
        return line
    }

    /// Stops polling and wipes the line.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
    }

    private func poll() {
        var shown = false
        while !stopped.load(ordering: .relaxed) {
            if let activity = Self.activity(socketPath: socketPath) {
                writeStandardOutput(Data("\r\u{1B}[K\(Self.describe(activity))".utf8))
                shown = true
            }
            for _ in 0..<5 where !stopped.load(ordering: .relaxed) { usleep(100_000) }
        }
        if shown { writeStandardOutput(Data("\r\u{1B}[K".utf8)) }
        finished.signal()
    }

    static func activity(socketPath: String) -> ActivityResponse? {
        guard let answer = try? UnixSocketExchange(socketPath: socketPath, timeout: .seconds(2))
            .run(method: "GET", target: APIPath.status, body: nil, maximumBody: 1 << 20),
            answer.status == 200 else { return nil }
        return (try? WireJSON.decoder().decode(StatusResponse.self, from: answer.body))?.activity
    }

    /// `import of subjects.csv: 30000 rows checked, 12000 of 30000 subjects written`.
    static func describe(_ activity: ActivityResponse, _ tr: Localizer = Localizer(Ctl.language)) -> String {
        guard activity.subjectsTotal > 0 else { return tr("import of {file}: checking the rows", ["file": activity.file]) }
        return tr("import of {file}: {rows} rows checked, {handled} of {total} subjects written",
                  ["file": activity.file, "rows": String(activity.rowsChecked), "handled": String(activity.subjectsHandled),
                   "total": String(activity.subjectsTotal)])
    }
}
