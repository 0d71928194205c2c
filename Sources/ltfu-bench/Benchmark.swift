import AsyncHTTPClient
import Foundation
import GRDB
import LTFUConfig
import LTFUCore
import LTFUDaemon
import Logging
import Synchronization
import LTFUStore
import LTFUWire
import NIOFoundationCompat

/// `swift run -c release ltfu-bench [SUBJECTS] [--keep] [--enrolled FILE] [--peer remind]`:
/// enrolls SUBJECTS (default 100,000) subjects through the store into a fresh database file,
/// then starts the real ltfud on it and times `show`, `due` and `overdue` through the socket,
/// against the raw SQL and `curl`, and `ltfuctl` against `curl` (and `remind` with
/// `--peer remind`). Prints the README's table.
@main
struct Benchmark {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let count = arguments.first.flatMap(Int.init) ?? 100_000
        // `--keep`: leave the database for a closer look (sqlite3 .timer, EXPLAIN QUERY PLAN).
        let keep = arguments.contains("--keep")
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        // `--enrolled FILE`: the enrolled database (before any scheduling pass) is copied from
        // FILE when it exists, else saved there: enrolling 100,000 subjects takes minutes.
        let enrolledCopy = option("--enrolled")
        let peer = option("--peer")
        guard peer == nil || peer == "remind" else { throw BenchmarkFailure("--peer knows only `remind`") }
        let root = URL(fileURLWithPath: "/tmp/ltfu-bench-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("state"), withIntermediateDirectories: true)
        defer {
            if keep { print("kept \(root.path)") } else { try? FileManager.default.removeItem(at: root) }
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try ProductCatalog.load(productsDirectory: repository.appendingPathComponent("etc/ltfu/products.d").path,
                                              schedulesDirectory: "/nonexistent")
        let products = catalog.products.values.sorted { $0.id < $1.id }
        let today = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Shanghai") ?? .current)

        // 1. Enrollment through the store, one transaction (and fsync) each, as the daemon does.
        let databasePath = root.appendingPathComponent("state/ltfu.sqlite").path
        let reused = enrolledCopy.map { FileManager.default.fileExists(atPath: $0) } ?? false
        if let enrolledCopy, reused { try FileManager.default.copyItem(atPath: enrolledCopy, toPath: databasePath) }
        let store = try FollowUpStore.open(path: databasePath)
        let actor = Actor(uid: 0, name: "bench")
        var random = SystemRandomNumberGenerator()
        let started = ContinuousClock.now
        for index in 0..<(reused ? 0 : count) {
            let product = products[index % products.count]
            // Infusions spread over the last 15 years; one in ten a child.
            let infused = today.adding(days: -Int.random(in: 0..<(15 * 365), using: &random))
            let born = index % 10 == 0 ? infused.adding(days: -Int.random(in: 365..<(17 * 365), using: &random)) : nil
            let plan = try catalog.plan(for: product, infusions: [infused], birthDate: born)
            _ = try store.enroll(Enrollment(code: String(format: "B%06d", index), product: product, infusions: [infused],
                                            birthDate: born, plan: plan, templateId: catalog.template(for: product).id),
                                 by: actor, at: Date())
        }
        let enrollSeconds = (ContinuousClock.now - started).seconds
        // A well-run site has recorded what is more than a month past: leave the rest open.
        let queue = try DatabaseQueue(path: databasePath)
        let (visits, open) = try await queue.write { db in
            try db.execute(sql: "UPDATE visit SET state = 'done', doneOn = target WHERE state = 'open' AND windowClose < ?",
                           arguments: [today.adding(days: -30)])
            return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visit") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visit WHERE state = 'open'") ?? 0)
        }
        if let enrolledCopy, !reused {
            try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try FileManager.default.copyItem(atPath: databasePath, toPath: enrolledCopy)
        }
        try queue.close()

