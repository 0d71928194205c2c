import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import LTFUConfig
import LTFUCore
import LTFUDaemon
import LTFUStore
import LTFUWire
import Synchronization
import Testing

/// The control API through Hummingbird's router test framework (no socket), with an
/// in-memory store and a fixed clock and caller.
@Suite struct ControlRoutesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func application(caller: PeerCredentials = PeerCredentials(pid: 1, uid: 0, gid: 0),
                            clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_740_794_400) }) throws -> some ApplicationProtocol {
        let store = try FollowUpStore(DatabaseQueue())
        var configuration = SiteConfiguration(file: repository.appendingPathComponent("etc/ltfu/ltfud.toml").path)
        configuration.site.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        configuration.access.readGroup = "root"
        configuration.access.writeGroup = "root"
        let catalog = try ProductCatalog.load(productsDirectory: repository.appendingPathComponent("etc/ltfu/products.d").path,
                                              schedulesDirectory: "/nonexistent")
        // 2025-03-01 10:00 in Shanghai.
        let registry = SubjectRegistry(store: store, configuration: configuration, catalog: catalog,
                                       clock: clock)
        var routes = ControlRoutes(registry: registry, startedAt: Date(timeIntervalSince1970: 1_740_794_400))
        routes.identify = { _ in caller }
        return Application(router: routes.router())
    }

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test func enrollThenShow_roundTripsTheContract() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/v1/subjects", method: .post,
                                     body: Self.body(#"{"code":"S01-001","product":"CD19-CART","infused":["2025-01-10"]}"#)) { response in
                #expect(response.status == .created)
                let shown = try JSONDecoder().decode(ShowResponse.self, from: Data(buffer: response.body))
                #expect(shown.subject.tier == .integrating)
                #expect(shown.visits.first?.status == .overdue)
            }
            try await client.execute(uri: "/v1/subjects/S01-001", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                let status = try JSONDecoder().decode(StatusResponse.self, from: Data(buffer: response.body))
                #expect(status.today.description == "2025-03-01")
                #expect(status.subjects == 1 && status.overdue == 1)
            }
        }
    }

    /// Issue #15: `due` and `overdue` are answered from a kept copy until the next write or
    /// the next day, and never from before a write the caller has been answered for.
    @Test func dueAndOverdue_followEveryWrite_andTheDay() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_740_794_400))  // 2025-03-01 in Shanghai
        try await Self.application(clock: { now.withLock { $0 } }).test(.router) { client in
            func codes(_ uri: String) async throws -> [String] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    return try JSONDecoder().decode([VisitDue].self, from: Data(buffer: response.body)).map { "\($0.subject) \($0.visit)" }
                }
            }
            #expect(try await codes("/v1/visits/overdue") == [])
            #expect(try await codes("/v1/visits/overdue") == [], "asked twice")
            try await client.execute(uri: "/v1/subjects", method: .post,
                                     body: Self.body(#"{"code":"S01-001","product":"CD19-CART","infused":["2025-01-10"]}"#)) { response in
                #expect(response.status == .created)
            }
            #expect(try await codes("/v1/visits/overdue") == ["S01-001 M1"], "the enrollment is seen at once")
            #expect(try await codes("/v1/visits/due?within=0") == [])
            #expect(try await codes("/v1/visits/due?within=60") == ["S01-001 M3"])
            try await client.execute(uri: "/v1/subjects/S01-001/visits/M1/miss", method: .post,
                                     body: Self.body(#"{"reason":"travelling"}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await codes("/v1/visits/overdue") == [], "the recorded miss is seen at once")
            // M3's window (2025-03-27 to 2025-04-24) is open on 2025-04-01: a new day, a new answer.
            #expect(try await codes("/v1/visits/due?within=0") == [])
            now.withLock { $0 = Date(timeIntervalSince1970: 1_740_794_400 + 31 * 86_400) }
            #expect(try await codes("/v1/visits/due?within=0") == ["S01-001 M3"])
        }
    }

    @Test(arguments: [
        ("/v1/subjects/S404", "GET", "", 404, "unknown-subject"),
        ("/v1/subjects", "POST", #"{"code":"S1","product":"X","infused":["2025-01-10"]}"#, 404, "unknown-product"),
        ("/v1/subjects", "POST", #"{"code":"S1","product":"CIK-AUTO","infused":["2025-13-10"]}"#, 422, "invalid-date"),
        ("/v1/subjects", "POST", #"{"code":"S1","product":"CIK-AUTO","infused":[]}"#, 400, "missing-infusion"),
        ("/v1/subjects", "POST", #"{"code":"S1","product":"CIK-AUTO"}"#, 400, "malformed-request"),
        ("/v1/subjects", "POST", #"{"code":"S1","product":"CIK-AUTO","infused":["2025-01-10"],"x":1}"#, 400, "malformed-request"),
        ("/v1/subjects", "POST", "[", 400, "malformed-request"),
        ("/v1/subjects?tier=high", "GET", "", 400, "invalid-tier"),
        ("/v1/visits/due?within=soon", "GET", "", 400, "invalid-within"),
        ("/v1/nowhere", "GET", "", 404, "unknown-route"),
        // Issue #24: the example configuration sets no [site] country, which DM needs.
        ("/v1/export/sdtm", "POST", #"{"study":"LTFU-01"}"#, 422, "country-not-configured"),
        ("/v1/export/sdtm", "POST", #"{"study":"bad id!"}"#, 400, "invalid-study"),
    ])
    func errors_areJSONWithStableCodes(_ uri: String, _ method: String, _ body: String, _ status: Int, _ code: String) async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: uri, method: method == "GET" ? .get : .post, body: body.isEmpty ? nil : Self.body(body)) { response in
                #expect(response.status.code == status)
                let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(buffer: response.body))
                #expect(error.error.code == code)
                #expect(!error.error.message.isEmpty)
            }
        }
    }

    @Test func outsider_isRefusedEverything() async throws {
        // uid 65534 (nobody) is in neither group, and is not the daemon's user.
        try await Self.application(caller: PeerCredentials(pid: 1, uid: 65534, gid: 65534)).test(.router) { client in
            for (uri, method) in [("/v1/status", HTTPRequest.Method.get), ("/v1/subjects", .post)] {
                try await client.execute(uri: uri, method: method, body: Self.body("{}")) { response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("permission-denied"))
                }
            }
        }
    }

    /// Every path and method in openapi.yaml answers (no `unknown-route`), and every route
    /// the router has is in the document.
    @Test func openAPIDocument_matchesTheRoutes() async throws {
        let document = try String(contentsOf: Self.repository.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var operations: [(String, String)] = []
        var path: String?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            if !line.hasPrefix("  ") { path = nil }
            if let path, let method = ["get", "post", "put", "delete", "patch"].first(where: { line == "    \($0):" }) {
                operations.append((method.uppercased(), path))
            }
        }
        #expect(operations.count == 27)
        let documented = Set(operations.map { "\($0.0) \($0.1)" })
        let expected: Set = [
            "GET /v1/status", "GET /v1/subjects", "POST /v1/subjects", "GET /v1/subjects/{code}",
            "POST /v1/subjects/{code}/infusions", "POST /v1/subjects/{code}/visits/{visit}/record",
            "POST /v1/subjects/{code}/visits/{visit}/miss", "POST /v1/subjects/{code}/end",
            "GET /v1/visits/due", "GET /v1/visits/overdue", "GET /v1/notifications", "GET /v1/mail", "POST /v1/mail/retry", "POST /v1/backup",
            "GET /v1/audit", "GET /v1/audit/verify",
            "POST /v1/subjects/{code}/visits/{visit}/results", "POST /v1/subjects/{code}/events", "GET /v1/signals",
            "POST /v1/signals/{id}/ack", "POST /v1/subjects/{code}/contacts", "POST /v1/subjects/{code}/consents", "GET /v1/calendar",
            "POST /v1/import", "POST /v1/export/csv", "POST /v1/export/sdtm", "GET /v1/report",
        ]
        #expect(documented == expected)
        let documentedOperations = operations
        try await Self.application().test(.router) { client in
            for (method, path) in documentedOperations {
                let uri = path.replacingOccurrences(of: "{code}", with: "S01-001").replacingOccurrences(of: "{visit}", with: "M1")
                    .replacingOccurrences(of: "{id}", with: "0123456789abcdef0123456789abcdef")
                try await client.execute(uri: uri, method: method == "GET" ? .get : .post, body: Self.body("{}")) { response in
                    #expect(!String(buffer: response.body).contains("unknown-route"), "\(method) \(path) does not answer")
                    #expect(response.status != .internalServerError, "\(method) \(path): \(String(buffer: response.body))")
                }
            }
        }
    }
}
