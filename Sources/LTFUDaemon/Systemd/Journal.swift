#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Structured entries to journald through `sd_journal_sendv` (the native protocol), so
/// `journalctl LTFU_SUBJECT=S01-001` finds them. Returns 0 also when no journald listens.
public enum Journal {
    @discardableResult
    public static func send(_ fields: [(String, String)]) -> Int32 {
        // One "KEY=value" buffer per field, alive for the duration of the call.
        let buffers = fields.map { key, value -> UnsafeMutableBufferPointer<UInt8> in
            let bytes = Array("\(key)=\(value)".utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = buffer.initialize(from: bytes)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        let vectors = buffers.map { iovec(iov_base: UnsafeMutableRawPointer($0.baseAddress), iov_len: $0.count) }
        return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
    }
}
