import Foundation
import Hummingbird
import NIOCore
import LTFUCore
import LTFUL10n
import LTFUStore
import LTFUWire

/// The control API (SPEC §8), described route by route in `openapi.yaml`.
public struct ControlRoutes: Sendable {
    public let registry: SubjectRegistry
    public let startedAt: Date
    /// The next notification's local fire time, once the scheduler exists.
    public var nextNotification: @Sendable () -> String? = { nil }
    /// Wakes the mail sender (`ltfuctl mail retry`).
    public var retryMail: @Sendable () -> Void = {}
    public var identify: @Sendable (any Channel) async throws(LTFUError) -> PeerCredentials = PeerCredentialReader.read

    public init(registry: SubjectRegistry, startedAt: Date) {
        self.registry = registry
        self.startedAt = startedAt
    }

    public func router() -> Router<ControlContext> {
        // HEAD is answered wherever GET is (RFC 9110 §9.3.2), as the 405 answers' Allow says.
        let router = Router(context: ControlContext.self, options: .autoGenerateHeadEndpoints)
        let registry = registry
        let nextNotification = nextNotification
        let retryMail = retryMail
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AccessMiddleware(
            policy: { AccessPolicy(readGroup: registry.configuration.access.readGroup, writeGroup: registry.configuration.access.writeGroup) },
            identify: identify))
        let table = RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: table))
        let routes = Routes(router: router, table: table)
        let answers = AnswerCache()

        routes.get(APIPath.status) { _, _ in
            try await StoreWork.read { try Self.json(registry.status(version: LTFUVersion.current, startedAt: startedAt, nextNotification: nextNotification())) }
        }
        routes.get(APIPath.subjects) { request, _ in
            let query = request.uri.queryParameters
            let tier = try query.get("tier").map { text throws(LTFUError) in
                guard let tier = RiskTier(rawValue: String(text)) else {
                    throw LTFUError(.usage, code: "invalid-tier", "`{text}` is not a tier (one of: {choices})", ["text": text, "choices": RiskTier.choices])
                }
                return tier
            }
            let status = try query.get("status").map { text throws(LTFUError) in
                guard let status = SubjectStatus(rawValue: String(text)) else {
                    throw LTFUError(.usage, code: "invalid-status", "`{text}` is not a subject status (active or ended)", ["text": text])
                }
                return status
            }
            return try await StoreWork.read { try Self.json(registry.list(tier: tier, status: status)) }
        }
        routes.post(APIPath.subjects) { request, context in
            let body = try await Self.decode(EnrollRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.enroll(body, by: try Self.actor(context)), status: .created) }
        }
        routes.get("/v1/subjects/:code") { _, context in
            try await StoreWork.read { try Self.json(registry.show(code: try Self.parameter("code", context))) }
        }
        routes.post("/v1/subjects/:code/infusions") { request, context in
            let body = try await Self.decode(InfuseRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.infuse(code: try Self.parameter("code", context), body, by: try Self.actor(context))) }
        }
        routes.post("/v1/subjects/:code/visits/:visit/record") { request, context in
            let body = try await Self.decode(RecordRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.record(code: try Self.parameter("code", context), visit: try Self.parameter("visit", context),
                                                 body, by: try Self.actor(context))) }
        }
        routes.post("/v1/subjects/:code/visits/:visit/miss") { request, context in
            let body = try await Self.decode(MissRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.miss(code: try Self.parameter("code", context), visit: try Self.parameter("visit", context),
                                               body, by: try Self.actor(context))) }
        }
        routes.post("/v1/subjects/:code/end") { request, context in
            let body = try await Self.decode(EndRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.end(code: try Self.parameter("code", context), body, by: try Self.actor(context))) }
        }
        routes.post("/v1/subjects/:code/visits/:visit/results") { request, context in
            let body = try await Self.decode(ResultRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.result(code: try Self.parameter("code", context), visit: try Self.parameter("visit", context),
                                                 body, by: try Self.actor(context)), status: .created) }
        }
        routes.post("/v1/subjects/:code/events") { request, context in
            let body = try await Self.decode(EventRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.event(code: try Self.parameter("code", context), body, by: try Self.actor(context)),
                                 status: .created) }
        }
        routes.post("/v1/subjects/:code/contacts") { request, context in
            let body = try await Self.decode(ContactRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.contact(code: try Self.parameter("code", context), body, by: try Self.actor(context)),
                                 status: .created) }
        }
        routes.post("/v1/subjects/:code/consents") { request, context in
            let body = try await Self.decode(ConsentRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.consent(code: try Self.parameter("code", context), body, by: try Self.actor(context)),
                                 status: .created) }
        }
        routes.get(APIPath.signals) { request, _ in
            let text = request.uri.queryParameters.get("all") ?? "false"
            guard let all = Bool(String(text)) else {
                throw LTFUError(.usage, code: "invalid-all", "`all` must be true or false, not `{text}`", ["text": text])
            }
            return try await StoreWork.read { try Self.json(registry.signals(all: all)) }
        }
        routes.post("/v1/signals/:id/ack") { request, context in
            let body = try await Self.decode(AckRequest.self, request, context)
            return try await StoreWork.write { try Self.json(registry.acknowledge(id: try Self.parameter("id", context), body, by: try Self.actor(context))) }
        }
        routes.get(APIPath.due) { request, _ in
            let text = request.uri.queryParameters.get("within") ?? "14"
            guard let days = Int(text) else {
                throw LTFUError(.usage, code: "invalid-within", "`within` must be a whole number of days, not `{text}`", ["text": text])
            }
            return try await StoreWork.read {
                Self.json(buffer: try answers.answer("due \(days)", today: registry.today, generation: registry.store.generation) { () throws(LTFUError) in
                    ByteBuffer(bytes: try registry.due(within: days).wireJSON())
                })
            }
        }
        routes.get(APIPath.overdue) { _, _ in
            try await StoreWork.read {
                Self.json(buffer: try answers.answer("overdue", today: registry.today, generation: registry.store.generation) { () throws(LTFUError) in
                    ByteBuffer(bytes: try registry.overdue().wireJSON())
                })
            }
        }
        routes.get(APIPath.audit) { request, _ in
            try await StoreWork.read { try Self.json(registry.audit(subject: request.uri.queryParameters.get("subject"))) }
        }
        routes.get(APIPath.auditVerify) { _, _ in try await StoreWork.read { try Self.json(registry.verifyAudit()) } }
        routes.get(APIPath.notifications) { request, _ in
            try await StoreWork.read { try Self.json(registry.notifications(since: request.uri.queryParameters.get("since").map { String($0) })) }
        }
        // POST, so only the write group may take a copy: it holds birth dates and notes.
        routes.post(APIPath.backup) { _, _ in
            let folder = (registry.store.path as NSString).deletingLastPathComponent
            let path = (folder as NSString).appendingPathComponent("backup-\(UUID().uuidString).sqlite")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let data = try await StoreWork.read {
                try registry.store.backup(to: path)
                return try Data(contentsOf: URL(fileURLWithPath: path))
            }
            return Response(status: .ok, headers: [.contentType: "application/vnd.sqlite3"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        // SPEC §12: the calendar feed, as ltfud keeps it in <state>/calendar/ltfu.ics.
        routes.get(APIPath.calendar) { request, _ in
            let text = try await StoreWork.read { try registry.calendar(subject: request.uri.queryParameters.get("subject").map { String($0) }) }
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        // SPEC §13: the site report, rendered from one snapshot and sent as a tar stream as it is made.
        routes.get(APIPath.report) { request, _ in
            let language = try request.uri.queryParameters.get("language").map { text throws(LTFUError) in
                guard let language = Language(rawValue: String(text)) else {
                    throw LTFUError(.usage, code: "invalid-language", "`{text}` is not a report language ({choices})", ["text": text, "choices": Language.choices])
                }
                return language
            }
            let report = try await StoreWork.read {
                try SiteReportStream(registry: registry, language: language) { registry throws(LTFUError) in
                    try registry.status(version: LTFUVersion.current, startedAt: startedAt, nextNotification: nextNotification())
                }
            }
            return Response(status: .ok, headers: [.contentType: "application/x-tar"], body: ResponseBody { writer in
                try await report.send(to: &writer)
                try await writer.finish(nil)
            })
        }
        // SPEC §12: the files whole in one request (up to ImportFile.maximumBytes each), one transaction.
        routes.post(APIPath.importFiles) { request, context in
            let body = try await Self.decode(ImportRequest.self, request, context, upTo: ImportFile.maximumRequestBytes)
            return try await StoreWork.write { try Self.json(registry.importFiles(body, by: try Self.actor(context))) }
        }
        // POST, so only the write group may have it: it holds birth dates and reasons.
        routes.post(APIPath.exportCSV) { _, _ in try await StoreWork.read { try Self.json(registry.exportCSV()) } }
        // SPEC §14: POST, as export csv, so only the write group may have it (with --include-text
        // it holds free text); rendered here, since it is made from what no other answer carries.
        routes.post(APIPath.exportSDTM) { request, context in
            let body = try await Self.decode(SDTMExportRequest.self, request, context)
            return try await StoreWork.read { try Self.json(registry.exportSDTM(body)) }
        }
        routes.get(APIPath.mail) { _, _ in try await StoreWork.read { try Self.json(registry.mailQueue()) } }
        routes.post(APIPath.mailRetry) { _, _ in
            let queued = try await StoreWork.write { try registry.store.retryAllMail(at: registry.now) }
            retryMail()
            return try Self.json(MailRetryResponse(queued: queued))
        }
        return router
    }

    // MARK: - Helpers

    /// Registers each route with the router and in the table 405 answers are made from.
    struct Routes {
        let router: Router<ControlContext>
        let table: RouteTable

        func get(_ path: String, use handler: @escaping @Sendable (Request, ControlContext) async throws -> Response) {
            table.add(.get, path)
            router.get(RouterPath(path), use: handler)
        }

        func post(_ path: String, use handler: @escaping @Sendable (Request, ControlContext) async throws -> Response) {
            table.add(.post, path)
            router.post(RouterPath(path), use: handler)
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        json(data: try WireJSON.encoder().encode(value), status: status)
    }

    static func json(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        json(buffer: ByteBuffer(bytes: data), status: status)
    }

    static func json(buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    /// Reads at most `limit` (else `maxUploadSize`) bytes and decodes them, naming what is wrong.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ControlContext, upTo limit: Int? = nil) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit ?? context.maxUploadSize)
        } catch let error as HTTPError {
            throw error
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        } catch {
            // Issue #13: a bad chunk size or a body shorter than its Content-Length is the
            // client's malformed request, not the daemon's failure.
            throw LTFUError(.usage, code: "malformed-request", "the request body cannot be read: {reason}", ["reason": "\(error)"])
        }
        guard buffer.readableBytes > 0 else {
            throw LTFUError(.usage, code: "malformed-request", "the request needs a JSON body")
        }
        if let key = DuplicateKeys.first(in: Array(buffer: buffer)) {
            throw LTFUError(.usage, code: "malformed-request", "invalid request body: field `{field}` is given twice", ["field": key])
        }
        do {
            return try WireJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty || context.underlyingError == nil {
            throw LTFUError(.usage, code: "malformed-request", "invalid request body: {reason}", ["reason": context.debugDescription])
        } catch let DecodingError.keyNotFound(key, _) {
            throw LTFUError(.usage, code: "malformed-request", "invalid request body: field `{field}` is required", ["field": key.stringValue])
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw LTFUError(.usage, code: "malformed-request", "invalid request body: field `{field}` has the wrong type", ["field": field])
        } catch {
            throw LTFUError(.usage, code: "malformed-request", "the request body is not valid JSON")
        }
    }

    static func parameter(_ name: String, _ context: ControlContext) throws(LTFUError) -> String {
        guard let value = context.parameters.get(name) else {
            throw LTFUError(.usage, code: "malformed-request", "missing path parameter `{name}`", ["name": name])
        }
        return value
    }

    static func actor(_ context: ControlContext) throws(LTFUError) -> Actor {
        guard let peer = context.peer else {
            throw LTFUError(.permission, code: "permission-denied", "the caller cannot be identified")
        }
        return peer.actor
    }
}
