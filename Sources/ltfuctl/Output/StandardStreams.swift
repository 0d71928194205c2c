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
    try? FileHandle.standardOutput.write(contentsOf: data)
}
