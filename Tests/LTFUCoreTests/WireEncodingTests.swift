import Foundation
import LTFUCore
import LTFUWire
import Testing

/// The hand-written JSON of `due`/`overdue` must be byte for byte what the encoder makes.
@Suite struct WireEncodingTests {
    @Test func visitDueFastJSON_equalsTheEncoder() throws {
        let rows = [
            VisitDue(subject: "S01-001", visit: "M1", target: d("2025-02-10"), windowOpen: d("2025-02-03"),
                     windowClose: d("2025-02-17"), status: .due),
            VisitDue(subject: "A.b_c-9", visit: "M180", target: d("2040-02-29"), windowOpen: d("2039-12-31"),
                     windowClose: d("2040-04-29"), status: .overdue),
        ]
        #expect(rows.wireJSON() == (try WireJSON.encoder().encode(rows)))
        #expect([VisitDue]().wireJSON() == (try WireJSON.encoder().encode([VisitDue]())))
        #expect(try JSONDecoder().decode([VisitDue].self, from: rows.wireJSON()) == rows)
    }

    /// Issue #15: ltfuctl reads `due` by hand and prints `--json` without the encoder; both
    /// must agree with Foundation's, and anything unexpected must go back to the decoder.
    @Test func visitDueFastReading_equalsTheDecoder_andPrettyPrintingTheEncoder() throws {
        let rows = [
            VisitDue(subject: "S01-001", visit: "M1", target: d("2025-02-10"), windowOpen: d("2025-02-03"),
                     windowClose: d("2025-02-17"), status: .due),
            VisitDue(subject: "Ünïcode-9", visit: "U1", target: d("2040-02-29"), windowOpen: d("2039-12-31"),
                     windowClose: d("2040-04-29"), status: .overdue, purpose: VisitPurpose.allCases.first),
        ]
        #expect([VisitDue](wireJSON: rows.wireJSON()) == rows)
        #expect([VisitDue](wireJSON: [VisitDue]().wireJSON()) == [])
        #expect([VisitDue](wireJSON: Data(#"[{"subject":"a\"b"}]"#.utf8)) == nil)
        #expect([VisitDue](wireJSON: Data(#"{"error":{"code":"x"}}"#.utf8)) == nil)
        #expect([VisitDue](wireJSON: Data(#"[{"subject":"A","visit":"M1"}]"#.utf8)) == nil)
        #expect([VisitDue](wireJSON: rows.wireJSON() + Data("x".utf8)) == nil)
        for value in [rows, []] {
            #expect(WireJSON.prettyPrinted(value.wireJSON()) == (try WireJSON.encoder(pretty: true).encode(value)))
        }
        let nested: [String: [String: [Int]]] = ["b": ["y": [1, 2], "x": []], "a": [:], "c": ["z": [-3]]]
        #expect(WireJSON.prettyPrinted(try WireJSON.encoder().encode(nested)) == (try WireJSON.encoder(pretty: true).encode(nested)))
    }

    @Test func isoFastPath_agreesWithTheCheckedParser() {
        for text in ["2024-02-29", "2023-02-29", "2024-13-01", "0000-01-01", "2024-1-01", "abcd-ef-gh", "2024-01-31", "9999-12-31"] {
            #expect(CalendarDate(iso: text) == (try? CalendarDate(parsing: text)), "\(text)")
        }
    }
}
