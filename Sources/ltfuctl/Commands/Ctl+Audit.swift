import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl audit`: who changed what, when and why; `--verify` checks the hash chain.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Show the audit trail, or check it with --verify.",
            discussion: "--verify exits 65 when a row was edited, removed or inserted behind the daemon's back.")

        @Argument(help: "Only this subject's changes.") var code: String?
        @Flag(help: "Check the whole hash chain instead of listing it.") var verify = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                if verify {
                    let result: AuditVerifyResponse = try await global.client.get(APIPath.auditVerify)
                    try global.output(result) { result in
                        let keyed = result.keyedFrom.map { $0 == 1 ? "keyed" : "keyed from row \($0)" } ?? "not keyed"
                        return result.ok ? "audit chain OK (\(result.rows) rows, \(keyed))" : "audit chain BROKEN: \(result.problem ?? "?")"
                    }
                    if !result.ok { throw ExitCode(LTFUError.Kind.data.exitCode) }
                    return
                }
                let query = try code.map { [("subject", try pathSegment($0))] } ?? []
                let entries: [AuditEntry] = try await global.client.get(APIPath.audit, query: query)
                let zone = global.json ? "UTC" : (try await global.client.get(APIPath.status, as: StatusResponse.self)).timezone
                try global.output(entries) { entries in
                    var table = TextTable("ID", "AT (\(zone))", "USER", "ACTION", "SUBJECT", "CHANGE")
                    for e in entries { table.append(String(e.id), SiteTime.describe(e.at, zone: zone), e.user, e.action, e.subject ?? "-", e.change) }
                    return entries.isEmpty ? "No changes recorded." : table.render()
                }
            }
        }
    }
}
