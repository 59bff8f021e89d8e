import Foundation

/// Parses the expiry of an app password: a duration from now (`12h`, `90d`, `8w`) or a date
/// (`2027-03-31`), which means the password works through that whole day, local time, and
/// expires at the following midnight.
public enum Expiry {
    /// The longest expiry accepted: ten years.
    public static let maximum: TimeInterval = 3650 * 86_400

    /// - Parameters:
    ///   - text: `N` followed by `h`, `d` or `w`, or `YYYY-MM-DD`.
    ///   - now: the current time.
    ///   - calendar: the calendar and time zone dates are read in.
    /// - Returns: the moment the password stops working.
    /// - Throws: ``InputError`` for malformed input, a past date or more than ten years ahead.
    public static func parse(_ text: String, now: Date, calendar: Calendar = .current) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expiry: Date
        if let date = try parseDate(trimmed, calendar: calendar) {
            expiry = date
            guard expiry > now else {
                throw InputError("the expiry date \(trimmed) has already passed: give a later date or a duration such as 90d")
            }
        } else if let unit = trimmed.last, let seconds = ["h": 3600.0, "d": 86_400.0, "w": 604_800.0][unit.lowercased()],
            trimmed.count >= 2, trimmed.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int(trimmed.dropLast())
        {
            guard count > 0 else {
                throw InputError("the expiry \(Quoted(trimmed)) is zero: give a positive duration such as 90d")
            }
            guard Double(count) * seconds <= maximum else {
                throw InputError("the expiry \(Quoted(trimmed)) is more than ten years away: give at most 3650d")
            }
            expiry = now.addingTimeInterval(Double(count) * seconds)
        } else {
            throw InputError("\(Quoted(trimmed)) is not an expiry: give a duration (12h, 90d, 8w) or a date (YYYY-MM-DD)")
        }
        guard expiry.timeIntervalSince(now) <= maximum + 86_400 else {
            throw InputError("the expiry \(Quoted(trimmed)) is more than ten years away")
        }
        return expiry
    }

    /// The midnight after `YYYY-MM-DD`, or `nil` when `text` does not have that shape.
    private static func parseDate(_ text: String, calendar: Calendar) throws -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            return nil
        }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
            let end = calendar.date(byAdding: .day, value: 1, to: start)
        else {
            throw InputError("\(text) is not a valid date: give YYYY-MM-DD, e.g. 2027-03-31")
        }
        return end
    }
}
