import Foundation
import Hummingbird
import LTFUCore
import LTFUFormats
import LTFUL10n
import LTFUStore
import LTFUWire
import NIOCore
import ServiceLifecycle

/// SPEC §13's site report, rendered here from one snapshot of the store and sent as a tar
/// stream (``TarArchive``) as it is made: every subject's page in code order, a batch at a
/// time, then the section lists and `index.html`. ltfuctl writes each file as it arrives.
///
/// - One snapshot: every answer the report is made of (status, signals, due, overdue, the
///   subjects) is read from the database as it was when the request came; a write that lands
///   meanwhile is in the next report, never half in this one.
/// - Bounded: a batch of ``batchSize`` subjects is read and rendered, then sent; the next is
///   read only once the client has taken it (the socket pushes back), so neither side ever
///   holds more than a batch of pages.
/// - It reads only what `show` and the lists show: no birth date, no note.
struct SiteReportStream: Sendable {
    static let batchSize = 250

    let registry: SubjectRegistry
    let pages: ReportPages

    /// Takes the snapshot and reads what the index needs; blocking, so off the cooperative pool.
    init(registry live: SubjectRegistry, language: Language?, status: (SubjectRegistry) throws(LTFUError) -> StatusResponse) throws(LTFUError) {
        let instant = live.now
        registry = SubjectRegistry(store: try live.store.snapshot(), configuration: live.configuration, catalog: live.catalog,
                                   clock: { instant })
        let status = try status(registry)
        let notifications = try registry.notifications(since: nil)
        pages = ReportPages(ReportInput(
            status: status, signals: try registry.signals(all: true), overdue: try registry.overdue(), due: try registry.due(within: 30),
            subjects: try registry.list(tier: nil, status: nil), retentionRisks: notifications.filter { $0.kind == .retentionRisk },
            generatedAt: SiteTime.describe(instant, zone: live.configuration.site.timeZone.identifier),
            language: language ?? live.configuration.site.language))
    }

    /// Sends the report to `writer`. A stop of ltfud ends it between two batches, without
    /// the archive's end, so ltfuctl says the report is incomplete.
    func send(to writer: inout any ResponseBodyWriter) async throws {
        var pages = pages
        var after: String?
        let modified = Int(registry.now.timeIntervalSince1970)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let batch = try await StoreWork.read { [registry, pages, after] () throws -> (bytes: [UInt8], last: String?, pages: ReportPages) in
                var pages = pages
                let today = registry.today
                let details = try registry.store.subjects(after: after, limit: Self.batchSize)
                var bytes: [UInt8] = []
                for detail in details {
                    bytes += Self.entry(pages.page(for: registry.show(detail, today: today)), modified: modified)
                }
                return (bytes, details.last?.subject.code, pages)
            }
            pages = batch.pages
            if !batch.bytes.isEmpty { try await writer.write(ByteBuffer(bytes: batch.bytes)) }
            guard let last = batch.last else {
                var closing: [UInt8] = []
                for file in pages.closingPages() { closing += Self.entry(file, modified: modified) }
                try await writer.write(ByteBuffer(bytes: closing + TarArchive.end))
                return
            }
            after = last
        }
    }

    static func entry(_ file: ReportFile, modified: Int) -> [UInt8] {
        TarArchive.entry(path: file.path, contents: file.text.utf8, modified: modified)
    }
}
