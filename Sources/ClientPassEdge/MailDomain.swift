import ClientPassCore
import Foundation

/// A mail domain the company's addresses end in (`example.com`): what Thunderbird's autoconfig
/// and Outlook's Autodiscover are asked about.
public struct MailDomain: Sendable, Hashable, CustomStringConvertible {
    /// Lowercased.
    public let name: String

    /// - Throws: ``InputError`` for anything but a DNS name of two labels or more.
    public init(parsing text: String) throws {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard name.contains("."), MailServer.isHostName(Substring(name)) else {
            throw InputError("\(Quoted(text)) is not a mail domain (e.g. example.com)")
        }
        self.name = name
    }

    public var description: String { name }

    /// The domain of an email address, when the address has the plain form `local@domain`.
    package static func ofAddress(_ address: String) -> MailDomain? {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            parts[0].allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" && $0 != "&" && $0 != "\"" && !$0.isNewline }),
            let domain = try? MailDomain(parsing: String(parts[1]))
        else { return nil }
        return domain
    }
}
