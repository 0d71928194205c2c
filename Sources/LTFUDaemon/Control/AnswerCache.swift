import LTFUCore
import NIOCore
import Synchronization

/// The last answers of the large lists (`due`, `overdue`), kept until the store writes or the
/// day turns (issue #15). At 100,000 subjects `ltfuctl due --within 0` lists 16,000 open
/// windows; reading and encoding them takes the daemon 60 ms, a coordinator's screen or a
/// monitoring script asks again and again, and between two writes the answer cannot change:
/// it depends only on the database and today's date.
///
/// An entry is keyed by the store's ``FollowUpStore/generation`` read *before* the answer is
/// computed: a write that lands meanwhile raises it, so the next request misses and computes
/// again. A write raises it before it is acknowledged, so no one is ever answered from before
/// their own write.
final class AnswerCache: Sendable {
    private struct Entries {
        var today: CalendarDate?
        var generation: UInt64 = 0
        var answers: [String: ByteBuffer] = [:]
    }

    private let entries = Mutex(Entries())

    func answer(_ question: String, today: CalendarDate, generation: UInt64,
                compute: () throws(LTFUError) -> ByteBuffer) throws(LTFUError) -> ByteBuffer
    {
        let kept = entries.withLock { entries -> ByteBuffer? in
            guard entries.today == today, entries.generation == generation else { return nil }
            return entries.answers[question]
        }
        if let kept { return kept }
        let answer = try compute()
        entries.withLock { entries in
            if entries.today != today || entries.generation != generation {
                entries = Entries(today: today, generation: generation)
            }
            // A handful of questions (`within` values) at most; a stray one cannot grow it for ever.
            if entries.answers.count >= 16 { entries.answers.removeAll() }
            entries.answers[question] = answer
        }
        return answer
    }
}
