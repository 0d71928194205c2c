import Foundation
import LTFUConfig
import LTFUCore
import LTFUStore

/// Puts notifications into mail a coordinator can act on (SPEC §6), and mail into RFC 5322
/// text for sendmail. Only codes, dates and tiers appear: never a birth date, a note or a
/// reason typed by a person. Headers carry only validated codes and configured one-line
/// values; anything else is encoded, so data cannot inject a header.
public struct MailComposer: Sendable {
    public var configuration: SiteConfiguration

    public init(configuration: SiteConfiguration) {
        self.configuration = configuration
    }

    var prefix: String { configuration.mailSubjectPrefix }

    /// Whether a notification of `kind` is mailed as a message of its own when it is emitted:
    /// every one in `each` mode; safety signals, escalations and stopping rules always
    /// (SPEC §10: mailed at once, even in digest mode).
    public func mailsAtOnce(_ kind: NotificationKind) -> Bool {
        configuration.mail.mode == .each || kind.isMailedAtOnce
    }

    /// `each` mode: one message per notification, its id the notification's.
    public func each(_ notification: NotificationDetail) -> MailDraft {
        let what: String = switch notification.kind {
        case .upcoming: "window opens \(notification.windowOpen?.description ?? "")"
        case .windowOpen: "window open until \(notification.windowClose?.description ?? "")"
        case .closing: "window closes \(notification.windowClose?.description ?? "")"
        case .overdue: "OVERDUE since \(notification.windowClose?.description ?? "")"
        case .escalation: "STILL OVERDUE since \(notification.windowClose?.description ?? "")"
        case .subjectEnded: "follow-up ended"
        case .safetySignal: "SAFETY SIGNAL \(notification.signal?.rawValue ?? "")"
        case .safetyEscalation: notification.rule == nil ? "SAFETY SIGNAL \(notification.signal?.rawValue ?? "") NOT ACKNOWLEDGED"
            : "STOPPING RULE NOT ACKNOWLEDGED"
        case .stoppingRule: "STOPPING RULE MET for \(notification.product ?? "")"
        case .scheduleChanged: "schedule changed"
        case .retentionRisk: "at risk of being lost to follow-up"
        }
        let subject = notification.kind == .stoppingRule
            ? "\(prefix) \(what): \(notification.rule?.rawValue ?? "") \(notification.count ?? 0)/\(notification.threshold ?? 0)"
            : "\(prefix) \(notification.subject)\(notification.visit.map { " \($0)" } ?? ""): \(what)"
        var lines = [notification.message, ""] + details(notification)
        lines += ["", "Notification id: \(notification.id)"]
        return MailDraft(id: notification.id, subject: subject, body: lines.joined(separator: "\n"))
    }

    /// `digest` mode: the day's notifications grouped by kind, then every visit still overdue.
    public func digest(day: CalendarDate, notifications: [NotificationDetail], overdue: [OpenVisit]) -> MailDraft {
        let count = { (kind: NotificationKind) in notifications.filter { $0.kind == kind }.count }
        var summary: [String] = []
        if !overdue.isEmpty { summary.append("\(overdue.count) overdue") }
        if count(.windowOpen) > 0 { summary.append("\(count(.windowOpen)) window\(count(.windowOpen) == 1 ? "" : "s") open") }
        if count(.closing) > 0 { summary.append("\(count(.closing)) closing") }
        if count(.upcoming) > 0 { summary.append("\(count(.upcoming)) upcoming") }
        if count(.subjectEnded) > 0 { summary.append("\(count(.subjectEnded)) ended") }
        var lines = ["Long-term follow-up digest of site \(configuration.site.id) for \(day).", ""]
        let sections: [(NotificationKind, String)] = [
            (.escalation, "Still overdue, escalated"), (.overdue, "Newly overdue"), (.closing, "Windows closing soon"),
            (.windowOpen, "Windows now open"), (.upcoming, "Windows opening soon"), (.subjectEnded, "Follow-up ended"),
            (.scheduleChanged, "Schedules changed by a finding"), (.retentionRisk, "At risk of being lost to follow-up"),
        ]
        for (kind, title) in sections {
            let items = notifications.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            lines.append("\(title) (\(items.count)):")
            for item in items {
                if item.kind == .scheduleChanged || item.kind == .retentionRisk {
                    lines.append("  \(item.subject)  \(item.detail ?? "")")
                } else if let visit = item.visit, let window = item.window {
                    let label = item.purpose.map { "\(visit) (\($0.rawValue))" } ?? visit
                    lines.append("  \(item.subject)  \(label)  window \(window.open) to \(window.close)  target \(item.target?.description ?? "")  [\(item.assessments?.description ?? "")]")
                } else {
                    lines.append("  \(item.subject)  ended \(item.date) (\(item.endReason?.rawValue ?? "ended"))")
                }
            }
            lines.append("")
        }
        if !overdue.isEmpty {
            // Issue #28: a register moved in can leave 200,000 visits overdue; a mail lists the
            // most overdue by name and counts the rest.
            let shown = overdue.sorted { ($0.windowClose, $0.subject, $0.code) < ($1.windowClose, $1.subject, $1.code) }
                .prefix(FollowUpStore.catchUpShown)
            lines.append(overdue.count > shown.count
                ? "Visits still overdue (\(overdue.count); the \(shown.count) overdue longest, the rest with `ltfuctl overdue`):"
                : "Every visit still overdue (\(overdue.count)):")
            for visit in shown { lines.append("  \(visit.subject)  \(visit.code)  window closed \(visit.windowClose)  target \(visit.target)") }
            lines.append("")
        }
        lines += [
            "To record a visit:        ltfuctl record CODE VISIT --on YYYY-MM-DD",
            "To mark a visit missed:   ltfuctl miss CODE VISIT --reason TEXT",
            "Everything open:          ltfuctl due; ltfuctl overdue",
        ]
        return MailDraft(id: "digest-\(configuration.site.id)-\(day)",
                         subject: "\(prefix) \(summary.isEmpty ? "no visits need attention" : summary.joined(separator: ", "))",
                         body: lines.joined(separator: "\n"))
    }

