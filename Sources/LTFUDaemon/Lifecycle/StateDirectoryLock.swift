#if canImport(Glibc)
import Glibc
#endif
import LTFUCore

/// An exclusive `flock` on `<state>/ltfud.lock`, held for the daemon's life, so two daemons
/// never share one database (the socket would be taken over silently otherwise).
public final class StateDirectoryLock: Sendable {
    private let descriptor: Int32

    public init(path: String) throws(LTFUError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw LTFUError(.configuration, code: "state-directory-unusable", "cannot open {path}: {reason}", ["path": path, "reason": String(cString: strerror(errno))])
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw LTFUError(.unavailable, code: "already-running", "another ltfud already uses this state directory ({path} is locked)", ["path": path])
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }
}
