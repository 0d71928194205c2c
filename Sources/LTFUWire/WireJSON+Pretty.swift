import Foundation

extension WireJSON {
    /// The daemon's compact JSON laid out as `WireJSON.encoder(pretty: true)` lays it out (two
    /// spaces a level, `"key" : value`), byte by byte, without decoding it: `ltfuctl due --json`
    /// prints a large answer this way (issue #15). Strings are copied as they are.
    public static func prettyPrinted(_ compact: Data) -> Data {
        var out = Data()
        compact.withUnsafeBytes { raw in prettyPrint(raw) { out.append(contentsOf: $0) } }
        return out
    }

    /// The same, handed to `write` in pieces of about 64 KiB (a large answer is never whole
    /// twice in memory), over the bytes as they are (not Data's per-byte iteration).
    public static func prettyPrint(_ compact: UnsafeRawBufferPointer, to write: (UnsafeRawBufferPointer) -> Void) {
        var printer = PrettyPrinter()
        printer.feed(compact, to: write)
        printer.finish(to: write)
    }

    /// ``prettyPrint(_:to:)`` as a state machine fed the answer as it arrives (`ltfuctl due
    /// --json` lays out what came while ltfud sends the rest: issue #15).
    public struct PrettyPrinter {
        var out: [UInt8] = []
        var depth = 0, inString = false, escaped = false, opened = false

        public init() {
            out.reserveCapacity(80 * 1024)
        }

        mutating func newline() {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<(2 * max(0, depth)) { out.append(UInt8(ascii: " ")) }
        }

        public mutating func feed(_ bytes: UnsafeRawBufferPointer, to write: (UnsafeRawBufferPointer) -> Void) {
            for byte in bytes {
                if out.count >= 64 * 1024 {
                    out.withUnsafeBytes(write)
                    out.removeAll(keepingCapacity: true)
                }
                if inString {
                    out.append(byte)
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
                // The encoder writes an empty container as `[`, an empty line, and `]` indented.
                if opened {
                    opened = false
                    if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        depth -= 1
                        out.append(UInt8(ascii: "\n"))
                        newline()
                        out.append(byte)
                        continue
                    }
                    newline()
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                    out.append(byte)
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    out.append(byte)
                    depth += 1
                    opened = true
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    newline()
                    out.append(byte)
                case UInt8(ascii: ","):
                    out.append(byte)
                    newline()
                case UInt8(ascii: ":"):
                    // Three appends, not `+= [...]`: an array per key was most of a large answer's time.
                    out.append(UInt8(ascii: " "))
                    out.append(UInt8(ascii: ":"))
                    out.append(UInt8(ascii: " "))
                default:
                    out.append(byte)
                }
            }
        }

        /// Writes what is left.
        public mutating func finish(to write: (UnsafeRawBufferPointer) -> Void) {
            out.withUnsafeBytes(write)
            out.removeAll(keepingCapacity: true)
        }
    }
}