    /// Issue #28: one message for a backlog (an import, a long downtime) instead of one per
    /// notification or a digest of thousands of lines: counts by kind and product, the most
    /// overdue visits, and the commands that show the rest. `id` is unique to this backlog.
    public func catchUp(_ backlog: CatchUpBacklog, day: CalendarDate, id: String) -> MailDraft {
        var lines = [
            "Long-term follow-up catch-up of site \(configuration.site.id) on \(day): \(backlog.total) reminders and alerts came due at once",
            "(after an import or while ltfud was stopped). Each is in journald and the notification files; this one message",
            "stands for all of them. Safety signals and stopping rules are never in it: each still comes as a message of its own.",
            "",
            "By kind and product:",
        ]
        for count in backlog.counts { lines.append("  \(count.kind.rawValue)  \(count.product)  \(count.count)") }
        lines.append("")
        if !backlog.mostOverdue.isEmpty {
            lines.append("The \(backlog.mostOverdue.count) visits overdue longest:")
            for visit in backlog.mostOverdue {
                lines.append("  \(visit.subject)  \(visit.visit)  \(visit.product)  window closed \(visit.windowClose)")
            }
            lines.append("")
        }
        lines += [
            "Every overdue visit:      ltfuctl overdue",
            "Every open window:        ltfuctl due",
            "What was emitted today:   ltfuctl notifications --since \(day)",
            "To record a visit:        ltfuctl record CODE VISIT --on YYYY-MM-DD",
            "To mark a visit missed:   ltfuctl miss CODE VISIT --reason TEXT",
        ]
        return MailDraft(id: id, subject: "\(prefix) catch-up: \(backlog.total) reminders and alerts at once", body: lines.joined(separator: "\n"))
    }

    func details(_ notification: NotificationDetail) -> [String] {
        if notification.kind.needsAcknowledgement || notification.kind == .safetyEscalation {
            let id = notification.signalId ?? notification.id
            return [
                notification.kind == .stoppingRule || notification.rule != nil
                    ? "Product:  \(notification.product ?? "")" : "Subject:  \(notification.subject) (tier \(notification.tier.rawValue))",
                "",
                "This repeats every day until a member of the write group acknowledges it:",
                "  ltfuctl ack \(id) [--note TEXT]",
                "Open signals:  ltfuctl signals",
            ]
        }
        if notification.kind == .scheduleChanged || notification.kind == .retentionRisk {
            return ["Calendar and attempts:  ltfuctl show \(notification.subject)"]
        }
        guard let visit = notification.visit, let window = notification.window else {
            return ["Subject:  \(notification.subject) (tier \(notification.tier.rawValue))",
                    "Its open visits are cancelled. History: ltfuctl audit \(notification.subject)"]
        }
        return [
            "Subject:  \(notification.subject) (tier \(notification.tier.rawValue))",
            "Visit:    \(visit), window \(window.open) to \(window.close), target \(notification.target?.description ?? "")",
            "Due:      \(notification.assessments?.list.map(\.rawValue).joined(separator: ", ") ?? "")",
            "",
            "When it is done:     ltfuctl record \(notification.subject) \(visit) --on YYYY-MM-DD",
            "If it will not be:   ltfuctl miss \(notification.subject) \(visit) --reason TEXT",
        ]
    }

    /// The message as sendmail reads it (`-t`: recipients from the headers).
    public func rfc5322(_ mail: MailRecord, date: Date) -> String {
        let headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(configuration.mail.from)",
            "To: \(configuration.mail.to.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(mail.subject))",
            "Message-ID: \(Self.messageID(mail.id, site: configuration.site.id))",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
        ]
        // Body lines never start a header block of their own: a lone "." line is doubled by -oi anyway.
        let body = mail.body.replacingOccurrences(of: "\r", with: "")
        return headers.joined(separator: "\n") + "\n\n" + body + "\n"
    }

    public static func messageID(_ id: String, site: String) -> String {
        "<\(id)@ltfu.\(site.lowercased())>"
    }

    /// RFC 2047 for a header holding anything but printable ASCII; never a line break.
    static func encodedWord(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard oneLine.unicodeScalars.contains(where: { $0.value < 32 || $0.value > 126 }) else { return oneLine }
        return "=?UTF-8?B?\(Data(oneLine.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
