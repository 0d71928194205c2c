import Foundation
import LTFUConfig
import LTFUCore
import LTFUL10n
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
    /// Issue #22: mail is in `[site] language`; codes, dates and commands in every language.
    var tr: Localizer { Localizer(configuration.site.language) }

    /// Whether a notification of `kind` is mailed as a message of its own when it is emitted:
    /// every one in `each` mode; safety signals, escalations and stopping rules always
    /// (SPEC §10: mailed at once, even in digest mode).
    public func mailsAtOnce(_ kind: NotificationKind) -> Bool {
        configuration.mail.mode == .each || kind.isMailedAtOnce
    }

    /// `each` mode: one message per notification, its id the notification's.
    public func each(_ notification: NotificationDetail) -> MailDraft {
        let tr = tr
        let open = notification.windowOpen?.description ?? "", close = notification.windowClose?.description ?? ""
        let signal = notification.signal?.label(tr) ?? ""
        let what: String = switch notification.kind {
        case .upcoming: tr("window opens {date}", ["date": open])
        case .windowOpen: tr("window open until {date}", ["date": close])
        case .closing: tr("window closes {date}", ["date": close])
        case .overdue: tr("OVERDUE since {date}", ["date": close])
        case .escalation: tr("STILL OVERDUE since {date}", ["date": close])
        case .subjectEnded: tr("follow-up ended")
        case .safetySignal: tr("SAFETY SIGNAL {signal}", ["signal": signal])
        case .safetyEscalation: notification.rule == nil ? tr("SAFETY SIGNAL {signal} NOT ACKNOWLEDGED", ["signal": signal])
            : tr("STOPPING RULE NOT ACKNOWLEDGED")
        case .stoppingRule: tr("STOPPING RULE MET for {product}", ["product": notification.product ?? ""])
        case .scheduleChanged: tr("schedule changed")
        case .retentionRisk: tr("at risk of being lost to follow-up")
        }
        let subject = notification.kind == .stoppingRule
            ? "\(prefix) \(what): \(notification.rule?.label(tr) ?? "") \(notification.count ?? 0)/\(notification.threshold ?? 0)"
            : "\(prefix) \(notification.subject)\(notification.visit.map { " \($0)" } ?? ""): \(what)"
        var lines = [notification.message(in: configuration.site.language), ""] + details(notification)
        lines += ["", tr("Notification id: {id}", ["id": notification.id])]
        return MailDraft(id: notification.id, subject: subject, body: lines.joined(separator: "\n"))
    }

    /// `digest` mode: the day's notifications grouped by kind, then every visit still overdue.
    public func digest(day: CalendarDate, notifications: [NotificationDetail], overdue: [OpenVisit]) -> MailDraft {
        let tr = tr
        let count = { (kind: NotificationKind) in notifications.filter { $0.kind == kind }.count }
        var summary: [String] = []
        if !overdue.isEmpty { summary.append(tr("{count} overdue", ["count": String(overdue.count)])) }
        if count(.windowOpen) == 1 { summary.append(tr("1 window open")) }
        if count(.windowOpen) > 1 { summary.append(tr("{count} windows open", ["count": String(count(.windowOpen))])) }
        if count(.closing) > 0 { summary.append(tr("{count} closing", ["count": String(count(.closing))])) }
        if count(.upcoming) > 0 { summary.append(tr("{count} upcoming", ["count": String(count(.upcoming))])) }
        if count(.subjectEnded) > 0 { summary.append(tr("{count} ended", ["count": String(count(.subjectEnded))])) }
        var lines = [tr("Long-term follow-up digest of site {site} for {day}.", ["site": configuration.site.id, "day": day.description]), ""]
        let sections: [(NotificationKind, String)] = [
            (.escalation, tr("Still overdue, escalated")), (.overdue, tr("Newly overdue")), (.closing, tr("Windows closing soon")),
            (.windowOpen, tr("Windows now open")), (.upcoming, tr("Windows opening soon")), (.subjectEnded, tr("Follow-up ended")),
            (.scheduleChanged, tr("Schedules changed by a finding")), (.retentionRisk, tr("At risk of being lost to follow-up")),
        ]
        for (kind, title) in sections {
            let items = notifications.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            lines.append("\(title) (\(items.count)):")
            for item in items {
                if item.kind == .scheduleChanged || item.kind == .retentionRisk {
                    lines.append("  \(item.subject)  \(item.detail.map { FindingFollowUp.translate($0, tr) } ?? "")")
                } else if let visit = item.visit, let window = item.window {
                    let label = item.purpose.map { "\(visit) (\($0.label(tr)))" } ?? visit
                    lines.append("  \(item.subject)  \(label)  " + tr("window {open} to {close}  target {target}",
                        ["open": window.open.description, "close": window.close.description, "target": item.target?.description ?? ""])
                        + "  [\(item.assessments.map { tr.language == .english ? $0.description : $0.list.map { $0.label(tr) }.joined(separator: "，") } ?? "")]")
                } else {
                    lines.append("  \(item.subject)  " + tr("ended {date} ({reason})", ["date": item.date.description, "reason": item.endReason?.label(tr) ?? tr("ended")]))
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
                ? tr("Visits still overdue ({count}; the {shown} overdue longest, the rest with `ltfuctl overdue`):",
                     ["count": String(overdue.count), "shown": String(shown.count)])
                : tr("Every visit still overdue ({count}):", ["count": String(overdue.count)]))
            for visit in shown {
                lines.append("  \(visit.subject)  \(visit.code)  " + tr("window closed {close}  target {target}",
                                                                       ["close": visit.windowClose.description, "target": visit.target.description]))
            }
            lines.append("")
        }
        lines += [
            tr("To record a visit:        ltfuctl record CODE VISIT --on YYYY-MM-DD"),
            tr("To mark a visit missed:   ltfuctl miss CODE VISIT --reason TEXT"),
            tr("Everything open:          ltfuctl due; ltfuctl overdue"),
        ]
        return MailDraft(id: "digest-\(configuration.site.id)-\(day)",
                         subject: "\(prefix) \(summary.isEmpty ? tr("no visits need attention") : summary.joined(separator: tr(", ")))",
                         body: lines.joined(separator: "\n"))
    }

    /// Issue #28: one message for a backlog (an import, a long downtime) instead of one per
    /// notification or a digest of thousands of lines: counts by kind and product, the most
    /// overdue visits, and the commands that show the rest. `id` is unique to this backlog.
    public func catchUp(_ backlog: CatchUpBacklog, day: CalendarDate, id: String) -> MailDraft {
        let tr = tr
        var lines = [
            tr("Long-term follow-up catch-up of site {site} on {day}: {count} reminders and alerts came due at once",
               ["site": configuration.site.id, "day": day.description, "count": String(backlog.total)]),
            tr("(after an import or while ltfud was stopped). Each is in journald and the notification files; this one message"),
            tr("stands for all of them. Safety signals and stopping rules are never in it: each still comes as a message of its own."),
            "",
            tr("By kind and product:"),
        ]
        for count in backlog.counts { lines.append("  \(count.kind.label(tr))  \(count.product)  \(count.count)") }
        lines.append("")
        if !backlog.mostOverdue.isEmpty {
            lines.append(tr("The {count} visits overdue longest:", ["count": String(backlog.mostOverdue.count)]))
            for visit in backlog.mostOverdue {
                lines.append("  \(visit.subject)  \(visit.visit)  \(visit.product)  " + tr("window closed {close}", ["close": visit.windowClose.description]))
            }
            lines.append("")
        }
        lines += [
            tr("Every overdue visit:      ltfuctl overdue"),
            tr("Every open window:        ltfuctl due"),
            tr("What was emitted today:   ltfuctl notifications --since {day}", ["day": day.description]),
            tr("To record a visit:        ltfuctl record CODE VISIT --on YYYY-MM-DD"),
            tr("To mark a visit missed:   ltfuctl miss CODE VISIT --reason TEXT"),
        ]
        return MailDraft(id: id, subject: "\(prefix) " + tr("catch-up: {count} reminders and alerts at once", ["count": String(backlog.total)]),
                         body: lines.joined(separator: "\n"))
    }

    func details(_ notification: NotificationDetail) -> [String] {
        let tr = tr
        let subject = tr("Subject:  {subject} (tier {tier})", ["subject": notification.subject, "tier": notification.tier.label(tr)])
        if notification.kind.needsAcknowledgement || notification.kind == .safetyEscalation {
            let id = notification.signalId ?? notification.id
            return [
                notification.kind == .stoppingRule || notification.rule != nil
                    ? tr("Product:  {product}", ["product": notification.product ?? ""]) : subject,
                "",
                tr("This repeats every day until a member of the write group acknowledges it:"),
                "  ltfuctl ack \(id) [--note TEXT]",
                tr("Open signals:  ltfuctl signals"),
            ]
        }
        if notification.kind == .scheduleChanged || notification.kind == .retentionRisk {
            return [tr("Calendar and attempts:  ltfuctl show {subject}", ["subject": notification.subject])]
        }
        guard let visit = notification.visit, let window = notification.window else {
            return [subject, tr("Its open visits are cancelled. History: ltfuctl audit {subject}", ["subject": notification.subject])]
        }
        return [
            subject,
            tr("Visit:    {visit}, window {open} to {close}, target {target}",
               ["visit": visit, "open": window.open.description, "close": window.close.description,
                "target": notification.target?.description ?? ""]),
            tr("Due:      {assessments}", ["assessments": notification.assessments?.list.map { $0.label(tr) }.joined(separator: ", ") ?? ""]),
            "",
            tr("When it is done:     ltfuctl record {subject} {visit} --on YYYY-MM-DD", ["subject": notification.subject, "visit": visit]),
            tr("If it will not be:   ltfuctl miss {subject} {visit} --reason TEXT", ["subject": notification.subject, "visit": visit]),
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
