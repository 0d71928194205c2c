import Foundation
import LTFUFormats
import LTFUWire
import Testing

/// The site report as ltfud renders it from one snapshot (SPEC §13): the same pages, byte for
/// byte, as the ones made from every answer of the API a subject at a time; a write made while
/// the report is under way is not in it, not even in part.
@Suite struct ReportBulkTests {
    /// The demo site, plus a stopping rule met, a retention risk and a subject silent for
    /// more than a year: every kind of row the index shows.
    static func everyKindOfRow(_ daemon: DaemonHarness) throws {
        try ReportTests.enrollTheDemoSite(daemon)
        for code in ["D1", "D2", "R1"] { try daemon.ok("enroll", code, "--product", "CIK-AUTO", "--infused", "2025-01-10") }
        try daemon.ok("event", "D1", "death", "--on", "2025-05-01", "--related", "yes")
        try daemon.ok("event", "D2", "death", "--on", "2025-05-02", "--related", "unknown")
        try daemon.ok("contact", "R1", "--on", "2025-03-01", "--by", "phone", "--outcome", "no-answer")
        try daemon.ok("contact", "R1", "--on", "2025-04-01", "--by", "letter", "--outcome", "wrong-contact")
        try daemon.ok("contact", "R1", "--on", "2025-04-30", "--by", "registry", "--outcome", "declined")
        try daemon.ok("enroll", "S1", "--product", "CIK-AUTO", "--infused", "2023-01-05")
        try daemon.ok("record", "S1", "M1", "--on", "2023-02-05")
        #expect(waitUntil { ((try? daemon.ctl("notifications", "--json").json([NotificationEntry].self)) ?? []).contains { $0.kind == .retentionRisk } })
    }

    /// What `ltfuctl report` wrote, by path.
    static func files(in folder: URL) throws -> [String: String] {
        var files: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where path.hasSuffix(".html") || path.hasSuffix(".css") {
            files[path] = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
        }
        return files
    }

    /// The report made the way it was before ltfud rendered it: every list and every subject's
    /// `show` asked for one at a time, then rendered together.
    static func reportFromEveryShow(_ daemon: DaemonHarness, generatedAt: String) throws -> [String: String] {
        let subjects = try daemon.ctl("list", "--json").json([SubjectSummary].self)
        let shown = try subjects.map { try daemon.ctl("show", $0.code, "--json").json(ShowResponse.self) }
        let input = ReportInput(
            status: try daemon.ctl("status", "--json").json(StatusResponse.self),
            signals: try daemon.ctl("signals", "--all", "--json").json([SignalEntry].self),
            overdue: try daemon.ctl("overdue", "--json").json([VisitDue].self),
            due: try daemon.ctl("due", "--within", "30", "--json").json([VisitDue].self), subjects: subjects,
            retentionRisks: try daemon.ctl("notifications", "--json").json([NotificationEntry].self).filter { $0.kind == .retentionRisk },
            generatedAt: generatedAt)
        return SiteReport.render(input, shown: shown)
    }

    static func generatedAt(_ index: String) throws -> String {
        let match = try #require(index.firstMatch(of: /made (\d{4}-\d\d-\d\d \d\d:\d\d)/))
        return String(match.1)
    }

