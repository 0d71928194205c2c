import Foundation
import Testing

/// Issue #22 with the real binaries: an error reads in the reader's language — `ltfuctl`'s by
/// `LANG`, ltfud's by `Accept-Language` — while the exit code, the error code and the JSON
/// shape stay what scripts read.
@Suite(.serialized)
final class ErrorLanguageEndToEndTests: Sendable {
    static func hasChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    static func run(_ arguments: [String], lang: String) throws -> CommandResult {
        try BuiltBinaries.run(path: BuiltBinaries.url("ltfuctl").path, arguments, environment: ["LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""])
    }

    /// The status line and the JSON body of one request over the socket.
    static func ask(_ socket: String, _ head: String, body: String = "", language: String?) throws -> (status: String, json: [String: Any]) {
        let header = language.map { "Accept-Language: \($0)\r\n" } ?? ""
        let length = body.isEmpty ? "" : "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        let answer = try RawSocket.exchange(socket, "\(head) HTTP/1.1\r\nHost: localhost\r\n\(header)\(length)Connection: close\r\n\r\n\(body)")
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let status = parts.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data((parts.dropFirst().joined(separator: "\r\n\r\n")).utf8))) as? [String: Any] ?? [:]
        return (status, json)
    }

    @Test func ltfuctl_printsItsErrorsInLANG_withTheSameExitCode() throws {
        let daemon = try DaemonHarness(today: "2025-04-26")
        try daemon.start()
        #expect(try daemon.ctl("enroll", "S01-001", "--product", "CIK-AUTO", "--infused", "2025-01-10").status == 0)
        let socket = ["--socket", daemon.socket]
        let cases: [(arguments: [String], english: String, chinese: [String])] = [
            // The daemon's refusals, worded by ltfud in the language ltfuctl asked for.
            (["show", "NOBODY"] + socket, "ltfuctl: no subject `NOBODY` is enrolled\n", ["`NOBODY`"]),
            (["record", "S01-001", "M3", "--on", "2025-02-30"] + socket,
             "ltfuctl: visit date `2025-02-30` is not a date: day must be 01 to 28 in that month\n", ["访视日期", "`2025-02-30`", "28"]),
            // ltfuctl's own: offline, and a daemon that is not there.
            (["plan", "--tier", "integrating", "--infused", "2025-13-01"], "ltfuctl: infusion date `2025-13-01` is not a date: month must be 01 to 12\n",
             ["回输日期", "`2025-13-01`"]),
            (["status", "--socket", daemon.root.appendingPathComponent("none.sock").path], "", ["none.sock", "`systemctl start ltfud`"]),
        ]
        for item in cases {
            let english = try Self.run(item.arguments, lang: "C"), chinese = try Self.run(item.arguments, lang: "zh_CN.UTF-8")
            #expect(english.status != 0 && english.status == chinese.status, "\(item.arguments): exit codes never change with the language")
            #expect(english.stdout == chinese.stdout)
            if !item.english.isEmpty { #expect(english.stderr == item.english, "the English reads as it always did") }
            #expect(!Self.hasChinese(english.stderr), "\(english.stderr)")
            #expect(chinese.stderr.hasPrefix("ltfuctl: ") && Self.hasChinese(chinese.stderr), "\(item.arguments): \(chinese.stderr)")
            for kept in item.chinese { #expect(chinese.stderr.contains(kept), "\(kept) stays as it is in: \(chinese.stderr)") }
        }
        // A usage refusal of ltfuctl's own (ArgumentParser prints it): 64 in both.
        let usage = try Self.run(["list", "--active", "--ended"] + socket, lang: "C"), usageZh = try Self.run(["list", "--active", "--ended"] + socket, lang: "zh_CN.UTF-8")
        #expect(usage.status == 64 && usageZh.status == 64)
        #expect(usage.stderr.contains("give --active or --ended, not both") && Self.hasChinese(usageZh.stderr), "\(usageZh.stderr)")
        #expect(daemon.stop() == 0)
    }

    @Test func ltfud_answersErrorsInTheAcceptedLanguage_withTheSameStatusAndCode() throws {
        let daemon = try DaemonHarness(today: "2025-04-26")
        try daemon.start()
        let requests: [(head: String, body: String, code: String, english: String, kept: String)] = [
            ("GET /v1/subjects/NOBODY", "", "unknown-subject", "no subject `NOBODY` is enrolled", "`NOBODY`"),
            ("GET /v1/nowhere", "", "unknown-route", "no such route: GET /v1/nowhere (see openapi.yaml)", "/v1/nowhere"),
            ("POST /v1/subjects", #"{"code":"S01-002","product":"CIK-AUTO","infused":["2025-02-30"]}"#, "invalid-date",
             "infusion date `2025-02-30` is not a date: day must be 01 to 28 in that month", "`2025-02-30`"),
            ("POST /v1/subjects", #"{"code":"S01-002","code":"S01-003"}"#, "malformed-request",
             "invalid request body: field `code` is given twice", "`code`"),
        ]
        for request in requests {
            let plain = try Self.ask(daemon.socket, request.head, body: request.body, language: nil)
            let english = try Self.ask(daemon.socket, request.head, body: request.body, language: "en-US")
            let chinese = try Self.ask(daemon.socket, request.head, body: request.body, language: "zh-CN")
            let error = plain.json["error"] as? [String: String], errorZh = chinese.json["error"] as? [String: String]
            #expect(plain.status == chinese.status && plain.status == english.status && plain.status.hasPrefix("4"), "\(request.head)")
            #expect(error?["code"] == request.code && errorZh?["code"] == request.code, "the code never changes: \(chinese.json)")
            #expect(Set(chinese.json.keys) == ["error"] && Set(errorZh?.keys.map { $0 } ?? []) == ["code", "message"], "the same shape")
            #expect(error?["message"] == request.english, "no header: English, as before")
            #expect((english.json["error"] as? [String: String])?["message"] == request.english)
            let message = errorZh?["message"] ?? ""
            #expect(Self.hasChinese(message) && message.contains(request.kept), "\(request.head): \(message)")
        }
        #expect(daemon.stop() == 0)
    }
}
