#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore
import LTFUL10n

/// One HTTP/1.1 request and its answer over ltfud's Unix socket (SPEC §8), with blocking
/// calls: connect, send, read until ltfud closes (`Connection: close`).
///
/// Issue #15: ltfuctl is a short-lived process, and an event-loop HTTP client cost it more
/// than the whole answer (its threads, and the generic types it instantiates at start:
/// about a third of `ltfuctl due` at 100,000 subjects). The daemon speaks plain HTTP/1.1;
/// answers come with `Content-Length` or chunked (RFC 9112 §6, §7.1), both read here.
struct UnixSocketExchange {
    var socketPath: String
    var timeout: Duration
    /// Issue #22: the language ltfud words its errors in (`Accept-Language`, RFC 9110 §12.5.4).
    var language: Language = .english

    struct Answer {
        var status: Int
        var body: Data
    }

    /// Every failure is an ``LTFUError``: refused means ltfud is not running (69), no answer
    /// within `timeout` means it is busy (75), anything else on the way is "cannot talk to
    /// ltfud" (69) with the reason.
    /// - Parameter onChunk: when given, a successful answer of known length is handed over
    ///   piece by piece as it arrives (its `body` is then empty); any other answer is collected.
    func run(method: String, target: String, body: Data?, maximumBody: Int,
             onChunk: ((UnsafeRawBufferPointer) throws(LTFUError) -> Void)? = nil) throws(LTFUError) -> Answer {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(.verbatim("socket: \(Self.errorText())")) }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try connect(fd)

        var request = Data("\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n".utf8)
        if language == .chinese { request.append(Data("Accept-Language: \(language.tag)\r\n".utf8)) }
        if let body {
            request.append(Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
            request.append(body)
        } else {
            request.append(Data((method == "POST" ? "Content-Length: 0\r\n\r\n" : "\r\n").utf8))
        }
        try send(fd, request)
        return try receive(fd, maximumBody: maximumBody, onChunk: onChunk)
    }

