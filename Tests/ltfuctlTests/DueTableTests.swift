import Foundation
import LTFUCore
import LTFUWire
import Testing
@testable import ltfuctl

/// Issue #15: `ltfuctl due` lays its table out from the daemon's bytes. It must print exactly
/// what the general path (rows decoded, then ``TextTable``) prints, and step aside for any
/// answer it does not read.
@Suite struct DueTableTests {
    static func row(_ index: Int, purpose: VisitPurpose?) throws -> VisitDue {
        let day = try CalendarDate(parsing: "2026-01-01").adding(days: index * 37 % 400)
        return VisitDue(subject: String(repeating: "S", count: 1 + index % 9) + "-\(index)", visit: index % 3 == 0 ? "M\(index)" : "U\(index % 4)",
                        target: day, windowOpen: day.adding(days: -(index % 30)), windowClose: day.adding(days: index % 45),
                        status: VisitStatus.allCases[index % VisitStatus.allCases.count], purpose: purpose)
    }

    @Test(arguments: [0, 1, 2, 57])
    func theTable_isTheGeneralPathsTable(count: Int) throws {
        let rows = try (0..<count).map { try Self.row($0, purpose: $0 % 5 == 1 ? VisitPurpose.allCases[$0 % VisitPurpose.allCases.count] : nil) }
        let fast = try #require(DueTable.render(wireJSON: rows.wireJSON(), empty: "No visits due."))
        #expect(String(decoding: fast, as: UTF8.self) == SubjectRendering.renderDue(rows, empty: "No visits due.") + "\n")
    }

    /// The answer arrives in pieces of any size, cut anywhere (inside a key, a value, between
    /// rows): the table is the same as from the whole answer, and so is `--json`'s layout.
    @Test(arguments: [1, 2, 7, 64, 1000])
    func anAnswerInPieces_readsTheSame(pieceSize: Int) throws {
        let rows = try (0..<40).map { try Self.row($0, purpose: $0 % 7 == 3 ? .tumorSample : nil) }
        let whole = rows.wireJSON()
        var table = DueTable()
        var printer = WireJSON.PrettyPrinter()
        var pretty: [UInt8] = []
        whole.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let piece = UnsafeRawBufferPointer(rebasing: raw[offset..<min(raw.count, offset + pieceSize)])
                table.feed(piece)
                printer.feed(piece) { pretty.append(contentsOf: $0) }
                offset += pieceSize
            }
        }
        printer.finish { pretty.append(contentsOf: $0) }
        let read = table.finish()
        #expect(read)
        var out: [UInt8] = []
        table.write(empty: "-") { out.append(contentsOf: $0) }
        #expect(out == DueTable.render(wireJSON: whole, empty: "-"))
        #expect(Data(pretty) == WireJSON.prettyPrinted(whole))
    }

    @Test func aCutAnswer_isNotRead() throws {
        let whole = try (0..<3).map { try Self.row($0, purpose: nil) }.wireJSON()
        var table = DueTable()
        whole.dropLast(5).withUnsafeBytes { table.feed($0) }
        let read = table.finish()
        #expect(!read)
    }

    @Test func thePrettyAnswer_readsTheSame() throws {
        let rows = try (0..<5).map { try Self.row($0, purpose: nil) }
        let pretty = try WireJSON.encoder(pretty: true).encode(rows)
        #expect(DueTable.render(wireJSON: pretty, empty: "-") == DueTable.render(wireJSON: rows.wireJSON(), empty: "-"))
    }

    @Test(arguments: [
        #"[{"subject":"S\u00e9","visit":"M1","target":"2026-01-01","windowOpen":"2026-01-01","windowClose":"2026-01-02","status":"due"}]"#,
        #"[{"subject":"Sé","visit":"M1","target":"2026-01-01","windowOpen":"2026-01-01","windowClose":"2026-01-02","status":"due"}]"#,
        #"[{"subject":"S1","visit":"M1","target":"2026-1-01","windowOpen":"2026-01-01","windowClose":"2026-01-02","status":"due"}]"#,
        #"[{"subject":"S1","visit":"M1","target":"2026-01-01","windowOpen":"2026-01-01","windowClose":"2026-01-02","status":"late"}]"#,
        #"[{"subject":"S1","visit":"M1","target":"2026-01-01","windowOpen":"2026-01-01","windowClose":"2026-01-02"}]"#,
        #"[{"subject":"S1","visit":"M1","target":"2026-01-01","windowOpen":"2026-01-01","windowClose":"2026-01-02","status":"due","purpose":"x"}]"#,
        #"[{"subject":1}]"#, #"{"error":"x"}"#, #"[] x"#, "",
    ])
    func anythingElse_takesTheGeneralPath(json: String) {
        #expect(DueTable.render(wireJSON: Data(json.utf8), empty: "-") == nil)
    }
}