        // 2. Scheduling passes, as the daemon runs them (journald is called; files are fsynced).
        let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        var configuration = SiteConfiguration(file: root.appendingPathComponent("ltfud.toml").path)
        configuration.site.timeZone = zone
        let clock = Mutex(today.instant(atMinute: 9 * 60, in: zone))
        let registry = SubjectRegistry(store: store, configuration: configuration, catalog: catalog, clock: { clock.withLock { $0 } })
        let scheduler = NotificationScheduler(
            registry: registry,
            emitter: NotificationEmitter(store: store, files: NotificationFiles(directory: root.appendingPathComponent("state/notifications").path),
                                         logger: Logger(label: "bench")),
            logger: Logger(label: "bench"), watchdog: nil)
        var stamp = ContinuousClock.now
        let first = try scheduler.runPass()
        let firstSeconds = (ContinuousClock.now - stamp).seconds
        stamp = ContinuousClock.now
        let idle = try scheduler.runPass()
        let idleMilliseconds = (ContinuousClock.now - stamp).seconds * 1000
        clock.withLock { $0 = today.adding(days: 1).instant(atMinute: 9 * 60, in: zone) }
        stamp = ContinuousClock.now
        let nextDay = try scheduler.runPass()
        let nextDaySeconds = (ContinuousClock.now - stamp).seconds
        // As ltfud does after the day's first pass: the pages freed by marking 15 years of
        // visits done at once (they left the indexes of open visits) go back to the disk.
        scheduler.releaseFreePagesOncePerDay()
        let queue2 = try DatabaseQueue(path: databasePath)
        try await queue2.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue2.close()
        let size = (try FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0

        // 3. Queries through the real daemon and its socket.
        let config = root.appendingPathComponent("ltfud.toml")
        let group = String(cString: getgrgid(getgid()).pointee.gr_name)
        try """
            [site]
            timezone = "Asia/Shanghai"
            [paths]
            products = "\(repository.appendingPathComponent("etc/ltfu/products.d").path)"
            [access]
            read_group = "\(group)"
            write_group = "\(group)"
            """.write(to: config, atomically: true, encoding: .utf8)
        let socket = root.appendingPathComponent("ltfud.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ltfud")
        daemon.arguments = ["--config", config.path, "--state-dir", root.appendingPathComponent("state").path, "--socket", socket]
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let client = HTTPClient.shared
        func get(_ path: String) async throws -> Data {
            guard let url = URL(httpURLWithSocketPath: socket, uri: path) else { throw CancellationError() }
            let response = try await client.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
            return Data(buffer: try await response.body.collect(upTo: 1 << 30))
        }
        for _ in 0..<200 where (try? await get(APIPath.status)) == nil { try await Task.sleep(for: .milliseconds(50)) }

        func measure(_ name: String, _ repetitions: Int, _ path: (Int) -> String) async throws -> String {
            var samples: [Double] = []
            var rows = 0
            for index in 0..<repetitions {
                let start = ContinuousClock.now
                let data = try await get(path(index))
                samples.append((ContinuousClock.now - start).seconds * 1000)
                if index == 0, let array = try? JSONSerialization.jsonObject(with: data) as? [Any] { rows = array.count }
            }
            samples.sort()
            let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
            return String(format: "| %@ | %.1f ms | %.1f ms |%@", name, p50, p99, rows > 0 ? " \(rows) rows" : "")
        }
        print("subjects: \(count), visits: \(visits) (\(open) open)\(reused ? ", enrolled database copied from \(enrolledCopy ?? "")" : "")")
        if !reused {
            print(String(format: "enrollment: %.0f subjects/s (%.1f s)", Double(count) / enrollSeconds, enrollSeconds))
        }
        print(String(format: "database: %.1f MB", Double(size) / 1e6))
        print(String(format: "first pass (plans every open visit, emits what is due): %.1f s, %d recorded, %d emitted",
                     firstSeconds, first.recorded, first.emitted))
        print(String(format: "idle pass (nothing due): %.2f ms (%d emitted)", idleMilliseconds, idle.emitted))
        print(String(format: "next day's pass: %d notifications recorded and emitted in %.2f s", nextDay.emitted, nextDaySeconds))
        print("| query | p50 | p99 |")
        print("|---|---|---|")
        print(try await measure("show", 500) { APIPath.subject(String(format: "B%06d", ($0 * 7919) % count)) })
        print(try await measure("due (14 days)", 100) { _ in APIPath.due })
        print(try await measure("overdue", 100) { _ in APIPath.overdue })
        print(try await measure("status", 100) { _ in APIPath.status })
        let resident = (try? String(contentsOfFile: "/proc/\(daemon.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? "VmRSS: ?"
        print("ltfud \(resident.replacingOccurrences(of: "\t", with: " "))")
        let ctl = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ltfuctl").path
        if FileManager.default.isExecutableFile(atPath: ctl) {
            print("| report | result | target |")
            print("|---|---|---|")
            for row in try reportRows(ctl: ctl, socket: socket, daemon: daemon.processIdentifier,
                                      folder: root.appendingPathComponent("report").path) { print(row) }
        }

        // 4. Ratios (issue #15), each from medians of alternating runs in this one process.
        let daemonToday = try WireJSON.decoder().decode(StatusResponse.self, from: try await get(APIPath.status)).today
        let reader = try DatabaseQueue(path: databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? reader.close() }
        print("\n| against | ltfu | peer | ratio |")
        print("|---|---|---|---|")
        func ratio(_ name: String, _ ours: Double, _ theirs: Double, peerName: String) {
            print(String(format: "| %@: %@ | %.1f ms | %.1f ms | %.2f× |", name, peerName, ours, theirs, ours / theirs))
        }
        for (name, path, raw) in [
            ("due (14 days)", APIPath.due, { try rawDue(reader, today: daemonToday, within: 14) }),
            ("due --within 0", APIPath.due + "?within=0", { try rawDue(reader, today: daemonToday, within: 0) }),
            ("overdue", APIPath.overdue, { try rawOverdue(reader, today: daemonToday) }),
        ] as [(String, String, () throws -> Int)] {
            let times = try await alternating(rounds: 21, [("api", { _ = try await get(path) }), ("sql", { _ = try raw() })])
            ratio("\(name) through the socket", times[0], times[1], peerName: "raw SQL (GRDB) \(try raw()) rows")
        }
        // ltfud keeps the last answers until the next write; a different `within` in every round
        // is never kept, so this is the answer computed afresh, as after a write.
        var fresh = 14
        let freshTimes = try await alternating(rounds: 21, [
            ("api", { fresh += 1; _ = try await get(APIPath.due + "?within=\(fresh)") }),
            ("sql", { _ = try rawDue(reader, today: daemonToday, within: fresh) }),
        ])
        ratio("due (15–35 days, a new answer each time) through the socket", freshTimes[0], freshTimes[1], peerName: "raw SQL (GRDB)")
        let curl = which("curl")
        if let curl, FileManager.default.isExecutableFile(atPath: ctl) {
            for (name, ctlArguments, path) in [
                ("ltfuctl due --within 0", ["due", "--within", "0"], APIPath.due + "?within=0"),
                ("ltfuctl due --within 0 --json", ["due", "--within", "0", "--json"], APIPath.due + "?within=0"),
                ("ltfuctl overdue", ["overdue"], APIPath.overdue),
            ] {
                let times = try await alternating(rounds: 11, [
                    ("ltfuctl", { try run(ctl, ctlArguments + ["--socket", socket]) }),
                    ("curl", { try run(curl, ["-sf", "--unix-socket", socket, "-o", "/dev/null", "http://localhost\(path)"]) }),
                ])
                ratio(name, times[0], times[1], peerName: "curl")
            }
        } else {
            print("(ltfuctl against curl left out: build ltfuctl with `swift build -c release --product ltfuctl` and install curl)")
        }
        if peer == "remind" {
            guard let remind = remindProgram(), FileManager.default.isExecutableFile(atPath: ctl) else {
                throw BenchmarkFailure("--peer remind needs remind (apt-get install remind) and a release ltfuctl")
            }
            let file = root.appendingPathComponent("visits.rem").path
            let reminders = try writeRemindFile(reader, to: file)
            let remindArguments = ["-q", file, daemonToday.description]
            let listed = remindRows(try run(remind, remindArguments, capture: true))
            let rows = try [VisitDue](wireJSON: try await get(APIPath.due + "?within=0"))?.count ?? -1
            print("remind file: \(reminders) open windows; remind lists \(listed) for \(daemonToday), ltfuctl due --within 0 \(rows)")
            let times = try await alternating(rounds: 5, [
                ("remind", { try run(remind, remindArguments) }),
                ("table", { try run(ctl, ["due", "--within", "0", "--socket", socket]) }),
                ("json", { try run(ctl, ["due", "--within", "0", "--json", "--socket", socket]) }),
            ])
            print(String(format: "| remind -q: %.0f ms | ltfuctl due --within 0: %.1f ms (%.1f× faster) | --json: %.1f ms (%.1f× faster) |",
                         times[0], times[1], times[0] / times[1], times[2], times[0] / times[2]))
        }
    }
}
