import LTFUCore

/// The report travels from ltfud to ltfuctl as a POSIX tar stream (ustar, POSIX.1-1988, as
/// GNU tar and Python's `tarfile` read it): one regular file after another, each a 512-byte
/// header and its bytes padded to 512, then two empty blocks. A standard any tool can read
/// (`curl --unix-socket … | tar -x`), needing no length up front, so each page leaves the
/// daemon as soon as it is made.
public enum TarArchive {
    static let block = 512

    /// One file's header and bytes, padded to a whole block.
    public static func entry(path: String, contents: some Collection<UInt8>, modified: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: block)
        let (prefix, name) = split(path)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 7)
        put(octal(0, width: 8), at: 108, width: 7)
        put(octal(0, width: 8), at: 116, width: 7)
        put(octal(contents.count, width: 12), at: 124, width: 11)
        put(octal(modified, width: 12), at: 136, width: 11)
        put("        ", at: 148, width: 8)
        header[156] = UInt8(ascii: "0")
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148, width: 6)
        header[154] = 0
        header[155] = UInt8(ascii: " ")
        var out = header
        out.reserveCapacity(block + contents.count + block)
        out.append(contentsOf: contents)
        out.append(contentsOf: [UInt8](repeating: 0, count: (block - contents.count % block) % block))
        return out
    }

    /// The end of the archive.
    public static let end = [UInt8](repeating: 0, count: 2 * 512)

    /// A path as ustar's prefix (the folders) and name, each within its field.
    static func split(_ path: String) -> (prefix: String, name: String) {
        guard path.utf8.count > 100, let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// Reads a tar stream piece by piece as it arrives, handing over each regular file whole
    /// (a page of the report: kilobytes). Refuses what the report never sends: links, paths
    /// leaving the folder, damaged headers.
    public struct Reader {
        private var pending: [UInt8] = []
        private var current: (path: String, size: Int)?
        /// The two empty blocks have been read.
        public private(set) var ended = false

        public init() {}

        /// Takes the next bytes of the stream; `file` gets each file completed by them.
        public mutating func take(_ bytes: UnsafeRawBufferPointer, file: (String, ArraySlice<UInt8>) throws(LTFUError) -> Void) throws(LTFUError) {
            guard !ended else { return }
            pending.append(contentsOf: bytes)
            var offset = 0
            defer { pending.removeFirst(offset) }
            while true {
                if let entry = current {
                    let padded = entry.size + (TarArchive.block - entry.size % TarArchive.block) % TarArchive.block
                    guard pending.count - offset >= padded else { return }
                    try file(entry.path, pending[offset..<(offset + entry.size)])
                    offset += padded
                    current = nil
                }
                guard pending.count - offset >= TarArchive.block else { return }
                let header = pending[offset..<(offset + TarArchive.block)]
                offset += TarArchive.block
                if header.allSatisfy({ $0 == 0 }) {
                    ended = true
                    return
                }
                current = try Self.parse(header)
            }
        }

        static func parse(_ header: ArraySlice<UInt8>) throws(LTFUError) -> (path: String, size: Int) {
            let base = header.startIndex
            func field(_ offset: Int, _ width: Int) -> String {
                let bytes = header[(base + offset)..<(base + offset + width)]
                return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            func number(_ offset: Int, _ width: Int) -> Int? {
                Int(field(offset, width).filter { $0 != " " }, radix: 8)
            }
            var sum = 0
            for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
            guard field(257, 5) == "ustar", number(148, 8) == sum, let size = number(124, 12) else {
                throw LTFUError(.internal, code: "unexpected-answer", "cannot read ltfud's answer: {reason}", ["reason": LTFUError.Value.phrase("a damaged tar header")])
            }
            let prefix = field(345, 155), name = field(0, 100)
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let type = header[base + 156]
            guard type == UInt8(ascii: "0") || type == 0, !path.isEmpty, !path.hasPrefix("/"),
                  !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
                throw LTFUError(.internal, code: "unexpected-answer", "cannot read ltfud's answer: {reason}",
                                ["reason": LTFUError.Value.phrase("a file the report does not make: {path}", ["path": path])])
            }
            return (path, size)
        }
    }
}
