/// A refused input or a failed action, with a stable code and a message a coordinator
/// understands (STYLE.md habit 6). The daemon sends it as JSON, the CLI prints the message
/// and maps its ``Kind`` to a sysexits code; neither invents its own wording.
public struct LTFUError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which class of failure this is; decides the exit code and the HTTP status.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The command line or request is malformed (wrong flags, missing fields).
        case usage
        /// The input is well formed but refused (impossible date, contradictory product, …).
        case data
        /// The named subject, visit or product does not exist.
        case notFound
        /// The input conflicts with what is stored (duplicate enrollment, ending twice, …).
        case conflict
        /// A configuration, product or schedule file is broken.
        case configuration
        /// The caller may not do this.
        case permission
        /// A needed service (the daemon, sendmail) cannot be reached.
        case unavailable
        /// The disk holding the database is full: nothing was written (issue #13).
        case storageFull
        /// Issue #24: an output file or folder the caller named cannot be made (`--out`).
        case cannotCreate
        /// Issue #23: another long write (an import) holds the store past the wait a change
        /// is given; nothing was changed, and trying again later will do.
        case busy
        /// Something failed that is not the caller's fault.
        case `internal`
    }

    /// A stable, kebab-case identifier such as `invalid-date` or `unclassifiable-product`.
    public var code: String
    public var kind: Kind
    /// One or more sentences naming the thing that is wrong and, where possible, the fix.
    public var message: String

    public init(_ kind: Kind, code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
