import Foundation
import Hummingbird
import NIOCore
import LTFUCore
import LTFUWire
import Logging

/// Turns every failure into SPEC §8's JSON error with a fitting status, so a client never
/// has to parse an HTML page or an empty body.
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
            var response = Self.response(status: error.kind.httpStatus, code: error.code, message: error.message)
            // Issue #23: a busy store asks the caller back in a while (RFC 9110 §10.2.3).
            if error.kind == .busy { response.headers[.retryAfter] = String(Self.busyRetryAfterSeconds) }
            return response
        } catch let error as HTTPError {
            let (code, message): (String, String) = switch error.status.code {
            case 404: ("unknown-route", "no such route: \(request.method) \(request.uri.path) (see openapi.yaml)")
            case 405: ("method-not-allowed", "\(request.method) is not allowed on \(request.uri.path)")
            case 413: ("request-too-large", "the request body is larger than \(ControlContext.maximumBodySize) bytes")
            default: ("http-\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
            return Self.response(status: error.status.code, code: code, message: message)
        } catch is NIOTooManyBytesError {
            return Self.response(status: 413, code: "request-too-large",
                                 message: "the request body is larger than \(ControlContext.maximumBodySize) bytes")
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return Self.response(status: 500, code: "internal-error", message: "the daemon failed to answer; see its log")
        }
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
