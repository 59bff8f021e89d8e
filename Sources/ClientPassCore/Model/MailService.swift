import Foundation

/// A mail protocol a third-party client uses; each can be on or off per account.
public enum MailService: String, CaseIterable, Codable, Sendable, Comparable {
    case imap, pop3, smtp

    /// How people write it: IMAP, POP3, SMTP.
    public var displayName: String { rawValue.uppercased() }

    public static func < (lhs: MailService, rhs: MailService) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses one protocol name, case-insensitively.
    /// - Throws: ``InputError`` naming the accepted values.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let service = MailService(rawValue: trimmed) else {
            throw InputError("unknown protocol \"\(text)\": use imap, pop3 or smtp")
        }
        self = service
    }

    /// Parses a comma-separated list such as `imap,smtp` into a set.
    /// - Throws: ``InputError`` for an empty list or an unknown name.
    public static func parseList(_ text: String) throws -> Set<MailService> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("the protocol list is empty: give one or more of imap, pop3, smtp, separated by commas")
        }
        var services = Set<MailService>()
        for part in parts {
            if part.trimmingCharacters(in: .whitespaces).isEmpty {
                throw InputError("the protocol list \"\(text)\" has an empty entry: separate names with single commas, e.g. imap,smtp")
            }
            services.insert(try MailService(parsing: String(part)))
        }
        return services
    }
}

/// Which services an account may use.
public struct Services: Sendable, Hashable, Codable {
    public var imap: Bool
    public var pop3: Bool
    public var smtp: Bool

    public init(imap: Bool = true, pop3: Bool = true, smtp: Bool = true) {
        self.imap = imap
        self.pop3 = pop3
        self.smtp = smtp
    }

    public subscript(service: MailService) -> Bool {
        get {
            switch service {
            case .imap: imap
            case .pop3: pop3
            case .smtp: smtp
            }
        }
        set {
            switch service {
            case .imap: imap = newValue
            case .pop3: pop3 = newValue
            case .smtp: smtp = newValue
            }
        }
    }

    /// The services that are on, in protocol order.
    public var enabled: [MailService] { MailService.allCases.filter { self[$0] } }
}
