import ClientPassTestSupport
import Foundation

/// A configuration block the docs show, as the end-to-end tests run it: the docs cannot drift
/// from what is proven.
enum DocumentedBlock {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The fenced block after `marker` in `file`, as written there (without the indentation of
    /// its fence, in a list item).
    static func text(_ file: String, marker: String) throws -> String {
        let text = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
        guard let found = text.range(of: marker) else { throw LabError("\(file) has no \(marker)") }
        let lines = text[found.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "```" }) else {
            throw LabError("\(file) has no configuration block after \(marker)")
        }
        let fence = lines[open]
        let indentation = fence.prefix { $0 == " " }
        guard let close = lines[(open + 1)...].firstIndex(of: fence) else { throw LabError("\(file)'s block after \(marker) does not end") }
        return lines[(open + 1)..<close].map { $0.hasPrefix(indentation) ? String($0.dropFirst(indentation.count)) : String($0) }
            .joined(separator: "\n") + "\n"
    }

    /// The block after `marker` with each `from` replaced: the paths, ports and names the docs
    /// use for the test's. A `from` the block no longer has fails the test.
    static func text(_ file: String, marker: String, substituting replacements: [(String, String)]) throws -> String {
        var text = try text(file, marker: marker)
        for (from, to) in replacements {
            guard text.contains(from) else { throw LabError("\(file)'s block after \(marker) no longer has \(from)") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        return text
    }
}