    @Test func theDaemonsReport_isThePagesMadeFromEveryShow_byteForByte() throws {
        let daemon = try DaemonHarness(today: ReportTests.today)
        try daemon.start()
        try Self.everyKindOfRow(daemon)
        let folder = daemon.root.appendingPathComponent("report")
        let made = try daemon.ok("report", "--out", folder.path)
        let written = try Self.files(in: folder)
        let index = try #require(written["index.html"])
        let expected = try Self.reportFromEveryShow(daemon, generatedAt: try Self.generatedAt(index))
        #expect(Set(written.keys).symmetricDifference(expected.keys).sorted() == [], "pages only one of the two reports has")
        for (path, text) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(written[path] == text, "\(path) differs")
        }
        #expect(made.stdout == "Wrote \(expected.count) files for 8 subjects to \(folder.path); open \(folder.path)/index.html\n")
        // Every kind of row is there to compare.
        for row in ["STOPPING RULE MET", "3 OPEN SAFETY SIGNALS", "<a href=\"subjects/R1.html\">R1</a></td><td>2025-", // retention risk
                    "<a href=\"subjects/S1.html\">S1</a></td><td>CIK-AUTO</td><td>2023-02-05</td>",              // no contact for a year
                    "Overdue visits (", "Due in the next 30 days ("] {
            #expect(index.contains(row), "\(row)")
        }
    }

    /// A thousand subjects make four batches: ltfud reads the next only once the client took the
    /// last, so a client that stops reading holds the report mid-way while others write.
    @Test func aWriteWhileTheReportIsUnderWay_isNotInIt() throws {
        try HostRequirement.program("/usr/bin/python3", package: "python3")
        let daemon = try DaemonHarness(today: ReportTests.today)
        try daemon.start()
        let csv = "code,product,infused,born,consent_on,consent_by,ended_on,end_reason\n"
            + (1...1000).map { String(format: "B%04d,CD19-CART,2025-01-10,,,,,\n", $0) }.joined()
        let subjects = daemon.root.appendingPathComponent("subjects.csv")
        try csv.write(to: subjects, atomically: true, encoding: .utf8)
        try daemon.ok("import", subjects.path)
        let before = daemon.root.appendingPathComponent("before")
        try daemon.ok("report", "--out", before.path)

        let socket = try RawSocket(path: daemon.socket)
        socket.send("GET /v1/report HTTP/1.1\r\nHost: ltfud\r\nConnection: close\r\n\r\n")
        var answer = socket.receive(atLeast: 64 * 1024)
        // While the report waits for its reader: a visit done, a subject enrolled, a death.
        try daemon.ok("record", "B1000", "M1", "--on", "2025-02-10")
        try daemon.ok("enroll", "ZZZ-1", "--product", "CD19-CART", "--infused", "2025-05-01")
        try daemon.ok("event", "B0999", "death", "--on", "2025-05-20", "--related", "no")
        answer += socket.receiveToTheEnd()

        let during = daemon.root.appendingPathComponent("during")
        try Self.untar(try Self.body(of: answer), into: during)
        let after = daemon.root.appendingPathComponent("after")
        try daemon.ok("report", "--out", after.path)
        let (old, held, new) = (try Self.files(in: before), try Self.files(in: during), try Self.files(in: after))
        #expect(held.count == 1000 + 8)
        #expect(Set(held.keys).symmetricDifference(old.keys).sorted() == [], "pages only one of the two reports has")
        for (path, text) in old.sorted(by: { $0.key < $1.key }) {
            #expect(Self.sameReport(held[path], text), "\(path) is not the report as it was when it was asked for")
        }
        // And the writes are real: the next report has them.
        #expect(new["subjects/ZZZ-1.html"] != nil)
        #expect(new["subjects/B1000.html"] != old["subjects/B1000.html"])
        #expect(new["subjects/B0999.html"] != old["subjects/B0999.html"])
    }

    /// Two pages of one report, but for the minute each was made in.
    static func sameReport(_ one: String?, _ other: String) -> Bool {
        guard let one else { return false }
        let minute = /\d{4}-\d\d-\d\d \d\d:\d\d/
        return one.replacing(minute, with: "MINUTE") == other.replacing(minute, with: "MINUTE")
    }

    /// The body of a chunked HTTP/1.1 answer (RFC 9112 §7.1).
    static func body(of answer: Data) throws -> Data {
        let bytes = [UInt8](answer)
        let head = try #require(bytes.firstRange(of: Array("\r\n\r\n".utf8)))
        let headers = String(decoding: bytes[..<head.lowerBound], as: UTF8.self)
        #expect(headers.hasPrefix("HTTP/1.1 200"), "\(headers)")
        #expect(headers.lowercased().contains("content-type: application/x-tar"), "\(headers)")
        var body = Data(), index = head.upperBound
        while let line = bytes[index...].firstRange(of: [13, 10]) {
            let size = try #require(Int(String(decoding: bytes[index..<line.lowerBound], as: UTF8.self), radix: 16))
            if size == 0 { return body }
            body.append(contentsOf: bytes[line.upperBound..<(line.upperBound + size)])
            index = line.upperBound + size + 2
        }
        Issue.record("the answer ends without its last chunk")
        return body
    }

    /// Python's `tarfile` reads the stream, as any tar would.
    static func untar(_ archive: Data, into folder: URL) throws {
        let file = folder.appendingPathExtension("tar")
        try archive.write(to: file)
        let result = try BuiltBinaries.run(path: "/usr/bin/python3", ["-c", """
            import os, sys, tarfile
            with tarfile.open(sys.argv[1], mode="r|") as archive:
                for member in archive:
                    assert member.isreg() and member.mode == 0o644 and ".." not in member.name, member.name
                    path = os.path.join(sys.argv[2], member.name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as out:
                        out.write(archive.extractfile(member).read())
            """, file.path, folder.path])
        #expect(result.status == 0, "\(result.stderr)")
    }
}

extension RawSocket {
    /// Reads until at least `count` bytes came.
    func receive(atLeast count: Int) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count < count {
            let got = recv(fd, &buffer, buffer.count, 0)
            if got <= 0 { break }
            data.append(contentsOf: buffer[0..<got])
        }
        return data
    }

    /// Reads until the server closes.
    func receiveToTheEnd() -> Data { receive(atLeast: .max) }
}