    private func connect(_ fd: Int32) throws(LTFUError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw LTFUError(.usage, code: "invalid-socket", "`{path}` cannot be used as a socket path (too long)", ["path": socketPath])
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            if errno == ECONNREFUSED {
                // Issue #13: a socket file left by an ltfud that stopped refuses at once; say so.
                throw LTFUError(.unavailable, code: "daemon-not-running",
                                "ltfud is not running: nothing listens on {socket} (a socket file left by an ltfud that stopped); start it with `systemctl start ltfud`",
                                ["socket": socketPath])
            }
            throw failure(.verbatim("connect: \(Self.errorText())"))
        }
    }

    private func send(_ fd: Int32, _ data: Data) throws(LTFUError) {
        let sent: Int? = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                // MSG_NOSIGNAL: an ltfud that closes early must not kill ltfuctl with SIGPIPE.
                let count = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                offset += count
            }
            return offset
        }
        guard sent != nil else { throw errno == EAGAIN ? timedOut : failure(.verbatim("send: \(Self.errorText())")) }
    }

    /// Everything ltfud sends until it closes the connection.
    /// Reads the head, then the body: with `Content-Length` straight into a buffer of that
    /// size (a large `due` is 2 MB: no growing and copying), chunked or without a length until
    /// ltfud closes the connection.
    private func receive(_ fd: Int32, maximumBody: Int, onChunk: ((UnsafeRawBufferPointer) throws(LTFUError) -> Void)?) throws(LTFUError) -> Answer {
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Range<Int>?
        while headEnd == nil {
            let count = try checked(chunk.withUnsafeMutableBytes { readSome(fd, into: $0, from: 0) })
            guard count > 0 else { throw failure(.phrase("the answer ended before its headers did")) }
            head.append(contentsOf: chunk[0..<count])
            headEnd = head.firstRange(of: separator)
            guard head.count <= 64 * 1024 || headEnd != nil else { throw failure(.phrase("the answer's headers are too long")) }
        }
        guard let headEnd else { throw failure(.phrase("the answer ended before its headers did")) }
        let (status, length, chunked) = try parseHead(head[..<headEnd.lowerBound])
        let early = head[headEnd.upperBound...]
        if let length, !chunked, let onChunk, (200..<300).contains(status) {
            guard early.count <= length else { throw failure(.phrase("the answer is longer than its Content-Length")) }
            try handOver(early, to: onChunk)
            var received = early.count
            while received < length {
                let count = try checked(chunk.withUnsafeMutableBytes { readSome(fd, into: $0, from: 0) })
                guard count > 0 else { throw failure(.phrase("the answer ended after {received} of its {length} bytes", ["received": received, "length": length])) }
                let taken = min(count, length - received)
                try handOver(chunk[0..<taken], to: onChunk)
                received += taken
            }
            return Answer(status: status, body: Data())
        }
        if let length, !chunked {
            guard length <= maximumBody else { throw failure(.phrase("the answer is larger than {maximum} bytes", ["maximum": maximumBody])) }
            guard early.count <= length else { throw failure(.phrase("the answer is longer than its Content-Length")) }
            var body = Data(count: length)
            body.replaceSubrange(0..<early.count, with: early)
            var filled = early.count
            while filled < length {
                let count = try checked(body.withUnsafeMutableBytes { readSome(fd, into: $0, from: filled) })
                guard count > 0 else { throw failure(.phrase("the answer ended after {received} of its {length} bytes", ["received": filled, "length": length])) }
                filled += count
            }
            return Answer(status: status, body: body)
        }
        if chunked {
            // A successful answer is handed over as it arrives when asked (the site report:
            // a gigabyte at 100,000 subjects), else collected.
            let streaming = (200..<300).contains(status) ? onChunk : nil
            var decoder = ChunkedBody()
            var body = Data()
            let take = { (bytes: UnsafeRawBufferPointer) throws(LTFUError) -> Void in
                if let streaming { return try streaming(bytes) }
                body.append(contentsOf: bytes)
                guard body.count <= maximumBody else { throw failure(.phrase("the answer is larger than {maximum} bytes", ["maximum": maximumBody])) }
            }
            try decoder.take(early, failure: failure, take)
            while !decoder.ended {
                let count = try checked(chunk.withUnsafeMutableBytes { readSome(fd, into: $0, from: 0) })
                guard count > 0 else { throw failure(.phrase("a chunk of the answer is cut short")) }
                try decoder.take(chunk[0..<count], failure: failure, take)
            }
            return Answer(status: status, body: body)
        }
        var rest = Array(early)
        while true {
            let count = try checked(chunk.withUnsafeMutableBytes { readSome(fd, into: $0, from: 0) })
            if count == 0 { break }
            rest.append(contentsOf: chunk[0..<count])
            guard rest.count <= maximumBody + 64 * 1024 else { throw failure(.phrase("the answer is larger than {maximum} bytes", ["maximum": maximumBody])) }
        }
        return Answer(status: status, body: Data(rest))
    }

    /// One `read` into `buffer` from `offset` on: 0 at the end of the answer, -1 on an error
    /// (``checked(_:)`` names it from `errno`).
    private func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, from offset: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let count = read(fd, base + offset, buffer.count - offset)
            if count < 0, errno == EINTR { continue }
            return count
        }
    }

    private func checked(_ count: Int) throws(LTFUError) -> Int {
        guard count < 0 else { return count }
        throw errno == EAGAIN ? timedOut : failure(.verbatim("read: \(Self.errorText())"))
    }

    /// The status, `Content-Length` and whether the body is chunked.
    private func parseHead(_ bytes: ArraySlice<UInt8>) throws(LTFUError) -> (Int, Int?, Bool) {
        let head = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = head.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw failure(.phrase("the answer is not HTTP/1.1"))
        }
        var length: Int?, chunked = false
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding" { chunked = value.lowercased().contains("chunked") }
        }
        return (status, length, chunked)
    }

    /// Issue #23: ltfud took the connection, so it runs; a slow answer is a busy daemon (75),
    /// never "is it running?" (69).
    private var timedOut: LTFUError {
        LTFUError(.busy, code: "busy",
                  "ltfud is busy: it took the request but has not answered within {seconds} s (`ltfuctl status` says what it is doing). A change may still be made when its turn comes: check with `ltfuctl show` before repeating it",
                  ["seconds": timeout.components.seconds])
    }

    private func failure(_ reason: LTFUError.Value) -> LTFUError {
        LTFUError(.unavailable, code: "daemon-unreachable",
                  "cannot talk to ltfud at {socket}: {reason}. Is it running? Start it with `systemctl start ltfud`", ["socket": socketPath, "reason": reason])
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// RFC 9112 §7.1, read piece by piece as the answer arrives: size in hex (extensions
/// ignored), CRLF, data, CRLF; a zero size ends it (trailers are not read).
struct ChunkedBody {
    private var sizeLine: [UInt8] = []
    /// Bytes of data left in this chunk, then the CRLF after it.
    private var remaining = 0
    private var separator = 0
    private(set) var ended = false

    mutating func take(_ bytes: ArraySlice<UInt8>, failure: (LTFUError.Value) -> LTFUError,
                       _ data: (UnsafeRawBufferPointer) throws(LTFUError) -> Void) throws(LTFUError)
    {
        var index = bytes.startIndex
        while index < bytes.endIndex, !ended {
            if remaining > 0 {
                let end = min(bytes.endIndex, index + remaining)
                try handOver(bytes[index..<end], to: data)
                remaining -= end - index
                index = end
                if remaining == 0 { separator = 2 }
            } else if separator > 0 {
                separator -= 1
                index += 1
            } else {
                let byte = bytes[index]
                index += 1
                guard byte == 10 else {
                    sizeLine.append(byte)
                    guard sizeLine.count <= 1024 else { throw failure(.phrase("a chunk of the answer has no size")) }
                    continue
                }
                let text = String(decoding: sizeLine, as: UTF8.self).split(separator: ";").first ?? ""
                sizeLine.removeAll(keepingCapacity: true)
                guard let size = Int(text.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), size >= 0 else {
                    throw failure(.phrase("a chunk of the answer has no size"))
                }
                if size == 0 { ended = true } else { remaining = size }
            }
        }
    }
}

/// `withUnsafeBytes` for a handler that throws only ``LTFUError`` (the standard library's
/// rethrows an untyped error).
func handOver(_ bytes: some ContiguousBytes, to handler: (UnsafeRawBufferPointer) throws(LTFUError) -> Void) throws(LTFUError) {
    var failure: LTFUError?
    bytes.withUnsafeBytes { pointer in
        do throws(LTFUError) { try handler(pointer) } catch { failure = error }
    }
    if let failure { throw failure }
}
