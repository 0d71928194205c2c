#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import LTFUCore
import LTFUWire
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to ltfud over its Unix socket (SPEC §8: HTTP/1.1 + JSON). Every failure comes back
/// as an ``LTFUError`` whose kind gives the exit code.
struct DaemonClient {
    var socketPath: String
    static let timeout: TimeAmount = .seconds(30)
    static let maximumResponse = 256 * 1024 * 1024

    func get<Response: Decodable>(_ path: String, query: [(String, String)] = [], as _: Response.Type = Response.self)
        async throws(LTFUError) -> Response
    {
        try await send(.GET, path: path + Self.queryString(query), body: Optional<EnrollRequest>.none)
    }

    /// - Parameter timeout: longer than the default for a request that does much (an import).
    func post<Body: Encodable, Response: Decodable>(_ path: String, _ body: Body, as _: Response.Type = Response.self,
                                                    timeout: TimeAmount = Self.timeout) async throws(LTFUError) -> Response
    {
        try await send(.POST, path: path, body: body, timeout: timeout)
    }

    /// A POST with no body whose answer is JSON (`export csv`).
    func post<Response: Decodable>(_ path: String, as _: Response.Type = Response.self, timeout: TimeAmount = Self.timeout)
        async throws(LTFUError) -> Response
    {
        try await send(.POST, path: path, body: Optional<EnrollRequest>.none, timeout: timeout)
    }

    /// A GET whose answer is read as bytes: the calendar feed, or rows `ltfuctl` reads by hand.
    func getData(_ path: String, query: [(String, String)] = []) async throws(LTFUError) -> Data {
        try await exchange(.GET, path: path + Self.queryString(query), body: Optional<EnrollRequest>.none)
    }

    /// A POST whose answer is raw bytes (the backup).
    func postForData(_ path: String) async throws(LTFUError) -> Data {
        try await exchange(.POST, path: path, body: Optional<EnrollRequest>.none)
    }

    private func send<Body: Encodable, Response: Decodable>(_ method: HTTPMethod, path: String, body: Body?,
                                                            timeout: TimeAmount = Self.timeout) async throws(LTFUError) -> Response
    {
        try Self.decode(Response.self, from: try await exchange(method, path: path, body: body, timeout: timeout))
    }

    private func exchange<Body: Encodable>(_ method: HTTPMethod, path: String, body: Body?,
                                           timeout: TimeAmount = Self.timeout) async throws(LTFUError) -> Data
    {
        try checkSocket()
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw LTFUError(.usage, code: "invalid-socket", "`\(socketPath)` cannot be used as a socket path")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let body {
            do {
                request.body = .bytes(ByteBuffer(bytes: try WireJSON.encoder().encode(body)))
            } catch {
                throw LTFUError(.internal, code: "encoding-failed", "cannot encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        // Issue #13: an ltfud that dies between the check above and the connection refuses it;
        // fail then, as for a stale socket, instead of retrying until the 30 s deadline.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let answer: Result<(Int, Data), any Error>
        do {
            let response = try await client.execute(request, timeout: timeout)
            answer = .success((Int(response.status.code), Data(buffer: try await response.body.collect(upTo: Self.maximumResponse))))
        } catch {
            answer = .failure(error)
        }
        try? await client.shutdown()
        let status: Int
        let data: Data
        switch answer {
        case .success(let (code, body)):
            (status, data) = (code, body)
        case .failure(let error):
            throw LTFUError(.unavailable, code: "daemon-unreachable",
                            "cannot talk to ltfud at \(socketPath): \(error). Is it running? Start it with `systemctl start ltfud`")
        }
        guard (200..<300).contains(status) else {
            let kind = LTFUError.Kind(httpStatus: status)
            if let answer = try? WireJSON.decoder().decode(ErrorResponse.self, from: data) {
                throw LTFUError(kind, code: answer.error.code, answer.error.message)
            }
            throw LTFUError(kind, code: "http-\(status)", "ltfud answered HTTP \(status)")
        }
        return data
    }

    /// Tells "not running" (69) from "not allowed" (77) before connecting.
    private func checkSocket() throws(LTFUError) {
        var info = stat()
        guard stat(socketPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw LTFUError(.unavailable, code: "daemon-not-running",
                            "ltfud is not running (no socket at \(socketPath)); start it with `systemctl start ltfud`, or point --socket / LTFU_SOCKET at its socket")
        }
        guard access(socketPath, W_OK) == 0 else {
            let group = UnixGroupName.of(gid: info.st_gid)
            throw LTFUError(.permission, code: "permission-denied",
                            "permission denied on \(socketPath): ask an administrator to add you to group \(group) (and ltfu-coord to change data)")
        }
        // Issue #13: a socket file left by a killed ltfud refuses at once; say so instead of
        // letting the HTTP client wait out its timeout.
        if Self.connectionRefused(socketPath) {
            throw LTFUError(.unavailable, code: "daemon-not-running",
                            "ltfud is not running: nothing listens on \(socketPath) (a socket file left by an ltfud that stopped); start it with `systemctl start ltfud`")
        }
    }

    /// True when connecting to the socket is refused outright (ECONNREFUSED).
    static func connectionRefused(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result != 0 && errno == ECONNREFUSED
    }

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery.map { "?\($0)" } ?? ""
    }
}

extension DaemonClient {
    /// An answer read outside ``get(_:query:as:)`` (`due` and `overdue` when they do not have
    /// the shape their fast reader knows), failing as `send` does.
    static func decode<Response: Decodable>(_: Response.Type, from data: Data) throws(LTFUError) -> Response {
        do {
            return try WireJSON.decoder().decode(Response.self, from: data)
        } catch {
            throw LTFUError(.internal, code: "unexpected-answer", "cannot read ltfud's answer: \(error)")
        }
    }
}

enum UnixGroupName {
    static func of(gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "gid \(gid)" }
        return String(cString: name)
    }
}
