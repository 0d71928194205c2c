#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore
import LTFUL10n
import LTFUWire

/// Talks to ltfud over its Unix socket (SPEC §8: HTTP/1.1 + JSON). Every failure comes back
/// as an ``LTFUError`` whose kind gives the exit code.
struct DaemonClient {
    var socketPath: String
    /// Issue #22: ltfud words its errors in this language; their codes never change.
    var language: Language = .english
    static let timeout: Duration = .seconds(30)
    static let maximumResponse = 256 * 1024 * 1024

    func get<Response: Decodable>(_ path: String, query: [(String, String)] = [], as _: Response.Type = Response.self)
        async throws(LTFUError) -> Response
    {
        try await send("GET", path: path + Self.queryString(query), body: Optional<EnrollRequest>.none)
    }

    /// - Parameter timeout: longer than the default for a request that does much (an import).
    func post<Body: Encodable, Response: Decodable>(_ path: String, _ body: Body, as _: Response.Type = Response.self,
                                                    timeout: Duration = Self.timeout) async throws(LTFUError) -> Response
    {
        try await send("POST", path: path, body: body, timeout: timeout)
    }

    /// A POST with no body whose answer is JSON (`export csv`).
    func post<Response: Decodable>(_ path: String, as _: Response.Type = Response.self, timeout: Duration = Self.timeout)
        async throws(LTFUError) -> Response
    {
        try await send("POST", path: path, body: Optional<EnrollRequest>.none, timeout: timeout)
    }

    /// A GET whose answer is read as bytes: the calendar feed, or rows `ltfuctl` reads by hand.
    func getData(_ path: String, query: [(String, String)] = []) async throws(LTFUError) -> Data {
        try await exchange("GET", path: path + Self.queryString(query), body: Optional<EnrollRequest>.none)
    }

    /// A POST whose answer is raw bytes (the backup).
    func postForData(_ path: String) async throws(LTFUError) -> Data {
        try await exchange("POST", path: path, body: Optional<EnrollRequest>.none)
    }

    private func send<Body: Encodable, Response: Decodable>(_ method: String, path: String, body: Body?,
                                                            timeout: Duration = Self.timeout) async throws(LTFUError) -> Response
    {
        try Self.decode(Response.self, from: try await exchange(method, path: path, body: body, timeout: timeout))
    }

    private func exchange<Body: Encodable>(_ method: String, path: String, body: Body?,
                                           timeout: Duration = Self.timeout) async throws(LTFUError) -> Data
    {
        try checkSocket()
        var encoded: Data?
        if let body {
            do {
                encoded = try WireJSON.encoder().encode(body)
            } catch {
                throw LTFUError(.internal, code: "encoding-failed", "cannot encode the request: {reason}", ["reason": "\(error)"])
            }
        }
        // Issue #13: an ltfud that dies before the connection refuses it: that fails at once.
        let answer = try UnixSocketExchange(socketPath: socketPath, timeout: timeout, language: language)
            .run(method: method, target: path, body: encoded, maximumBody: Self.maximumResponse)
        return try Self.successful(answer)
    }

    /// A GET whose successful answer is handed to `onChunk` piece by piece as it arrives
    /// (`due` and `overdue`: issue #15); a refusal fails as ``get(_:query:as:)`` does.
    func stream(_ path: String, query: [(String, String)] = [],
                to onChunk: (UnsafeRawBufferPointer) throws(LTFUError) -> Void) async throws(LTFUError) {
        try checkSocket()
        let exchange = UnixSocketExchange(socketPath: socketPath, timeout: Self.timeout, language: language)
        let target = path + Self.queryString(query)
        // The pieces are handed over before `run` returns; the closure never outlives it.
        let answer = try withoutActuallyEscaping(onChunk) { onChunk throws(LTFUError) in
            try exchange.run(method: "GET", target: target, body: nil, maximumBody: Self.maximumResponse, onChunk: onChunk)
        }
        // A successful answer without a length or chunks was collected whole: hand it over too.
        let body = try Self.successful(answer)
        if !body.isEmpty { try handOver(body, to: onChunk) }
    }

    /// The body of a 2xx answer; any other status becomes the daemon's error, or its HTTP status.
    private static func successful(_ answer: UnixSocketExchange.Answer) throws(LTFUError) -> Data {
        guard (200..<300).contains(answer.status) else {
            // ltfud already worded it in the language the request asked for.
            if let error = try? WireJSON.decoder().decode(ErrorResponse.self, from: answer.body) {
                throw LTFUError(LTFUError.Kind(httpStatus: answer.status, code: error.error.code), code: error.error.code, verbatim: error.error.message)
            }
            throw LTFUError(LTFUError.Kind(httpStatus: answer.status), code: "http-\(answer.status)", "ltfud answered HTTP {status}", ["status": answer.status])
        }
        return answer.body
    }

    /// Tells "not running" (69) from "not allowed" (77) before connecting.
    private func checkSocket() throws(LTFUError) {
        var info = stat()
        guard stat(socketPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw LTFUError(.unavailable, code: "daemon-not-running",
                            "ltfud is not running (no socket at {socket}); start it with `systemctl start ltfud`, or point --socket / LTFU_SOCKET at its socket",
                            ["socket": socketPath])
        }
        guard access(socketPath, W_OK) == 0 else {
            let group = UnixGroupName.of(gid: info.st_gid)
            throw LTFUError(.permission, code: "permission-denied",
                            "permission denied on {socket}: ask an administrator to add you to group {group} (and ltfu-coord to change data)",
                            ["socket": socketPath, "group": group])
        }
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
            throw LTFUError(.internal, code: "unexpected-answer", "cannot read ltfud's answer: {reason}", ["reason": "\(error)"])
        }
    }
}

enum UnixGroupName {
    static func of(gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "gid \(gid)" }
        return String(cString: name)
    }
}
