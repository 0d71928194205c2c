import Foundation
import LTFUCore
import LTFUL10n

/// Everything `ltfud.toml` says (SPEC §9), with every key's default. An empty file is valid.
public struct SiteConfiguration: Sendable, Hashable {
    public var site = Site()
    public var paths: Paths
    public var access = Access()
    public var notify = Notify()
    public var mail = Mail()
    /// SPEC §10: when a finding is a signal, and when a product's stopping rules are met.
    public var safety = SafetySettings()
    /// SPEC §11: the evidence before a subject may be called lost, and when retention is at risk.
    public var retention = RetentionRule()
    /// SPEC §11: the age of majority and the re-consent window.
    public var consent = ConsentRule()
    public var audit = Audit()
    public var socket = Socket()
    /// The file this was read from, for messages.
    public var file: String

    public struct Site: Sendable, Hashable {
        /// Shown in mail subjects and the `LTFU_SITE` journal field.
        public var id = "S01"
        /// The IANA zone whose calendar dates the site lives by; default: the system's zone.
        public var timeZone = TimeZone.current
        /// Issue #22, SPEC §15: what ltfud writes for people (mail, notification messages,
        /// journald `MESSAGE=`, the report) is in this language; machine contracts never change.
        public var language = Language.english
        /// Issue #24, SPEC §14: SDTM DM's `COUNTRY`, an ISO 3166-1 alpha-3 code. No default: a
        /// guessed country would be wrong data, so `ltfuctl export sdtm` is refused until it is set.
        public var country: String?
    }

    public struct Paths: Sendable, Hashable {
        /// Folder of product files, resolved against the configuration file's folder.
        public var products: String
        /// Folder of site templates, resolved likewise.
        public var schedules: String
    }

    public struct Access: Sendable, Hashable {
        /// Members may query. SPEC §8.
        public var readGroup = "ltfu"
        /// Members (and root) may change data.
        public var writeGroup = "ltfu-coord"
    }

    public struct Notify: Sendable, Hashable {
        /// Local time of day notifications fire, minutes after midnight (default 08:00).
        public var minuteOfDay = 8 * 60
        public var upcomingDays = 14
        public var closingDays = 7
        public var escalateEveryDays = 30
        /// Issue #28: more non-safety notifications than this in one pass (an import, a long
        /// downtime) are mailed as one catch-up summary instead of one by one.
        public var catchUpLimit = 100
    }

    public struct Mail: Sendable, Hashable {
        public enum Mode: String, Sendable, Hashable, CaseIterable { case digest, each }
        public var enabled = false
        public var sendmail = "/usr/sbin/sendmail"
        public var from = "ltfu@localhost"
        public var to = ["coordinator@localhost"]
        public var mode = Mode.digest
        /// Default: `[ltfu SITE]`.
        public var subjectPrefix: String?
    }

    public struct Audit: Sendable, Hashable {
        /// The audit key's file, for tests and demos; a site server gets the key as the
        /// systemd credential `audit-key` instead (README "The audit trail").
        public var keyFile: String?
    }

    /// The control socket's resource limits (issue #13): past `maxConnections` new callers
    /// wait in the listen backlog; a connection silent for `idleSeconds` is closed.
    public struct Socket: Sendable, Hashable {
        public var maxConnections = 1000
        public var idleSeconds = 30
    }

    /// The defaults, as if `file` were empty.
    public init(file: String) {
        self.file = file
        let folder = (file as NSString).deletingLastPathComponent
        paths = Paths(products: Self.resolve("products.d", against: folder),
                      schedules: Self.resolve("schedules.d", against: folder))
    }

    /// SPEC §9: relative paths are resolved against the configuration file's folder.
    static func resolve(_ path: String, against folder: String) -> String {
        path.hasPrefix("/") ? path : ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(path)
    }
}

extension SiteConfiguration {
    /// Reads and validates `file` as a whole; throws every problem with its key.
    public static func load(file: String) throws(ConfigurationErrors) -> SiteConfiguration {
        let (config, problems) = read(file: file)
        guard problems.isEmpty else { throw ConfigurationErrors(problems) }
        return config
    }

