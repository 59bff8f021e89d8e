import Foundation

/// How clientpass reaches the company's LDAP directory (Active Directory, OpenLDAP): kept in the
/// store, like the policy, so that every process and node sees the same. The service account's
/// password stays in a file on each host; the store keeps only the file's path.
public struct DirectorySettings: Sendable, Hashable, Codable {
    /// `ldaps://host[:port]` or `ldap://host[:port]` (then with StartTLS, unless on loopback), or a
    /// list of such, every one of them meeting that rule.
    public var url: String
    /// The CA certificates that sign the directory's certificate (PEM); the system's otherwise.
    public var caFile: String?
    public var startTLS: Bool
    /// The service account that reads users.
    public var bindDN: String
    public var bindPasswordFile: String
    /// Where users are searched, with the whole subtree.
    public var baseDN: String
    public var filter: String
    /// The attribute whose value is the account name (mail, userPrincipalName, uid…).
    public var accountAttribute: String
    /// The attribute whose value is the department, if any.
    public var departmentAttribute: String?
    /// The department is the name of the user's nearest OU.
    public var departmentFromOU: Bool
    /// The attribute that marks a disabled user (present and not FALSE or 0); nil for the
    /// defaults: Active Directory's `userAccountControl` bit 2, OpenLDAP's `nsAccountLock` and
    /// `pwdAccountLockedTime`.
    public var disabledAttribute: String?
    /// A sync that would disable more than this share of the directory's accounts (percent)
    /// stops and asks for `--yes`.
    public var maximumDisablePercent: Int

    public static let defaultFilter = "(|(objectClass=inetOrgPerson)(&(objectCategory=person)(objectClass=user)))"
    public static let defaultMaximumDisablePercent = 10

    /// The mailbox password hash of an account whose password the directory checks: a marker,
    /// never a hash (nothing of the password is kept).
    public static let passwordMarker = "{DIRECTORY}"

    public init(
        url: String, caFile: String? = nil, startTLS: Bool = false, bindDN: String, bindPasswordFile: String, baseDN: String,
        filter: String = DirectorySettings.defaultFilter, accountAttribute: String = "mail", departmentAttribute: String? = nil,
        departmentFromOU: Bool = false, disabledAttribute: String? = nil,
        maximumDisablePercent: Int = DirectorySettings.defaultMaximumDisablePercent
    ) {
        self.url = url
        self.caFile = caFile
        self.startTLS = startTLS
        self.bindDN = bindDN
        self.bindPasswordFile = bindPasswordFile
        self.baseDN = baseDN
        self.filter = filter
        self.accountAttribute = accountAttribute
        self.departmentAttribute = departmentAttribute
        self.departmentFromOU = departmentFromOU
        self.disabledAttribute = disabledAttribute
        self.maximumDisablePercent = maximumDisablePercent
    }

    /// Checks every field; the first problem is an ``InputError`` that says what to fix.
    public func validate() throws {
        try Self.validateURLs(url, startTLS: startTLS)
        for (flag, value) in [("--bind-dn", bindDN), ("--base-dn", baseDN), ("--bind-password-file", bindPasswordFile)] {
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty, !Untrusted.hasUnsafeCharacters(value) else {
                throw InputError("\(flag) must be a non-empty value without control characters")
            }
        }
        guard Self.isBalancedFilter(filter) else {
            throw InputError("--filter must be an LDAP filter in parentheses, like (objectClass=inetOrgPerson)")
        }
        for (flag, attribute) in [
            ("--account-attribute", accountAttribute), ("--department-attribute", departmentAttribute ?? "ou"),
            ("--disabled-attribute", disabledAttribute ?? "ou"),
        ] {
            guard Self.isAttributeName(attribute) else {
                throw InputError("\(flag) must be an attribute name (letters, digits and hyphens), not \(Quoted(attribute))")
            }
        }
        if departmentAttribute != nil, departmentFromOU {
            throw InputError("give one of --department-attribute and --department-from-ou")
        }
        guard (1...100).contains(maximumDisablePercent) else {
            throw InputError("--max-disable-percent must be between 1 and 100")
        }
    }

