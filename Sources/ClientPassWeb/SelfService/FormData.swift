import Foundation

/// An `application/x-www-form-urlencoded` body, strictly parsed: a field given twice, bad
/// percent-encoding or text that is not UTF-8 is refused with a message, never guessed at.
struct FormData: Sendable {
    private(set) var fields: [String: String] = [:]

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing body: String) throws {
        guard !body.isEmpty else { return }
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count == 2 ? try Self.decode(parts[1]) : ""
            guard fields[name] == nil else {
                throw Malformed(description: "the form sent the field \(name) twice")
            }
            fields[name] = value
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// A checkbox: present means ticked.
    func isChecked(_ name: String) -> Bool { fields[name] != nil }

    private static func decode(_ text: Substring) throws -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw Malformed(description: "the form is not properly URL-encoded")
        }
        return decoded
    }
}
