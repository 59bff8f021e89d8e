import Foundation

/// Everything an administrator configured and every credential's metadata, read in one
/// transaction: `admin export`.
public struct StoreExport: Sendable {
    public struct ExportedAccount: Sendable {
        public let account: Account
        public let appPasswords: [AppPassword]
    }

    public let policy: DomainPolicy
    public let secureNetworks: [SecureNetwork]
    public let firstPartyHosts: [FirstPartyHost]
    /// Departments and accounts a `selected` enforcement covers, by name.
    public let enforcedDepartments: [String]
    public let enforcedAccounts: [String]
    public let exceptions: [(account: String, note: String)]
    public let departments: [Department]
    public let accounts: [ExportedAccount]
}

extension SQLStore {
    public func export() throws -> StoreExport {
        try read { db in
            let accounts = try db.rows(Self.accountSelect + " ORDER BY account.name_key").map(Self.account(from:))
            var passwords: [Int64: [AppPassword]] = [:]
            for row in try db.rows("SELECT * FROM app_password ORDER BY account_id, id") {
                let password = try Self.appPassword(from: row)
                passwords[password.accountID, default: []].append(password)
            }
            return StoreExport(
                policy: try Self.policy(in: db),
                secureNetworks: try Self.secureNetworks(in: db),
                firstPartyHosts: try Self.networks(.firstPartyHosts, in: db),
                enforcedDepartments: try Self.enforcedDepartmentNames(in: db),
                enforcedAccounts: try Self.enforcedAccountNames(in: db),
                exceptions: try Self.exceptions(in: db),
                departments: try Self.departments(in: db),
                accounts: accounts.map { StoreExport.ExportedAccount(account: $0, appPasswords: passwords[$0.id] ?? []) })
        }
    }
}
