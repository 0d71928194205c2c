import Foundation
import GRDB
import LTFUConfig
import LTFUCore
import LTFUDaemon
import LTFUStore
import LTFUWire
import Logging
import Testing

/// Issue #13: `status.nextNotification` was null, or in the past, between a write and the pass
/// that plans it. It is now the current minute while anything waits to be planned or emitted.
@Suite struct NextNotificationTests {
    @Test func whileAWriteWaitsForItsPass_theNextNotificationIsNow_thenTheNextFireTime() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let store = try FollowUpStore(DatabaseQueue())
        var configuration = SiteConfiguration(file: repository.appendingPathComponent("etc/ltfu/ltfud.toml").path)
        configuration.site.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let catalog = try ProductCatalog.load(productsDirectory: repository.appendingPathComponent("etc/ltfu/products.d").path,
                                              schedulesDirectory: "/nonexistent")
        // 2025-03-01 10:17 in Shanghai.
        let registry = SubjectRegistry(store: store, configuration: configuration, catalog: catalog,
                                       clock: { Date(timeIntervalSince1970: 1_740_795_420) })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-next-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scheduler = NotificationScheduler(
            registry: registry,
            emitter: NotificationEmitter(store: store, files: NotificationFiles(directory: folder.path), logger: Logger(label: "test")),
            logger: Logger(label: "test"), watchdog: nil)
        #expect(scheduler.nextNotification() == nil, "nothing enrolled, nothing planned")
        _ = try registry.enroll(EnrollRequest(code: "N-1", product: "CIK-AUTO", infused: ["2025-02-20"], born: nil),
                                by: Actor(uid: 0, name: "root"))
        #expect(scheduler.nextNotification() == "2025-03-01 10:17", "planned by the next pass, which is now")
        try scheduler.runPass()
        // M1's window opens 2025-03-13, so its upcoming reminder (14 days before) was due 2025-02-27
        // and went out; the window-open of 2025-03-13 is next, at 08:00.
        #expect(scheduler.nextNotification() == "2025-03-13 08:00")
    }
}
