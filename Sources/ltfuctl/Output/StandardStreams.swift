#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LTFUWire

/// `print(..., to: &standardError)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        try? FileHandle.standardError.write(contentsOf: Data(string.utf8))
    }
}

/// Writes a `--json` result on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let data = try WireJSON.encoder(pretty: true).encode(value)
    print(String(decoding: data, as: UTF8.self))
}

/// Writes bytes on stdout as they are (a command that uses it prints nothing before).
func writeStandardOutput(_ data: Data) {
    data.withUnsafeBytes { writeStandardOutput($0) }
}

/// The same from any bytes, without copying them first (a large `due` table: issue #15).
func writeStandardOutput(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count, let base = bytes.baseAddress {
        let count = write(1, base + offset, bytes.count - offset)
        if count < 0 {
            if errno == EINTR { continue }
            return  // stdout closed (`ltfuctl due | head`): nothing more to say
        }
        offset += count
    }
}
