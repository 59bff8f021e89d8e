import Foundation

/// RFC 3339 timestamps in UTC (`2026-11-29T08:15:00Z`), the form of every time in JSON output.
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Reads what ``string(from:)`` wrote; `nil` for anything else.
    public static func date(from text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).parse(text)
    }
}

/// Times as people read them in tables: "just now", "2 hours ago", "in 89 days", or a local date
/// when further away than a month.
public enum HumanTime {
    public static func relative(_ date: Date, now: Date, timeZone: TimeZone = .current) -> String {
        let seconds = now.timeIntervalSince(date)
        let magnitude = abs(seconds)
        if magnitude < 60 { return seconds >= 0 ? "just now" : "in under a minute" }
        let (value, unit): (Int, String)
        switch magnitude {
        // Rounded, so that "--expires 30d" reads "in 30 days", not "in 29 days" a moment later.
        case ..<3570: (value, unit) = (Int((magnitude / 60).rounded()), "minute")
        case ..<84_600: (value, unit) = (Int((magnitude / 3600).rounded()), "hour")
        case ..<(31 * 86_400): (value, unit) = (Int((magnitude / 86_400).rounded()), "day")
        default: return localDate(date, timeZone: timeZone)
        }
        let amount = "\(value) \(unit)\(value == 1 ? "" : "s")"
        return seconds >= 0 ? "\(amount) ago" : "in \(amount)"
    }

    /// `2026-11-29 09:15` in the given time zone.
    public static func localDate(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { String(n ?? 0).leftPadded(to: 2) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}
