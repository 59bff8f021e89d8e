import Foundation

/// The new account a store is asked to create; its mailbox password is already hashed.
public struct NewAccount: Sendable {
    public let name: AccountName
    public let department: DepartmentName?
    public let mailboxPasswordHash: String
    public let services: Services

    public init(name: AccountName, department: DepartmentName?, mailboxPasswordHash: String, services: Services = Services()) {
        self.name = name
        self.department = department
        self.mailboxPasswordHash = mailboxPasswordHash
        self.services = services
    }
}

/// What an import added: the accounts, and the departments it had to create for them.
public struct ImportedAccounts: Sendable {
    public let accounts: [Account]
    public let createdDepartments: [String]

    public init(accounts: [Account], createdDepartments: [String]) {
        self.accounts = accounts
        self.createdDepartments = createdDepartments
    }
}

/// Which accounts a batch change selects.
public enum AccountSelection: Sendable, Hashable {
    case accounts([AccountName])
    case department(DepartmentName)
    case all
}

/// Accounts and departments.
public protocol AccountStore: Sendable {
    /// The account with this name (case-insensitive), or `nil`.
    func account(named name: AccountName) throws -> Account?
    /// Every account, by name, optionally only one department's.
    func accounts(inDepartment department: DepartmentName?) throws -> [Account]
    /// Every department, by name, with its number of accounts.
    func departments() throws -> [Department]
    func addDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws -> Department
    /// - Throws: ``AccountError`` (`departmentInUse`) while accounts belong to it.
    func removeDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws
    func addAccount(_ account: NewAccount, by actor: AuditActor, at date: Date) throws -> Account
    /// Adds accounts whose mailbox password hashes come from elsewhere (an import), creating
    /// the departments they name that do not exist yet: all of them, or none (an account that
    /// exists already, or a name given twice, stops the whole import).
    func importAccounts(_ accounts: [NewAccount], by actor: AuditActor, at date: Date) throws -> ImportedAccounts
    /// Removes the account and its app passwords. - Returns: how many app passwords went with it.
    func removeAccount(_ name: AccountName, by actor: AuditActor, at date: Date) throws -> Int
    /// Turns services on or off for the selected accounts in one transaction.
    /// - Returns: the names of the accounts that changed.
    func setServices(_ changes: [MailService: Bool], for selection: AccountSelection, by actor: AuditActor, at date: Date) throws -> [String]
    /// - Returns: whether the status changed.
    func setStatus(_ status: Account.Status, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
    func setMailboxPasswordHash(_ hash: String, of name: AccountName, by actor: AuditActor, at date: Date) throws
    /// Moves the account to a department, or out of any (`nil`).
    /// - Returns: whether it changed.
    func setDepartment(_ department: DepartmentName?, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
    /// Makes the account a member of the help desk, or not. - Returns: whether it changed.
    func setHelpDesk(_ isMember: Bool, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
}
