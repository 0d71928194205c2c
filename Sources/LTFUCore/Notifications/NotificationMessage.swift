/// The one place a notification is put into words: the journal's `MESSAGE`, the file's
/// `message` and the mail's lines say the same. Only codes and dates appear: never a birth
/// date, a note or a reason typed by a person (SPEC §5).
public enum NotificationMessage {
    public static func render(kind: NotificationKind, subject: String, visit: String?, window: VisitWindow?,
                              target: CalendarDate?, date: CalendarDate, endReason: EndReason? = nil,
                              purpose: VisitPurpose? = nil, finding: NotificationFinding? = nil) -> String
    {
        let finding = finding ?? NotificationFinding()
        switch kind {
        case .subjectEnded:
            return "Subject \(subject): follow-up ended (\(endReason?.rawValue ?? "ended")) on \(date); its open visits are cancelled."
        case .safetySignal:
            let what = finding.describe(visit: visit)
            return "SAFETY SIGNAL \(finding.signal?.rawValue ?? "") for subject \(subject): \(what) on \(date)"
                + (finding.detail.map { "; \($0)" } ?? "") + ". Acknowledge it with `ltfuctl ack`."
        case .safetyEscalation:
            let raised = finding.raisedOn.map { " raised on \($0) (\($0.days(until: date)) days ago)" } ?? ""
            if let rule = finding.rule, let product = finding.product {
                return "STOPPING RULE MET for product \(product) (\(rule.rawValue))\(raised) is still not acknowledged; acknowledge it with `ltfuctl ack`."
            }
            return "SAFETY SIGNAL \(finding.signal?.rawValue ?? "") for subject \(subject) (\(finding.describe(visit: visit)))\(raised) is still not acknowledged; acknowledge it with `ltfuctl ack`."
        case .stoppingRule:
            return "STOPPING RULE MET for product \(finding.product ?? "?"): \(finding.rule?.rawValue ?? "?") count \(finding.count ?? 0) reached its threshold of \(finding.threshold ?? 0) (latest: subject \(subject) on \(date)). Follow the protocol's stopping rule, then acknowledge it with `ltfuctl ack`."
        case .retentionRisk:
            return "Subject \(subject): at risk of being lost to follow-up: \(finding.detail ?? "failed contact attempts") while a visit is overdue. Keep trying, and record each attempt with `ltfuctl contact`."
        case .scheduleChanged:
            return "Subject \(subject): schedule changed after \(finding.describe(visit: visit)) on \(date): \(finding.detail ?? "visits changed")."
        default:
            break
        }
        guard let visit, let window, let target else {
            return "Subject \(subject): \(kind.rawValue) on \(date)."
        }
        let label = purpose.map { "\(visit) (\($0.rawValue))" } ?? visit
        let span = "\(window.open) to \(window.close), target \(target)"
        switch kind {
        case .upcoming:
            return "Subject \(subject): visit \(label) window opens on \(window.open) (\(span)); schedule it."
        case .windowOpen:
            return "Subject \(subject): visit \(label) window is open (\(span))."
        case .closing:
            return "Subject \(subject): visit \(label) window closes on \(window.close), in \(date.days(until: window.close)) days (target \(target))."
        case .overdue:
            return "Subject \(subject): visit \(label) is overdue: its window closed on \(window.close) with nothing recorded; record it or mark it missed."
        default:
            return "Subject \(subject): visit \(label) is still overdue, \(window.close.days(until: date)) days after its window closed on \(window.close); record it or mark it missed."
        }
    }
}
