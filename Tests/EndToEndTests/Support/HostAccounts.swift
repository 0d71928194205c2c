import Foundation
import Testing

/// Real users and groups for one test, named `ltfue2e-<role>-<suffix>` with a suffix of its
/// own, so suites running at once (Swift Testing runs them in parallel) never create, use or
/// remove each other's accounts. Every command's exit status is checked: a creation that
/// fails throws with the command's stderr, a removal that fails is recorded as an issue.
/// What it made is removed by ``removeAll()`` (call it in a `defer`) or else on deinit
/// (issue #16: nothing stays on the host; `scripts/lib/host-footprint` looks for `^ltfue2e`).
final class HostAccounts: @unchecked Sendable {
    /// The prefix host-footprint looks for.
    static let prefix = "ltfue2e"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Six lowercase letters and digits, new for each instance.
    let suffix: String
    private let lock = NSLock()
    /// What was made, in order: users with whether they have a home, and groups.
    private var made: [(name: String, isUser: Bool, home: Bool)] = []

    /// useradd, groupadd and userdel lock /etc/passwd and /etc/group; the tests of this
    /// process take turns, so none waits on another's lock.
    private static let commands = NSLock()

    init() {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        suffix = String((0..<6).map { _ in letters.randomElement()! })
    }

    deinit { removeAll() }

    /// `ltfue2e-<role>-<suffix>`; Linux names have at most 32 characters.
    func name(_ role: String) throws -> String {
        let name = "\(Self.prefix)-\(role)-\(suffix)"
        guard name.count <= 32 else { throw Failure(description: "account name \(name) is longer than 32 characters") }
        return name
    }

    /// A new group.
    @discardableResult
    func group(_ role: String) throws -> String {
        let name = try name(role)
        try Self.run("/usr/sbin/groupadd", [name])
        lock.withLock { made.append((name, false, false)) }
        return name
    }

    /// A new user with a login shell of nologin and a primary group of its own name (as
    /// `setpriv --regid <user>` wants), in `groups` besides; with a home when `home`.
    @discardableResult
    func user(_ role: String, groups: [String] = [], home: Bool = false) throws -> String {
        let name = try name(role)
        try Self.run("/usr/sbin/useradd", [home ? "-m" : "-M", "-U", "-s", "/usr/sbin/nologin"]
                     + (groups.isEmpty ? [] : ["-G", groups.joined(separator: ",")]) + [name])
        lock.withLock { made.append((name, true, home)) }
        return name
    }

    /// Removes what this instance made, newest first (users before the groups they are in).
    func removeAll() {
        let accounts = lock.withLock { () -> [(name: String, isUser: Bool, home: Bool)] in
            defer { made = [] }
            return made.reversed()
        }
        for account in accounts {
            do {
                if account.isUser {
                    // `-r`: the home and the mail spool go too.
                    try Self.run("/usr/sbin/userdel", (account.home ? ["-r"] : []) + [account.name])
                    // The user's own group goes with it (USERGROUPS_ENAB); remove it if it stayed.
                    if try Self.exists("group", account.name) { try Self.run("/usr/sbin/groupdel", [account.name]) }
                } else {
                    try Self.run("/usr/sbin/groupdel", [account.name])
                }
            } catch {
                Issue.record("removing \(account.name): \(error)")
            }
        }
    }

    /// Whether `getent <database> <name>` finds it (status 2: not found).
    static func exists(_ database: String, _ name: String) throws -> Bool {
        let result = try BuiltBinaries.run(path: "/usr/bin/getent", [database, name])
        guard result.status == 0 || result.status == 2 else {
            throw Failure(description: "getent \(database) \(name) exited \(result.status): \(result.stderr)")
        }
        return result.status == 0
    }

    /// Runs an account command; throws with its stderr unless it exits 0.
    static func run(_ path: String, _ arguments: [String]) throws {
        let result = try commands.withLock { try BuiltBinaries.run(path: path, arguments) }
        guard result.status == 0 else {
            throw Failure(description: "\(([path] + arguments).joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
    }
}
