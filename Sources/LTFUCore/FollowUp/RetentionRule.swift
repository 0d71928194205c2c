/// SPEC §11's retention rule: the evidence a monitor asks for before a subject may be called
/// lost to follow-up, and what raises a `retention-risk` notification. Registries lose over a
/// quarter of long-term survivors by year 10, mostly without documented attempts.
public struct RetentionRule: Sendable, Hashable {
    /// `[retention] attempts`: failed attempts needed since the last contact.
    public var attempts: Int
    /// `[retention] span_days`: days from the first to the last of them, at least.
    public var spanDays: Int

    public init(attempts: Int = 3, spanDays: Int = 60) {
        self.attempts = attempts
        self.spanDays = spanDays
    }

    /// The failed attempts since the last contact that make the evidence.
    public struct Evidence: Sendable, Hashable {
        public var count: Int
        public var first: CalendarDate
        public var last: CalendarDate
    }

    /// The evidence, when `failed` (the dates of failed attempts after `lastContact`) holds
    /// at least ``attempts`` of them, the first and last at least ``spanDays`` apart.
    public func evidence(failedAttempts failed: [CalendarDate], since lastContact: CalendarDate?) -> Evidence? {
        let run = failed.filter { date in lastContact.map { date > $0 } ?? true }.sorted()
        guard run.count >= max(1, attempts), let first = run.first, let last = run.last, first.days(until: last) >= spanDays else {
            return nil
        }
        return Evidence(count: run.count, first: first, last: last)
    }

    /// Why `end --reason lost-to-follow-up` is refused, naming the rule and the count.
    public func refusal(failedSinceLastContact count: Int, code: String) -> LTFUError {
        let values: KeyValuePairs<String, any LTFUError.Placeable> = ["subject": code, "attempts": attempts, "days": spanDays, "count": count]
        if count == 1 {
            return LTFUError(.data, code: "lost-to-follow-up-without-evidence",
                             "subject `{subject}` cannot be ended as lost to follow-up: the retention rule asks for at least {attempts} failed contact attempts since the last contact, the first and last at least {days} days apart ([retention] in ltfud.toml), and {count} is recorded. Record them with `ltfuctl contact`, or override with --force --note TEXT", values)
        }
        return LTFUError(.data, code: "lost-to-follow-up-without-evidence",
                         "subject `{subject}` cannot be ended as lost to follow-up: the retention rule asks for at least {attempts} failed contact attempts since the last contact, the first and last at least {days} days apart ([retention] in ltfud.toml), and {count} are recorded. Record them with `ltfuctl contact`, or override with --force --note TEXT", values)
    }
}
