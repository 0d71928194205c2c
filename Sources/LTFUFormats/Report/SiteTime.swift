import Foundation

/// Instants shown to people in the site's time zone, as `status` shows its day (UTC stays in
/// `--json`).
public enum SiteTime {
    public static func describe(_ instant: Date, zone identifier: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: instant)
    }

    /// An ISO 8601 timestamp from the API, in the site's zone; as given when it cannot be read.
    public static func describe(_ timestamp: String?, zone identifier: String) -> String {
        guard let timestamp else { return "-" }
        let instant = (try? Date(timestamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(timestamp, strategy: .iso8601))
        guard let instant else { return timestamp }
        return describe(instant, zone: identifier)
    }
}
