import LTFUL10n

/// The one place a notification is put into words: the journal's `MESSAGE`, the file's
/// `message` and the mail's lines say the same. Only codes and dates appear: never a birth
/// date, a note or a reason typed by a person (SPEC §5). Issue #22: in the site's language
/// (`[site] language`); codes, dates and commands stay as they are in every language.
public enum NotificationMessage {
    public static func render(kind: NotificationKind, subject: String, visit: String?, window: VisitWindow?,
                              target: CalendarDate?, date: CalendarDate, endReason: EndReason? = nil,
                              purpose: VisitPurpose? = nil, finding: NotificationFinding? = nil,
                              language: Language = .english) -> String
    {
        let tr = Localizer(language)
        let finding = finding ?? NotificationFinding()
        switch kind {
        case .subjectEnded:
            return tr("Subject {subject}: follow-up ended ({reason}) on {date}; its open visits are cancelled.",
                      ["subject": subject, "reason": endReason?.label(tr) ?? tr("ended"), "date": date.description])
        case .safetySignal:
            let detail = finding.detail.map { "; " + FindingFollowUp.translate($0, tr) } ?? ""
            return tr("SAFETY SIGNAL {signal} for subject {subject}: {what} on {date}{detail}. Acknowledge it with `ltfuctl ack`.",
                      ["signal": finding.signal?.label(tr) ?? "", "subject": subject, "what": finding.describe(visit: visit, language: language),
                       "date": date.description, "detail": detail])
        case .safetyEscalation:
            let raised = finding.raisedOn.map {
                tr(" raised on {date} ({days} days ago)", ["date": $0.description, "days": String($0.days(until: date))])
            } ?? ""
            if let rule = finding.rule, let product = finding.product {
                return tr("STOPPING RULE MET for product {product} ({rule}){raised} is still not acknowledged; acknowledge it with `ltfuctl ack`.",
                          ["product": product, "rule": rule.label(tr), "raised": raised])
            }
            return tr("SAFETY SIGNAL {signal} for subject {subject} ({what}){raised} is still not acknowledged; acknowledge it with `ltfuctl ack`.",
                      ["signal": finding.signal?.label(tr) ?? "", "subject": subject, "what": finding.describe(visit: visit, language: language),
                       "raised": raised])
        case .stoppingRule:
            return tr("STOPPING RULE MET for product {product}: {rule} count {count} reached its threshold of {threshold} (latest: subject {subject} on {date}). Follow the protocol's stopping rule, then acknowledge it with `ltfuctl ack`.",
                      ["product": finding.product ?? "?", "rule": finding.rule?.label(tr) ?? "?", "count": String(finding.count ?? 0),
                       "threshold": String(finding.threshold ?? 0), "subject": subject, "date": date.description])
        case .retentionRisk:
            return tr("Subject {subject}: at risk of being lost to follow-up: {detail} while a visit is overdue. Keep trying, and record each attempt with `ltfuctl contact`.",
                      ["subject": subject, "detail": finding.detail.map { FindingFollowUp.translate($0, tr) } ?? tr("failed contact attempts")])
        case .scheduleChanged:
            return tr("Subject {subject}: schedule changed after {what} on {date}: {detail}.",
                      ["subject": subject, "what": finding.describe(visit: visit, language: language), "date": date.description,
                       "detail": finding.detail.map { FindingFollowUp.translate($0, tr) } ?? tr("visits changed")])
        default:
            break
        }
        guard let visit, let window, let target else {
            return tr("Subject {subject}: {kind} on {date}.", ["subject": subject, "kind": kind.label(tr), "date": date.description])
        }
        let values: KeyValuePairs<String, String> = [
            "subject": subject, "visit": purpose.map { "\(visit) (\($0.label(tr)))" } ?? visit,
            "open": window.open.description, "close": window.close.description, "target": target.description,
            "days": String(kind == .closing ? date.days(until: window.close) : window.close.days(until: date)),
        ]
        switch kind {
        case .upcoming:
            return tr("Subject {subject}: visit {visit} window opens on {open} ({open} to {close}, target {target}); schedule it.", values)
        case .windowOpen:
            return tr("Subject {subject}: visit {visit} window is open ({open} to {close}, target {target}).", values)
        case .closing:
            return tr("Subject {subject}: visit {visit} window closes on {close}, in {days} days (target {target}).", values)
        case .overdue:
            return tr("Subject {subject}: visit {visit} is overdue: its window closed on {close} with nothing recorded; record it or mark it missed.", values)
        default:
            return tr("Subject {subject}: visit {visit} is still overdue, {days} days after its window closed on {close}; record it or mark it missed.", values)
        }
    }
}
