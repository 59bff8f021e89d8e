/// What a change means for mail sessions that are already open: the accounts that lost access
/// they had (disabled, a service turned off, a credential revoked, enforcement or blocking
/// begun), whose sessions should end. Computed in the core together with the change; the edges
/// (the CLI, the page) only run the kick command for them.
public struct Consequences: Sendable, Equatable {
    /// Canonical names, each once, in the order they were found.
    public let accountsLosingAccess: [String]

    public init(accountsLosingAccess: [String]) {
        var seen = Set<String>()
        self.accountsLosingAccess = accountsLosingAccess.filter { seen.insert($0).inserted }
    }

    public static let none = Consequences(accountsLosingAccess: [])

    /// One account losing access, when `condition` holds.
    static func account(_ name: String, if condition: Bool = true) -> Consequences {
        condition ? Consequences(accountsLosingAccess: [name]) : .none
    }
}
