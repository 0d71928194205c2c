#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What some end-to-end tests need of the host: root (mount namespaces, real users), exim4,
/// msmtp. A test whose need is not met fails and says so; it never vanishes from a green run
/// (issue #16). `scripts/test` installs every program named here, and CI runs as root.
enum HostRequirement {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func root(_ why: String) throws {
        guard getuid() == 0 else {
            throw Missing(description: "this test needs root (\(why)); run the suite as root, as scripts/test does in CI")
        }
    }

    static func program(_ path: String, package: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "this test needs \(path) from the Debian package \(package); scripts/test installs it")
        }
    }
}