    /// Reads `file`, keeping the default for every key that is wrong, and lists the problems;
    /// so `--check-config` can go on to check the product files in the configured folders.
    public static func read(file: String) -> (SiteConfiguration, [ConfigurationProblem]) {
        let log = TOMLSection.ProblemLog()
        var config = SiteConfiguration(file: file)
        guard FileManager.default.fileExists(atPath: file) else {
            return (config, [ConfigurationProblem(file: file, key: nil, message: "no such file")])
        }
        guard let root = TOMLSection.parse(contentsOf: file, log: log) else { return (config, log.problems) }
        let folder = (file as NSString).deletingLastPathComponent

        if let site = root.section("site") {
            if let id = site.string("id") {
                if Identifier.isValid(id) { config.site.id = id } else { site.problem("id", "`\(id)` is not a valid site id (letters, digits, `.`, `_`, `-`)") }
            }
            if let name = site.string("timezone") {
                if let zone = TimeZone(identifier: name) { config.site.timeZone = zone } else { site.problem("timezone", "`\(name)` is not an IANA time zone name such as Asia/Shanghai") }
            }
            if let name = site.string("language") {
                if let language = Language(rawValue: name) { config.site.language = language } else { site.problem("language", "`\(name)` is not a language ltfu speaks (one of: \(Language.choices))") }
            }
            if let code = site.string("country") {
                if CountryCode.isValid(code) { config.site.country = code } else { site.problem("country", "`\(code)` is not an ISO 3166-1 alpha-3 country code such as CHN, USA or DEU (three capital letters)") }
            }
            site.rejectUnknownKeys()
        }
        if let paths = root.section("paths") {
            if let products = paths.string("products") { config.paths.products = resolve(products, against: folder) }
            if let schedules = paths.string("schedules") { config.paths.schedules = resolve(schedules, against: folder) }
            paths.rejectUnknownKeys()
        }
        if let access = root.section("access") {
            if let group = access.string("read_group") { config.access.readGroup = group }
            if let group = access.string("write_group") { config.access.writeGroup = group }
            access.rejectUnknownKeys()
        }
        if let notify = root.section("notify") {
            if let time = notify.string("time") {
                if let minutes = parseTimeOfDay(time) { config.notify.minuteOfDay = minutes } else { notify.problem("time", "`\(time)` is not a time of day HH:MM (00:00 to 23:59)") }
            }
            if let days = notify.int("upcoming_days", range: 0...365) { config.notify.upcomingDays = days }
            if let days = notify.int("closing_days", range: 0...365) { config.notify.closingDays = days }
            if let days = notify.int("escalate_every_days", range: 1...365) { config.notify.escalateEveryDays = days }
            if let limit = notify.int("catch_up_limit", range: 1...1_000_000) { config.notify.catchUpLimit = limit }
            notify.rejectUnknownKeys()
        }
        if let mail = root.section("mail") {
            if let enabled = mail.bool("enabled") { config.mail.enabled = enabled }
            if let sendmail = mail.string("sendmail") { config.mail.sendmail = sendmail }
            if let from = mail.string("from") {
                if MailAddress.isValid(from) { config.mail.from = from } else { mail.problem("from", "`\(from)` is not a mail address") }
            }
            if let to = mail.stringArray("to") {
                let bad = to.filter { !MailAddress.isValid($0) }
                if to.isEmpty { mail.problem("to", "needs at least one address") }
                else if !bad.isEmpty { mail.problem("to", "not a mail address: \(bad.map { "`\($0)`" }.joined(separator: ", "))") }
                else { config.mail.to = to }
            }
            if let mode = mail.choice("mode", Mail.Mode.self) { config.mail.mode = mode }
            if let prefix = mail.string("subject_prefix") {
                if prefix.contains(where: { $0.isNewline }) { mail.problem("subject_prefix", "must be one line") } else { config.mail.subjectPrefix = prefix }
            }
            mail.rejectUnknownKeys()
        }
        if let safety = root.section("safety") {
            if let percent = safety.double("persistence_percent", range: 0...100) { config.safety.persistencePercent = percent }
            if let count = safety.int("stop_on_confirmed_rcl", range: 0...10_000) { config.safety.stopOnConfirmedRCL = count }
            if let count = safety.int("stop_on_related_malignancy", range: 0...10_000) { config.safety.stopOnRelatedMalignancy = count }
            if let count = safety.int("stop_on_related_deaths", range: 0...10_000) { config.safety.stopOnRelatedDeaths = count }
            safety.rejectUnknownKeys()
        }
        if let retention = root.section("retention") {
            if let attempts = retention.int("attempts", range: 1...100) { config.retention.attempts = attempts }
            if let days = retention.int("span_days", range: 0...3650) { config.retention.spanDays = days }
            retention.rejectUnknownKeys()
        }
        if let consent = root.section("consent") {
            if let age = consent.int("age_of_majority", range: 1...30) { config.consent.ageOfMajority = age }
            if let days = consent.int("reconsent_days", range: 1...365) { config.consent.reconsentDays = days }
            consent.rejectUnknownKeys()
        }
        if let socket = root.section("socket") {
            if let count = socket.int("max_connections", range: 1...100_000) { config.socket.maxConnections = count }
            if let seconds = socket.int("idle_seconds", range: 1...3600) { config.socket.idleSeconds = seconds }
            socket.rejectUnknownKeys()
        }
        if let audit = root.section("audit") {
            if let keyFile = audit.string("key_file") { config.audit.keyFile = resolve(keyFile, against: folder) }
            audit.rejectUnknownKeys()
        }
        root.rejectUnknownKeys()
        return (config, log.problems)
    }

    /// `HH:MM` → minutes after midnight.
    static func parseTimeOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// The subject prefix mail uses: the configured one or `[ltfu SITE]`.
    public var mailSubjectPrefix: String { mail.subjectPrefix ?? "[ltfu \(site.id)]" }
}

/// A deliberately plain address check: `local@domain`, printable ASCII, no spaces, angle
/// brackets, commas or line breaks, so an address can never inject a mail header.
public enum MailAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.utf8.count <= 254 else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>,;:\"()[]\\".unicodeScalars.contains($0) }
    }
}
