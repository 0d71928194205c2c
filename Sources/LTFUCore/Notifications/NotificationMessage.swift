/// The one place a notification is put into words: the journal's `MESSAGE`, the file's
/// `message` and the mail's lines say the same. Only codes and dates appear: never a birth
/// date, a note or a reason typed by a person (SPEC §5).
public enum NotificationMessage {
    public static func render(kind: NotificationKind, subject: String, visit: String?, window: VisitWindow?,
                              target: CalendarDate?, date: CalendarDate, endReason: EndReason? = nil) -> String
    {
        guard let visit, let window, let target else {
            return "Subject \(subject): follow-up ended (\(endReason?.rawValue ?? "ended")) on \(date); its open visits are cancelled."
        }
        let span = "\(window.open) to \(window.close), target \(target)"
        switch kind {
        case .upcoming:
            return "Subject \(subject): visit \(visit) window opens on \(window.open) (\(span)); schedule it."
        case .windowOpen:
            return "Subject \(subject): visit \(visit) window is open (\(span))."
        case .closing:
            return "Subject \(subject): visit \(visit) window closes on \(window.close), in \(date.days(until: window.close)) days (target \(target))."
        case .overdue:
            return "Subject \(subject): visit \(visit) is overdue: its window closed on \(window.close) with nothing recorded; record it or mark it missed."
        case .escalation:
            return "Subject \(subject): visit \(visit) is still overdue, \(window.close.days(until: date)) days after its window closed on \(window.close); record it or mark it missed."
        case .subjectEnded:
            return "Subject \(subject): follow-up ended (\(endReason?.rawValue ?? "ended")) on \(date); its open visits are cancelled."
        }
    }
}