    /// The URLs of `url`: one, or a list that libldap tries in turn (separated by commas or
    /// spaces) when one server does not answer.
    static func urls(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    /// Every URL of a list must keep passwords off the network in clear text, since libldap
    /// fails over to any of them: all `ldaps://`, or all `ldap://` with StartTLS, or `ldap://`
    /// without it only to this host.
    /// - Throws: ``InputError`` naming the URL that does not.
    public static func validateURLs(_ text: String, startTLS: Bool) throws {
        let urls = urls(in: text)
        guard !urls.isEmpty else { throw InputError("--url must be ldaps://HOST[:PORT] or ldap://HOST[:PORT] (with --starttls)") }
        let many = urls.count > 1
        for url in urls {
            let which = many ? "\(Quoted(url)) in --url" : "--url"
            let lowered = url.lowercased()
            guard lowered.hasPrefix("ldap://") || lowered.hasPrefix("ldaps://"), !host(of: url).isEmpty,
                !Untrusted.hasUnsafeCharacters(url)
            else {
                throw InputError("\(which) must be ldaps://HOST[:PORT] or ldap://HOST[:PORT] (with --starttls)")
            }
            if lowered.hasPrefix("ldaps://"), startTLS {
                throw InputError("--starttls is for ldap:// URLs: \(which) is ldaps://, TLS from the start\(many ? " (a list takes one kind)" : "")")
            }
            if lowered.hasPrefix("ldap://"), !startTLS, !IPAddress.isLoopback(host: host(of: url)) {
                throw InputError(
                    "\(which) is ldap:// without --starttls and would send passwords in clear text over the network: use ldaps:// or add --starttls")
            }
        }
    }

    /// The host of an LDAP URL (`ldap://host:389/…`, `ldaps://[::1]`).
    static func host(of url: String) -> String {
        let rest = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
        return rest.hasPrefix("[") ? String(rest.dropFirst().prefix { $0 != "]" }) : String(rest.prefix { $0 != ":" })
    }

    static func isAttributeName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first) else { return false }
        return text.count <= 64 && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
    }

    /// Parenthesised, balanced outside escapes, no control characters: what a filter must be
    /// before clientpass puts it around its own `(attribute=value)`.
    static func isBalancedFilter(_ text: String) -> Bool {
        guard text.hasPrefix("("), text.hasSuffix(")"), !Untrusted.hasUnsafeCharacters(text) else { return false }
        var depth = 0
        for (index, character) in text.enumerated() {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 || (depth == 0 && index != text.count - 1) { return false }
        }
        return depth == 0
    }
}

/// A user as a directory search returns it.
public struct DirectoryUser: Sendable, Hashable {
    public let dn: String
    /// The account attribute's value: the account name.
    public let name: String
    public let department: String?
    public let isDisabled: Bool

    public init(dn: String, name: String, department: String?, isDisabled: Bool) {
        self.dn = dn
        self.name = name
        self.department = department
        self.isDisabled = isDisabled
    }
}

/// The directory could not answer (unreachable, TLS failure, the service account refused, a
/// timeout): for a mailbox-password login a temporary failure, never a denial or an allow.
public struct DirectoryUnavailable: Error, Sendable, CustomStringConvertible, LocalizedError {
    public let description: String
    public init(_ description: String) { self.description = description }
    /// Each description says what failed on its own: the directory unreachable, its TLS, the
    /// service account, the base DN.
    public var errorDescription: String? { description }
}

/// What a bind as the user says about a mailbox password.
public enum DirectoryAuthentication: Sendable, Hashable {
    case success
    case wrongPassword
    /// No entry, or more than one, has that account name under the filter.
    case noSuchUser
    /// The entry is marked disabled in the directory.
    case disabled
}

/// A directory client: the executable wires libldap's (`ClientPassDirectory`); the core only
/// knows this. Both calls block on the network: callers run them off the event loop and off the
/// hashing threads.
public protocol DirectoryConnector: Sendable {
    /// Every user the filter finds under the base DN, read as the service account.
    /// - Throws: ``DirectoryUnavailable``; also when the directory returns only part of the
    ///   users (a size limit), so that a sync never takes a partial list for the whole.
    func users(with settings: DirectorySettings) throws -> [DirectoryUser]

    /// Finds `name`'s entry (the name escaped in the filter) as the service account, then
    /// binds as that entry with `secret`. An empty secret is never sent.
    /// - Throws: ``DirectoryUnavailable`` when the answer is unknown.
    func authenticate(_ name: String, secret: Secret, with settings: DirectorySettings) throws -> DirectoryAuthentication

    /// A name no account has yet (a new hire before the next sync): finds its entry within the
    /// filter as the service account, then binds as it with `secret`. The entry when that bind
    /// succeeds and the entry is not disabled; `nil` otherwise, at the cost of a refused
    /// ``authenticate(_:secret:with:)`` (a missing or disabled entry is answered by a bind that
    /// fails, as ``imitateRefusal(with:)``'s).
    /// - Throws: ``DirectoryUnavailable`` when the answer is unknown.
    func newcomer(_ name: String, secret: Secret, with settings: DirectorySettings) throws -> DirectoryUser?

    /// The directory's work of a refused ``authenticate(_:secret:with:)``, for a name no account
    /// has: the connection, the search (for a name no entry has) and a bind that fails (as an
    /// entry that does not exist, with a random password). No real entry is ever bound.
    /// - Throws: ``DirectoryUnavailable`` when the directory cannot answer.
    func imitateRefusal(with settings: DirectorySettings) throws

    /// Whether the directory answers: a connection and a bind as the service account, for
    /// `/healthz`.
    /// - Throws: ``DirectoryUnavailable`` saying what failed.
    func check(with settings: DirectorySettings) throws
}
