import Foundation
import Testing

/// A local user of its own for one test's mail through exim4, with an empty mailbox; removed
/// again when the test drops it (issue #16: nothing stays on the host). Each suite names its
/// own user, so suites running at once never share a mailbox.
final class LocalMailbox {
    let user: String
    var path: String { "/var/mail/\(user)" }

    init(user: String) throws {
        try HostRequirement.root("a local mail user and exim4's delivery")
        try HostRequirement.program("/usr/sbin/exim4", package: "exim4-daemon-light")
        self.user = user
        let useradd = try BuiltBinaries.run(path: "/usr/sbin/useradd", ["-m", "-U", "-s", "/usr/sbin/nologin", user])
        #expect(useradd.status == 0, "useradd \(user): \(useradd.stderr)")
        let made = try BuiltBinaries.run(path: "/bin/sh", ["-c", ": > /var/mail/\(user) && chown \(user):mail /var/mail/\(user)"])
        #expect(made.status == 0, "\(made.stderr)")
    }

    deinit {
        _ = try? BuiltBinaries.run(path: "/usr/sbin/userdel", ["-r", user])
        _ = try? BuiltBinaries.run(path: "/bin/rm", ["-f", "/var/mail/\(user)"])
    }

    /// The mbox as it is now.
    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
