import Crypto
import Foundation
import LTFUCore

/// The secret the audit chain is keyed with (SPEC §7, issue #13): each row's hash is an
/// HMAC-SHA256 under it, so whoever can write the database but cannot read the key cannot
/// rebuild a valid chain. The database never holds it: systemd passes it as the credential
/// `audit-key` (`LoadCredential=audit-key:/etc/ltfu/audit.key`, created at install), or
/// `[audit] key_file` names a file for tests and demos.
public struct AuditKey: Sendable {
    /// The credential's name under `$CREDENTIALS_DIRECTORY`.
    public static let credentialName = "audit-key"
    /// Fewer bytes than SHA-256's output would weaken the HMAC (RFC 2104 §3).
    public static let minimumBytes = 32

    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    let bytes: [UInt8]

    public init(bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// Reads a key file: its bytes as they are (what `head -c 32 /dev/urandom` writes).
    public init(contentsOf path: String) throws(LTFUError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LTFUError(.configuration, code: "audit-key-unreadable",
                            "cannot read the audit key {path} (create it with: umask 077; head -c 32 /dev/urandom >{path})", ["path": path])
        }
        guard data.count >= Self.minimumBytes else {
            throw LTFUError(.configuration, code: "audit-key-too-short",
                            "the audit key {path} is {bytes} bytes; it needs at least {minimum} (head -c 32 /dev/urandom)",
                            ["path": path, "bytes": data.count, "minimum": Self.minimumBytes])
        }
        self.init(bytes: data)
    }

    /// Names the key without revealing it, in the row that starts the keyed chain, so ltfud
    /// can tell another key (a restore onto a new host, a reinstall) from a tampered row.
    var id: String { String(authenticationCode("ltfu audit key id").prefix(16)) }

    func authenticationCode(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes)).map { String(format: "%02x", $0) }.joined()
    }
}
