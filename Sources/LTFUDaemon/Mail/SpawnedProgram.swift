#if canImport(Glibc)
import Glibc
#endif

/// A child program started the way systemd starts a service's processes: every signal at its
/// default action and unblocked, and no descriptor inherited but 0, 1 and 2.
///
/// Foundation's `Process` passes on the spawning thread's signal mask (a dispatch or NIO thread
/// blocks nearly every signal) and ltfud's ignored signals (SIGPIPE, and SIGTERM under
/// ServiceLifecycle), so a sendmail started through it could not be stopped with SIGTERM.
struct SpawnedProgram {
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t

    /// Starts `path` with `arguments` (argv[1...]) and `descriptors` dup'ed onto 0, 1 and 2,
    /// or gives the `errno` of a program that cannot be started.
    static func spawn(_ path: String, arguments: [String], descriptors: (Int32, Int32, Int32)) -> Result<SpawnedProgram, Errno> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, descriptors.0, 0)
        posix_spawn_file_actions_adddup2(&actions, descriptors.1, 1)
        posix_spawn_file_actions_adddup2(&actions, descriptors.2, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        return result == 0 ? .success(SpawnedProgram(pid: pid)) : .failure(Errno(result))
    }

    /// Blocks the calling thread until the program ends (`.exited(-1)` if it cannot be waited
    /// for, which only a second reaper of ltfud's children could cause).
    func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }

    /// Closes every descriptor from 3 up in the child: glibc's `addclosefrom_np` (2.34 and
    /// later; Swift does not import it) or, without it, each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2, fd != own {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
    }
}

/// An `errno` value with its text.
struct Errno: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { String(cString: strerror(code)) }
}
