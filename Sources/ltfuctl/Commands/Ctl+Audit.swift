import ArgumentParser
import LTFUCore
import LTFUFormats
import LTFUWire

extension Ctl {
    /// `ltfuctl audit`: who changed what, when and why; `--verify` checks the hash chain.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: tr("Show the audit trail, or check it with --verify."),
            discussion: tr("--verify exits 65 when a row was edited, removed or inserted behind the daemon's back."))

        @Argument(help: ArgumentHelp(tr("Only this subject's changes."))) var code: String?
        @Flag(help: ArgumentHelp(tr("Check the whole hash chain instead of listing it."))) var verify = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                if verify {
                    let result: AuditVerifyResponse = try await global.client.get(APIPath.auditVerify)
                    try global.output(result) { result in
                        let keyed = result.keyedFrom.map { $0 == 1 ? tr("keyed") : tr("keyed from row {row}", ["row": String($0)]) } ?? tr("not keyed")
                        return result.ok ? tr("audit chain OK ({rows} rows, {keyed})", ["rows": String(result.rows), "keyed": keyed])
                            : tr("audit chain BROKEN: {problem}", ["problem": result.problem ?? "?"])
                    }
                    if !result.ok { throw ExitCode(LTFUError.Kind.data.exitCode) }
                    return
                }
                let query = try code.map { [("subject", try pathSegment($0))] } ?? []
                let entries: [AuditEntry] = try await global.client.get(APIPath.audit, query: query)
                let zone = global.json ? "UTC" : (try await global.client.get(APIPath.status, as: StatusResponse.self)).timezone
                try global.output(entries) { entries in
                    var table = TextTable(tr("ID"), tr("AT ({zone})", ["zone": zone]), tr("USER"), tr("ACTION"), tr("SUBJECT"), tr("CHANGE"))
                    for e in entries { table.append(String(e.id), SiteTime.describe(e.at, zone: zone), e.user, e.action, e.subject ?? "-", e.change) }
                    return entries.isEmpty ? tr("No changes recorded.") : table.render()
                }
            }
        }
    }
}
