import Foundation
import Hummingbird
import NIOCore
import LTFUCore
import LTFUL10n
import LTFUWire
import Logging

/// Turns every failure into SPEC §8's JSON error with a fitting status, so a client never
/// has to parse an HTML page or an empty body.
///
/// Issue #22: the `message` is in the language the request asks for in `Accept-Language`
/// (``Language/init(acceptLanguage:)``); the status, the `code` and the shape never change,
/// and the journal hears the English.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ControlContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as LTFUError {
            // A full disk is the administrator's to fix, not the caller's: journald hears it at err.
            if error.kind == .internal || error.kind == .storageFull {
                context.logger.error("\(request.method) \(request.uri.path): \(error.message)")
            }
            var response = Self.response(status: error.kind.httpStatus, error, for: request)
            // Issue #23: a busy store asks the caller back in a while (RFC 9110 §10.2.3).
            if error.kind == .busy { response.headers[.retryAfter] = String(Self.busyRetryAfterSeconds) }
            return response
        } catch let error as HTTPError {
            let values: KeyValuePairs<String, any LTFUError.Placeable> = [
                "method": request.method.rawValue, "path": request.uri.path, "maximum": ControlContext.maximumBodySize,
            ]
            let refusal = switch error.status.code {
            case 404: LTFUError(.notFound, code: "unknown-route", "no such route: {method} {path} (see openapi.yaml)", values)
            case 405: LTFUError(.usage, code: "method-not-allowed", "{method} is not allowed on {path}", values)
            case 413: Self.tooLarge
            default: LTFUError(.usage, code: "http-\(error.status.code)", verbatim: error.body ?? error.status.reasonPhrase)
            }
            return Self.response(status: error.status.code, refusal, for: request)
        } catch is NIOTooManyBytesError {
            return Self.response(status: 413, Self.tooLarge, for: request)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return Self.response(status: 500, LTFUError(.internal, code: "internal-error", "the daemon failed to answer; see its log"), for: request)
        }
    }

    static let tooLarge = LTFUError(.usage, code: "request-too-large", "the request body is larger than {maximum} bytes",
                                    ["maximum": ControlContext.maximumBodySize])

    /// `error` as SPEC §8's JSON, its message in the language `request` asks for.
    static func response(status: Int, _ error: LTFUError, for request: Request) -> Response {
        response(status: status, code: error.code, message: error.message(in: Language(acceptLanguage: request.headers[.acceptLanguage])))
    }

    /// What a `busy` answer's `Retry-After` says: an import of 30,000 subjects takes about a minute.
    static let busyRetryAfterSeconds = 30

    static func response(status: Int, code: String, message: String) -> Response {
        let body = (try? WireJSON.encoder().encode(ErrorResponse(code: code, message: message))) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Reads the caller's credentials once per request and refuses callers outside the groups.
/// GET needs the read level, everything else the write level.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ControlContext
    let policy: @Sendable () -> AccessPolicy
    let identify: @Sendable (any Channel) async throws(LTFUError) -> PeerCredentials

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let peer = try await identify(context.channel)
        try policy().require(request.method == .get || request.method == .head ? .read : .write, for: peer)
        var context = context
        context.peer = peer
        return try await next(request, context)
    }
}
