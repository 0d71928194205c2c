import Foundation
@testable import LTFUStore
import Testing

/// The audit change's hand-written JSON says what Foundation's JSONSerialization said for
/// every kind of value an action puts in it, so rows before and after read the same.
@Suite struct AuditChangeJSONTests {
    @Test func sameTextAsJSONSerialization() throws {
        let changes: [[String: any Sendable]] = [
            ["product": "CD19-CART", "tier": "integrating", "tierOverride": false, "infusions": ["2025-01-10", "2025-03-01"],
             "visits": 18, "birthDateGiven": true, "consent": "guardian 2025-01-05"],
            ["visit": "M6", "assessment": "persistence", "value": "detected", "percent": 12.5, "whole": 100.0,
             "supersedes": ["value": "not-detected", "date": "2025-07-12", "id": Int64(42)] as [String: any Sendable]],
            ["note": "said \"no\" / then\nyes\t\u{1}, 中文 é", "id": Int64(-3), "uid": UInt32(1000), "series2": ["visits": 18, "infusion": "2025-03-01"] as [String: any Sendable]],
            [:],
        ]
        for change in changes {
            let foundation = String(decoding: try JSONSerialization.data(withJSONObject: change, options: [.sortedKeys, .withoutEscapingSlashes]),
                                    as: UTF8.self)
            #expect(try AuditChangeJSON.encode(change) == foundation)
        }
    }
}
