import Crypto
import Foundation
import GRDB

/// The calendar UID (RFC 5545 §3.8.4.7, SPEC §12) of a visit that stores none: every visit
/// written since schema v12 (``CompactStorageMigration``). It is a version 4 UUID whose 122
/// bits are drawn from SHA-256 of the database's random secret and the visit's name (subject
/// code, series number, visit code: unique, and never changed), so it is as random as one
/// from `uuidgen` to anyone without the secret, unique with the same odds, and kept for ever
/// without being stored. Not the row id: after a backup is restored, ids are given again to
/// other visits, and calendar clients would take them for the ones they already hold.
struct CalendarUID {
    let secret: String

    /// The database's secret.
    init(_ db: Database) throws {
        guard let secret = try String.fetchOne(db, sql: "SELECT calendarSecret FROM storeIdentity WHERE id = 1") else {
            throw DatabaseError(message: "the database has no store identity")
        }
        self.secret = secret
    }

    /// The UID a visit stored (schema v10), else the one drawn for it.
    func uid(stored: String?, subject: String, series: Int, visit: String) -> String {
        if let stored { return stored }
        // U+001F between the parts: no code holds it, so no two names give the same text.
        var bytes = Array(SHA256.hash(data: Data("\(secret)\u{1F}\(subject)\u{1F}\(series)\u{1F}\(visit)".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        // By hand, not String(format:): a large site's feed names hundreds of thousands of visits.
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
