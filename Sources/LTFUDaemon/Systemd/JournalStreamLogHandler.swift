import Foundation
import Logging

/// The daemon's own log lines on stderr. Under systemd (`JOURNAL_STREAM` set) each line
/// starts with its syslog priority `<N>`, so journald files it at the right level.
public struct JournalStreamLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let prefixPriority: Bool

    public init(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        prefixPriority = environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let priority = switch event.level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
        let line = (prefixPriority ? "<\(priority)>" : "\(event.level): ") + "\(event.message)\n"
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}
