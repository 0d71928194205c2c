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

    @Test func isoFastPath_agreesWithTheCheckedParser() {
        for text in ["2024-02-29", "2023-02-29", "2024-13-01", "0000-01-01", "2024-1-01", "abcd-ef-gh", "2024-01-31", "9999-12-31"] {
            #expect(CalendarDate(iso: text) == (try? CalendarDate(parsing: text)), "\(text)")
        }
    }
}
