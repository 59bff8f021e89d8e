import Foundation

/// What `admin directory sync` would change to bring accounts and departments in line with the
/// directory. It adds, links, moves, disables and enables; it never deletes. Made from the
/// directory's users and the store's accounts, then applied in one transaction.
public struct DirectorySyncPlan: Sendable, Hashable {
    /// A user of the directory with no account yet.
    public struct Addition: Sendable, Hashable {
        public let name: AccountName
        public let department: DepartmentName?
        public let dn: String
    }

    /// An account that is now, or still, found in the directory at this entry. `takesOver`: it
    /// was a local account, and the directory checks its mailbox password from now on.
    public struct Link: Sendable, Hashable {
        public let account: String
        public let dn: String
        public let takesOver: Bool
    }

    public struct Move: Sendable, Hashable {
        public let account: String
        public let from: String?
        public let to: DepartmentName?
    }

    public struct Disabling: Sendable, Hashable {
        public let account: String
        /// "disabled in the directory" or "gone from the directory".
        public let why: String
    }

    /// A directory entry that names no usable account.
    public struct Skipped: Sendable, Hashable {
        public let dn: String
        public let why: String
    }

    public var additions: [Addition] = []
    public var links: [Link] = []
    public var moves: [Move] = []
    public var disablings: [Disabling] = []
    /// Accounts a sync disabled that the directory has enabled again.
    public var enablings: [String] = []
    public var skipped: [Skipped] = []
    /// Accounts the directory manages: those a sync found before, and those found now.
    public var managed = 0

    /// Nothing to change.
    public var isEmpty: Bool { additions.isEmpty && links.allSatisfy { !$0.takesOver } && moves.isEmpty && disablings.isEmpty && enablings.isEmpty }

    /// The disablings as a share of the accounts the directory manages, in percent.
    public var disablePercent: Double {
        Double(disablings.count) * 100 / Double(max(managed, 1))
    }

    /// Whether this plan disables more than the settings allow without `--yes`.
    public func exceedsDisableLimit(_ settings: DirectorySettings) -> Bool {
        !disablings.isEmpty && disablePercent > Double(settings.maximumDisablePercent)
    }

    public init() {}

    /// The plan for these users and accounts. Departments are only changed when the settings
    /// say where they come from (an attribute or the OU).
    public init(users: [DirectoryUser], accounts: [Account], settings: DirectorySettings) {
        let mapsDepartments = settings.departmentAttribute != nil || settings.departmentFromOU
        var local: [String: Account] = [:]
        for account in accounts {
            if let name = try? AccountName(validating: account.name) { local[name.key] = account }
        }
        var found = Set<String>()
        var managedKeys = Set(local.filter { $0.value.directoryDN != nil }.map(\.key))
        for user in users.sorted(by: { $0.name < $1.name || ($0.name == $1.name && $0.dn < $1.dn) }) {
            guard let name = try? AccountName(validating: user.name) else {
                skipped.append(Skipped(dn: user.dn, why: user.name.isEmpty ? "no \(settings.accountAttribute)" : "\(Quoted(user.name)) is not an account name"))
                continue
            }
            guard found.insert(name.key).inserted else {
                skipped.append(Skipped(dn: user.dn, why: "another entry has the account name \(Quoted(user.name))"))
                continue
            }
            var department: DepartmentName?
            if mapsDepartments, let text = user.department {
                guard let valid = try? DepartmentName(validating: text) else {
                    skipped.append(Skipped(dn: user.dn, why: "\(Quoted(text)) is not a department name"))
                    continue
                }
                department = valid
            }
            guard let account = local[name.key] else {
                if !user.isDisabled { additions.append(Addition(name: name, department: department, dn: user.dn)) }
                continue
            }
            managedKeys.insert(name.key)
            if account.directoryDN != user.dn || !account.usesDirectoryPassword {
                links.append(Link(account: account.name, dn: user.dn, takesOver: !account.usesDirectoryPassword))
            }
            if mapsDepartments, account.department?.lowercased() != department?.value.lowercased() {
                moves.append(Move(account: account.name, from: account.department, to: department))
            }
            if user.isDisabled, account.status == .active {
                disablings.append(Disabling(account: account.name, why: "disabled in the directory"))
            } else if !user.isDisabled, account.status == .disabled, account.isDisabledByDirectory {
                enablings.append(account.name)
            }
        }
        for account in accounts where account.directoryDN != nil && account.status == .active {
            guard let name = try? AccountName(validating: account.name), !found.contains(name.key) else { continue }
            disablings.append(Disabling(account: account.name, why: "gone from the directory"))
        }
        managed = managedKeys.count
    }
}

/// A sync that would disable more accounts than the settings allow: nothing was changed.
public struct DirectorySyncRefused: Error, Sendable, CustomStringConvertible {
    public let plan: DirectorySyncPlan
    public let settings: DirectorySettings

    public var description: String {
        "the sync would disable \(plan.disablings.count) of \(plan.managed) accounts from the directory "
            + "(\(Int(plan.disablePercent.rounded())) %, over the limit of \(settings.maximumDisablePercent) %); nothing was changed. "
            + "A wrong --filter or --base-dn looks like this: check them with `admin directory test`, then run the sync again with --yes"
    }
}
