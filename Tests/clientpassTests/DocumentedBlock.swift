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
        // The opening fence may name the block's language (```nginx); the closing one is bare.
        guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) else {
            throw LabError("\(file) has no configuration block after \(marker)")
        }
        let indentation = lines[open].prefix { $0 == " " }
        let fence = indentation + "```"
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

    /// docs/nginx.md's `mail` block: nginx asks `serve` at `authHTTP` (host:port) with `secret`,
    /// and takes IMAP and POP3 over TLS and SMTP with STARTTLS on the given ports.
    static func nginxMail(authHTTP: String, secret: String, certificate: String, key: String, imap: Int, pop3: Int, smtp: Int) throws -> String {
        try text(
            "docs/nginx.md", marker: "<!-- The block below is the one Dovecot24Tests runs (nginx)",
            substituting: [
                ("127.0.0.1:8787/", authHTTP + "/"),
                ("\"the contents of /etc/clientpass/shared-secret\"", "\"\(secret)\""),
                ("/etc/nginx/mail.example.com.pem", certificate), ("/etc/nginx/mail.example.com.key", key),
                ("listen 993 ssl;", "listen 127.0.0.1:\(imap) ssl;"), ("listen 995 ssl;", "listen 127.0.0.1:\(pop3) ssl;"),
                ("listen 587;", "listen 127.0.0.1:\(smtp);"),
            ])
    }
}
