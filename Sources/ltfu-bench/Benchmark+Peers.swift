import Foundation
import GRDB
import LTFUCore
import LTFUWire

/// What ltfu is measured against (issue #15): the raw SQL returning the same rows, `curl` on
/// the same route, and `remind` over the same windows.
extension Benchmark {
    /// The store's `due` query, bounded the same way, run with GRDB and read column by column:
    /// the least any program can do to return these rows from this file.
    static func rawDue(_ queue: DatabaseQueue, today: CalendarDate, within: Int) throws -> Int {
        try queue.read { db in
            // The same bound the daemon reads (schema v12), so both scan the same index range.
            let longest = try Double.fetchOne(db, sql: "SELECT longestDays FROM visitWindowBound") ?? 0
            return try count(db, sql: """
                SELECT subject.code, visit.code, visit.target, visit.windowOpen, visit.windowClose, visit.purpose
                FROM visit JOIN subject ON subject.id = visit.subjectId
                WHERE visit.state = 'open' AND visit.windowOpen BETWEEN ? AND ? AND visit.windowClose >= ?
                ORDER BY visit.windowClose, subject.code
                """, [today.adding(days: -Int(longest.rounded(.up))).description, today.adding(days: within).description,
                      today.description])
        }
    }

    static func rawOverdue(_ queue: DatabaseQueue, today: CalendarDate) throws -> Int {
        try queue.read { db in
            try count(db, sql: """
                SELECT subject.code, visit.code, visit.target, visit.windowOpen, visit.windowClose, visit.purpose
                FROM visit JOIN subject ON subject.id = visit.subjectId
                WHERE visit.state = 'open' AND visit.windowOpen < ?1 AND visit.windowClose < ?1
                ORDER BY visit.windowClose, subject.code
                """, [today.description])
        }
    }

    private static func count(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> Int {
        var rows = 0
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            for column in 0..<6 { _ = row[column] as String? }
            rows += 1
        }
        return rows
    }

    /// Every open visit's window as a remind(1) reminder that triggers on each day of it, so
    /// `remind -q FILE DATE` lists what `ltfuctl due --within 0` lists. Returns how many.
    static func writeRemindFile(_ queue: DatabaseQueue, to path: String) throws -> Int {
        try queue.read { db in
            var text = ""
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT subject.code, visit.code, visit.windowOpen, visit.windowClose
                FROM visit JOIN subject ON subject.id = visit.subjectId WHERE visit.state = 'open'
                """)
            while let row = try cursor.next() {
                text += "REM \(row[2] as String) THROUGH \(row[3] as String) MSG \(row[0] as String) \(row[1] as String)\n"
                count += 1
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return count
        }
    }

    /// remind(1) from PATH, installed with apt when missing and run as root (it is Debian's
    /// `remind` package; the benchmark runs by hand, never in CI).
    static func remindProgram() -> String? {
        if let found = which("remind") { return found }
        guard getuid() == 0, let apt = which("apt-get") else { return nil }
        print("remind not found: apt-get install -y remind")
        _ = try? run(apt, ["install", "-y", "-q", "remind"])
        return which("remind")
    }

    /// Lines of remind's answer that are reminders (its banner and blank lines left out).
    static func remindRows(_ output: Data) -> Int {
        String(decoding: output, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("Reminders for") }.count
    }
}
