import Foundation

/// Durations as administrators type them: a whole number and one unit, `90s`, `15m`, `2h`,
/// `7d`, `1w` (throttling windows, `admin audit --since`).
public enum DurationText {
    private static let units = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// - Returns: the duration in seconds, 1 to 10,000,000.
    /// - Throws: ``InputError`` for anything else.
    public static func parse(_ text: String) throws -> Int {
        guard let unit = text.last.map(String.init), let factor = units[unit],
            text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text.dropLast()), value > 0,
            value <= 10_000_000 / factor
        else {
            throw InputError("\(Quoted(text)) is not a duration: write a number and a unit, e.g. 90s, 15m, 2h, 7d")
        }
        return value * factor
    }

    /// The largest whole unit: `15m`, `2h`, `1d`, else seconds.
    public static func format(_ seconds: TimeInterval) -> String {
        let value = Int(seconds)
        for (unit, factor) in [("d", 86_400), ("h", 3600), ("m", 60)] where value % factor == 0 {
            return "\(value / factor)\(unit)"
        }
        return "\(value)s"
    }

    /// A point in the past: a calendar date `YYYY-MM-DD` (its start, in `calendar`'s time zone)
    /// or a duration before `now`.
    /// - Throws: ``InputError`` for anything else.
    public static func parseSince(_ text: String, now: Date, calendar: Calendar = .current) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3 {
            guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
            else {
                throw InputError("\(Quoted(text)) is not a date: write YYYY-MM-DD")
            }
            var components = DateComponents()
            components.year = year
            components.month = month
            components.day = day
            guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
                throw InputError("\(Quoted(text)) is not a valid date: write YYYY-MM-DD")
            }
            return date
        }
        return now.addingTimeInterval(-TimeInterval(try parse(text)))
    }
}
