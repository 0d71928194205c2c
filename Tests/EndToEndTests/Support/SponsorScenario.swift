import Foundation
import Testing

/// Issue #24's scenario for the SDTM export, entered through the real ltfuctl into a real ltfud
/// whose clock stands at 2028-06-01: every case the sponsor's data set has to carry.
///
/// | subject | product (tier) | born | consents | what happens | end |
/// |---|---|---|---|---|---|
/// | A-1 | CD19-CART (integrating) | 1980-05-20 | subject | M1, M3 done; RCL positive → U1 done (note); M6 missed; new malignancy (note) → U2 missed | death, related |
/// | B-2 | CD19-CART | 2015-03-01 (a child) | guardian, then the subject's own | M1 done; re-infused; M1 of the new series done; hematologic disorder | withdrawn |
/// | C-3 | MSLN-CARNK-MRNA (non-integrating) | unknown (a child) | guardian | M1 done, M3 missed; autoimmune and neurologic disorders | lost to follow-up |
/// | D-4 | CIK-AUTO (non-modified) | 1990-07-07 | subject | M1 done (note), M3 missed; serious infection (note), other SAE | transferred |
/// | E-5 | CD19-CART | 1975-12-31 | subject | M1 done, M3 missed | — (active) |
enum SponsorScenario {
    static let today = "2028-06-01"
    /// Fixed, so that two exports can be compared byte for byte.
    static let created = "2028-06-01T10:00:00+08:00"
    static let birthDates = ["1980-05-20", "2015-03-01", "1990-07-07", "1975-12-31"]
    /// Every piece of free text the scenario enters: miss reasons, then notes.
    static let reasons = ["in hospital elsewhere", "no tissue available", "family unreachable", "moved to Beijing", "travelling"]
    static let notes = ["confirmation sample drawn", "T-cell lymphoma suspected", "feels well", "pneumonia, admitted"]

    static func enter(into daemon: DaemonHarness) throws {
        try daemon.ok("enroll", "A-1", "--product", "CD19-CART", "--infused", "2027-01-15", "--born", "1980-05-20",
               "--consent-on", "2027-01-10", "--consent-by", "subject")
        try daemon.ok("record", "A-1", "M1", "--on", "2027-02-15")
        try daemon.ok("record", "A-1", "M3", "--on", "2027-04-16")
        try daemon.ok("result", "A-1", "M3", "rcl-test", "positive")  // → U1 rcl-confirmation, target 2027-04-30
        try daemon.ok("record", "A-1", "U1", "--on", "2027-04-29", "--note", "confirmation sample drawn")
        try daemon.ok("miss", "A-1", "M6", "--reason", "in hospital elsewhere")
        try daemon.ok("event", "A-1", "new-malignancy", "--on", "2027-09-01", "--note", "T-cell lymphoma suspected")  // → U2 tumor-sample
        try daemon.ok("miss", "A-1", "U2", "--reason", "no tissue available")
        try daemon.ok("event", "A-1", "death", "--on", "2028-03-10", "--related", "yes")  // ends A-1; U3 tissue-sample stays open

        try daemon.ok("enroll", "B-2", "--product", "CD19-CART", "--infused", "2027-03-05", "--born", "2015-03-01",
               "--consent-on", "2027-03-01", "--consent-by", "guardian")
        try daemon.ok("record", "B-2", "M1", "--on", "2027-04-06")
        try daemon.ok("infuse", "B-2", "--on", "2027-06-10")
        try daemon.ok("record", "B-2", "M1", "--on", "2027-07-12")
        try daemon.ok("event", "B-2", "hematologic-disorder", "--on", "2027-08-01", "--related", "no")
        try daemon.ok("consent", "B-2", "--on", "2028-01-10", "--by", "subject")
        try daemon.ok("end", "B-2", "--reason", "withdrawn", "--on", "2028-02-01")

        try daemon.ok("enroll", "C-3", "--product", "MSLN-CARNK-MRNA", "--infused", "2027-04-02",
               "--consent-on", "2027-04-01", "--consent-by", "guardian")
        try daemon.ok("record", "C-3", "M1", "--on", "2027-05-02")
        try daemon.ok("event", "C-3", "autoimmune-disorder", "--on", "2027-06-01")
        try daemon.ok("event", "C-3", "neurologic-disorder", "--on", "2027-07-01", "--related", "yes")
        try daemon.ok("miss", "C-3", "M3", "--reason", "family unreachable")
        try daemon.ok("end", "C-3", "--reason", "lost-to-follow-up", "--on", "2028-05-01", "--force", "--note", "no answer since autumn")

        try daemon.ok("enroll", "D-4", "--product", "CIK-AUTO", "--infused", "2027-05-03", "--born", "1990-07-07",
               "--consent-on", "2027-05-01", "--consent-by", "subject")
        try daemon.ok("record", "D-4", "M1", "--on", "2027-06-03", "--note", "feels well")
        try daemon.ok("event", "D-4", "serious-infection", "--on", "2027-06-20", "--related", "no", "--note", "pneumonia, admitted")
        try daemon.ok("event", "D-4", "other-sae", "--on", "2027-07-15")
        try daemon.ok("miss", "D-4", "M3", "--reason", "moved to Beijing")
        try daemon.ok("end", "D-4", "--reason", "transferred", "--on", "2027-10-01")

        try daemon.ok("enroll", "E-5", "--product", "CD19-CART", "--infused", "2028-01-05", "--born", "1975-12-31",
               "--consent-on", "2028-01-02", "--consent-by", "subject")
        try daemon.ok("record", "E-5", "M1", "--on", "2028-02-07")
        try daemon.ok("miss", "E-5", "M3", "--reason", "travelling")
    }

    /// `ltfuctl export sdtm` of the scenario's study, with the fixed creation time.
    static func export(_ daemon: DaemonHarness, to folder: URL, includeText: Bool = false) throws -> CommandResult {
        try daemon.ctl(["export", "sdtm", "--study", "LTFU-01", "--out", folder.path, "--created", created] + (includeText ? ["--include-text"] : []))
    }

    /// A Dataset-JSON file's rows as CSV would show them: numbers written out, null as "".
    static func jsonRows(_ file: URL) throws -> (columns: [[String: Any]], rows: [[String]]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any], "\(file.lastPathComponent)")
        let columns = try #require(document["columns"] as? [[String: Any]])
        let rows = try #require(document["rows"] as? [[Any]])
        return (columns, rows.map { row in row.map { value in value is NSNull ? "" : "\(value)" } })
    }

    /// The fields of a CSV line that has no quoted field.
    static func fields(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
