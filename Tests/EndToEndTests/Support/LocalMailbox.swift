import Foundation
import Testing

/// A local user of its own for one test's mail through exim4, with an empty mailbox; removed
/// again, home and mailbox with it, when the test drops it (issue #16: nothing stays on the
/// host). The user comes from ``HostAccounts``, named after `role` with a suffix of its own,
/// so suites running at once never share a mailbox.
final class LocalMailbox: Sendable {
    private let accounts: HostAccounts
    let user: String
    var path: String { "/var/mail/\(user)" }

    init(role: String) throws {
        try HostRequirement.root("a local mail user and exim4's delivery")
        try HostRequirement.program("/usr/sbin/exim4", package: "exim4-daemon-light")
        accounts = HostAccounts()
        // A home, as exim's local delivery wants.
        user = try accounts.user(role, home: true)
        let made = try BuiltBinaries.run(path: "/bin/sh", ["-c", ": > /var/mail/\(user) && chown \(user):mail /var/mail/\(user)"])
        guard made.status == 0 else { throw HostAccounts.Failure(description: "an empty mailbox for \(user): \(made.stderr)") }
    }

    /// `userdel -r` removes the mailbox with the user.
    deinit { accounts.removeAll() }

    /// The mbox as it is now.
    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
