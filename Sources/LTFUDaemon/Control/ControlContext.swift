#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import LTFUCore
import NIOCore

/// The request context of the control API: the connection, so the caller's credentials can
/// be read from it.
public struct ControlContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by the access check before any route runs.
    public var peer: PeerCredentials?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// SPEC §7: an oversized request is refused before it is read whole.
    public var maxUploadSize: Int { ControlContext.maximumBodySize }
    public static let maximumBodySize = 64 * 1024
}

/// `struct ucred` of <sys/socket.h> (pid, uid, gid), which Glibc's module map does not export
/// without _GNU_SOURCE. Same layout: three 32-bit fields.
struct UCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Reads the peer's credentials from a Unix socket connection with SO_PEERCRED.
public enum PeerCredentialReader {
    @Sendable public static func read(_ channel: any Channel) async throws(LTFUError) -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw LTFUError(.permission, code: "permission-denied", "the caller cannot be identified on this connection")
        }
        do {
            let credentials: UCred = try await provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET),
                                                                                name: SocketOptionName(SO_PEERCRED)).get()
            return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
        } catch {
            throw LTFUError(.permission, code: "permission-denied", "the caller cannot be identified: {reason}", ["reason": "\(error)"])
        }
    }
}
