import Foundation

/// Where ltfud reads and writes. SPEC §8: command-line flags win, then systemd's
/// `CONFIGURATION_DIRECTORY`, `STATE_DIRECTORY` and `RUNTIME_DIRECTORY`, then the defaults.
public struct DaemonPaths: Sendable, Hashable {
    public var configFile: String
    public var stateDirectory: String
    public var socket: String

    public var database: String { (stateDirectory as NSString).appendingPathComponent("ltfu.sqlite") }
    public var lockFile: String { (stateDirectory as NSString).appendingPathComponent("ltfud.lock") }
    public var notificationsDirectory: String { (stateDirectory as NSString).appendingPathComponent("notifications") }

    public init(config: String?, stateDirectory: String?, socket: String?,
                environment: [String: String] = ProcessInfo.processInfo.environment)
    {
        // systemd may pass several colon-separated directories; the first is ours.
        func first(_ key: String) -> String? {
            environment[key].flatMap { $0.split(separator: ":").first.map(String.init) }
        }
        configFile = config ?? ((first("CONFIGURATION_DIRECTORY") ?? "/etc/ltfu") as NSString).appendingPathComponent("ltfud.toml")
        self.stateDirectory = stateDirectory ?? first("STATE_DIRECTORY") ?? "/var/lib/ltfu"
        self.socket = socket ?? ((first("RUNTIME_DIRECTORY") ?? "/run/ltfu") as NSString).appendingPathComponent("ltfud.sock")
    }
}
