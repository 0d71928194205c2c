import Hummingbird
import LTFUCore
import Synchronization

/// The API's paths and the methods each serves, recorded as `ControlRoutes` registers them.
final class RouteTable: Sendable {
    private let entries = Mutex<[(segments: [Substring], methods: [HTTPRequest.Method])]>([])

    func add(_ method: HTTPRequest.Method, _ path: String) {
        let segments = path.split(separator: "/")
        entries.withLock { entries in
            if let index = entries.firstIndex(where: { $0.segments == segments }) {
                entries[index].methods.append(method)
            } else {
                entries.append((segments, [method]))
            }
        }
    }

    /// The methods of the route whose pattern (`:name` matches any one segment) fits `path`.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let asked = path.split(separator: "/")
        return entries.withLock { entries in
            entries.first { entry in
                entry.segments.count == asked.count
                    && zip(entry.segments, asked).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern == segment }
            }?.methods ?? []
        }
    }
}

/// A known path asked with a method it does not serve (TRACE, DELETE, …) gets 405 with
/// `Allow`, as RFC 9110 §15.5.6 asks, instead of the router's 404 (issue #13).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ControlContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            var methods = table.methods(for: request.uri.path)
            guard !methods.isEmpty else { throw error }
            // Hummingbird answers HEAD wherever GET is served.
            if methods.contains(.get) { methods.append(.head) }
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            let refusal = LTFUError(.usage, code: "method-not-allowed", "{method} is not allowed on {path}; allowed: {allowed}",
                                    ["method": request.method.rawValue, "path": request.uri.path, "allowed": allowed])
            var response = ErrorMiddleware.response(status: 405, refusal, for: request)
            response.headers[.allow] = allowed
            return response
        }
    }
}
