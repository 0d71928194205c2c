import Foundation
import LTFUWire
import Testing

/// SPEC §7: every bad input gets a clear, specific error and changes nothing.
@Suite struct DaemonBadInputTests {
    /// One daemon, a known state, then every refusal; afterwards nothing has changed.
    @Test func badInputs_areRefusedWithSpecificErrors_andChangeNothing() throws {
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CD19-CART", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("enroll", "S01-002", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("record", "S01-002", "M1", "--on", "2025-02-10").status == 0)
        #expect(try daemon.ctl("infuse", "S01-002", "--on", "2025-02-20").status == 0)
        #expect(try daemon.ctl("enroll", "S01-003", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("end", "S01-003", "--reason", "death", "--on", "2025-02-01").status == 0)
        let before = try daemon.ctl("audit", "--json").json([AuditEntry].self)
        let shownBefore = try ["S01-001", "S01-002", "S01-003"].map { try daemon.ctl("show", $0, "--json").stdout }

        let cases: [([String], Int32, String)] = [
            (["enroll", "S01-009", "--product", "NOPE", "--infused", "2025-01-10"], 65, "no product `NOPE`"),
            (["enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10"], 65, "subject `S01-001` is already enrolled"),
            (["enroll", "bad code", "--product", "CIK-AUTO", "--infused", "2025-01-10"], 65, "`bad code` is not a valid subject code"),
            (["enroll", "-x", "--product", "CIK-AUTO", "--infused", "2025-01-10"], 64, ""),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "2023-02-29"], 65, "infusion date `2023-02-29` is not a date"),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "tomorrow"], 65, "infusion date `tomorrow` is not a date"),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "2025-03-02"], 65, "infusion date 2025-03-02 is in the future"),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "2025-01-11"], 65, "birth date 2025-01-11 is after the infusion"),
            (["enroll", "S01-009", "--product", "CIK-AUTO"], 64, "--infused"),
            // Issue #13: a mistyped year is refused at once, never planned across centuries.
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "0205-01-10"], 65, "infusion date 0205-01-10 is before 1990-01-01"),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "0001-01-01"], 65, "check the year"),
            (["enroll", "S01-009", "--product", "CIK-AUTO", "--infused", "2025-01-10", "--born", "1850-01-01"], 65, "birth date 1850-01-01 is before 1900-01-01"),
            (["show", "S01-404"], 65, "no subject `S01-404`"),
            (["record", "S01-404", "M1", "--on", "2025-02-10"], 65, "no subject `S01-404`"),
            (["record", "S01-001", "M2", "--on", "2025-02-10"], 65, "no visit `M2`"),
            (["record", "S01-001", "X1", "--on", "2025-02-10"], 65, "`X1` is not a visit code"),
            (["record", "S01-001", "M1", "--on", "2025-02-30"], 65, "visit date `2025-02-30` is not a date"),
            (["record", "S01-001", "M1", "--on", "2025-01-09"], 65, "visit date 2025-01-09 is before day 0 (2025-01-10"),
            (["record", "S01-001", "M1", "--on", "2025-03-02"], 65, "visit date 2025-03-02 is in the future"),
            // Re-infused on 2025-02-20: M1 is the new series' visit, so a date before its day 0 is
            // refused, though the first series' day 0 was 2025-01-10.
            (["record", "S01-002", "M1", "--on", "2025-02-15"], 65, "visit date 2025-02-15 is before day 0 (2025-02-20"),
            (["record", "S01-003", "M3", "--on", "2025-02-25"], 65, "subject `S01-003` has ended follow-up"),
            (["miss", "S01-001", "M1", "--reason", "  "], 65, "a reason is required"),
            (["miss", "S01-001", "M1", "--reason", String(repeating: "x", count: 1001)], 65, "at most 1000"),
            (["end", "S01-003", "--reason", "death", "--on", "2025-02-01"], 65, "already ended follow-up"),
            (["end", "S01-001", "--reason", "bored", "--on", "2025-02-01"], 64, ""),
            (["end", "S01-001", "--reason", "withdrawn", "--on", "2025-03-05"], 65, "end date 2025-03-05 is in the future"),
            (["end", "S01-001", "--reason", "withdrawn", "--on", "2024-12-31"], 65, "before the first infusion"),
            (["infuse", "S01-001", "--on", "2025-01-10"], 65, "already has an infusion on 2025-01-10"),
            (["infuse", "S01-001", "--on", "2025-01-01"], 65, "not after day 0"),
            (["infuse", "S01-001", "--on", "2025-04-01"], 65, "in the future"),
            (["infuse", "S01-003", "--on", "2025-02-20"], 65, "has ended follow-up"),
            (["due", "--within=-3"], 65, "between 0 and 3650"),
            (["list", "--active", "--ended"], 64, ""),
        ]
        for (arguments, status, message) in cases {
            let result = try daemon.ctl(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(message.isEmpty || result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        // A visit of the cancelled first series cannot be recorded (only the current series is).
        let cancelled = try daemon.ctl("show", "S01-002", "--json").json(ShowResponse.self)
        #expect(cancelled.visits.filter { $0.series == 1 && $0.code != "M1" }.allSatisfy { $0.status == .cancelled })

        #expect(try daemon.ctl("audit", "--json").json([AuditEntry].self) == before, "nothing was audited, so nothing changed")
        #expect(try ["S01-001", "S01-002", "S01-003"].map { try daemon.ctl("show", $0, "--json").stdout } == shownBefore)
    }

    /// Requests ltfuctl never sends, straight on the socket.
    @Test func malformedRequestsOnTheSocket_getJSONErrors_andOneSilentClientBlocksNoOne() throws {
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        // A client that connects and sends nothing (and one that sends half a request).
        let silent = try RawSocket(path: daemon.socket)
        let half = try RawSocket(path: daemon.socket)
        half.send("POST /v1/subjects HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"code\":")

        func post(_ body: String, path: String = "/v1/subjects", length: Int? = nil) throws -> String {
            try RawSocket.exchange(daemon.socket, "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(length ?? body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        }
        let cases: [(String, String, String)] = [
            (try post("not json"), "400", "malformed-request"),
            (try post("{\"code\":\"S9\",\"product\":\"CIK-AUTO\",\"infused\":[\"2025-01-10\"],\"colour\":\"red\"}"), "400", "unknown field `colour`"),
            (try post("{\"code\":\"S9\",\"product\":\"CIK-AUTO\"}"), "400", "field `infused` is required"),
            (try post("{\"code\":\"S9\",\"product\":\"CIK-AUTO\",\"infused\":[\"2025-01-10\"],\"code\":\"S8\"}"), "400",
             "field `code` is given twice"),
            (try post("{\"code\":5,\"product\":\"CIK-AUTO\",\"infused\":[]}"), "400", "malformed-request"),
            (try post("", length: 0), "400", "needs a JSON body"),
            (try post(String(repeating: "x", count: 70_000)), "413", "request-too-large"),
            (try RawSocket.exchange(daemon.socket, "GET /v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "404", "unknown-route"),
            // Issue #13: broken framing is the client's malformed request (400), not a 500.
            (try RawSocket.exchange(daemon.socket, "POST /v1/subjects HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"),
             "400", "the request body cannot be read"),
            // Issue #13: a known path with a method it does not serve is 405 with `Allow`.
            (try RawSocket.exchange(daemon.socket, "DELETE /v1/subjects HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "405",
             "allow: GET, POST, HEAD"),
            (try RawSocket.exchange(daemon.socket, "TRACE /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "405",
             "allow: GET, HEAD"),
            (try RawSocket.exchange(daemon.socket, "HEAD /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "200",
             "content-type: application/json"),
            (try RawSocket.exchange(daemon.socket, "GET /v1/subjects/S9/visits/M1/record HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "405",
             "\"method-not-allowed\""),
        ]
        for (response, status, fragment) in cases {
            #expect(response.hasPrefix("HTTP/1.1 \(status)"), "\(response.prefix(200))")
            #expect(response.lowercased().contains(fragment.lowercased()), "\(response)")
            #expect(response.lowercased().contains("content-type: application/json"), "\(response.prefix(300))")
        }
        // Meanwhile the silent clients hurt no one.
        #expect(try daemon.ctl("status").status == 0)
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        #expect(try daemon.ctl("list", "--json").json([SubjectSummary].self).map(\.code) == ["S01-001"])
        _ = (silent, half)
    }

    @Test func checkConfig_reportsEveryProblem_withFileAndKey() throws {
        let daemon = try DaemonHarness(extraConfig: """
            [notify]
            time = "25:00"
            upcoming_dayz = 3
            [mail]
            to = ["not an address"]
            """)
        try "id = \"X\"\nmodification = \"lentivirus\"\n".write(
            to: daemon.configFile.deletingLastPathComponent().appendingPathComponent("products.d/broken.toml"), atomically: true, encoding: .utf8)
        let result = try daemon.runDaemon(["--check-config"])
        #expect(result.status == 78)
        for fragment in ["ltfud.toml: key `notify.time`", "ltfud.toml: key `notify.upcoming_dayz`: unknown key", "key `mail.to`",
                         "broken.toml: key `modification`", "broken.toml: key `name`: is required"] {
            #expect(result.stderr.contains(fragment), "missing \(fragment) in \(result.stderr)")
        }
        // The daemon itself refuses to start on it, with the same exit code.
        let start = try daemon.runDaemon([])
        #expect(start.status == 78)
    }

    /// Issue #13: a missing or empty products folder is a configuration error, not "0 products".
    @Test func checkConfig_refusesAMissingOrEmptyProductsFolder() throws {
        let daemon = try DaemonHarness()
        let products = daemon.configFile.deletingLastPathComponent().appendingPathComponent("products.d")
        for name in try FileManager.default.contentsOfDirectory(atPath: products.path) {
            try FileManager.default.removeItem(at: products.appendingPathComponent(name))
        }
        let empty = try daemon.runDaemon(["--check-config"])
        #expect(empty.status == 78)
        #expect(empty.stderr.contains("key `paths.products`: no product file (*.toml) in \(products.path)"), "\(empty.stderr)")
        try FileManager.default.removeItem(at: products)
        let missing = try daemon.runDaemon(["--check-config"])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("key `paths.products`: the products folder \(products.path) does not exist"), "\(missing.stderr)")
    }

    @Test func checkConfig_ok() throws {
        let daemon = try DaemonHarness()
        let result = try daemon.runDaemon(["--check-config"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("configuration OK"))
    }

    @Test func secondDaemonOnTheSameState_isRefused() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let second = try BuiltBinaries.run("ltfud", ["--config", daemon.configFile.path, "--state-dir", daemon.stateDirectory.path,
                                                     "--socket", daemon.socket + ".2"])
        #expect(second.status == 69)
        #expect(second.stderr.contains("another ltfud already uses this state directory"))
        #expect(try daemon.ctl("status").status == 0)
    }

    /// Issue #13: after `kill -9` the socket file stays; ltfuctl says at once that nothing
    /// listens there, instead of waiting out its 30 s timeout.
    @Test func ctl_onAStaleSocket_saysNothingListens_andExits69() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        daemon.kill9()
        #expect(FileManager.default.fileExists(atPath: daemon.socket), "the killed daemon left its socket")
        let result = try daemon.ctl("status")
        #expect(result.status == 69)
        #expect(result.stderr.contains("ltfud is not running: nothing listens on \(daemon.socket)"), "\(result.stderr)")
    }

    @Test func ctl_withoutDaemon_saysSoAndExits69() throws {
        let result = try BuiltBinaries.ctl("status", "--socket", "/tmp/ltfu-no-such-daemon.sock")
        #expect(result.status == 69)
        #expect(result.stderr.contains("ltfud is not running"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
