/// The store contract: everything clientpass keeps, behind small protocols by concern, so that
/// policy and decision code never talk to a database library directly and a second store
/// (PostgreSQL) implements the same contract. `StoreContractTests` is the contract's test
/// suite, run against every implementation.
///
/// Every method that changes something runs in one transaction together with its audit entry:
/// either both are stored, or neither. Names compare case-insensitively (``AccountName/key``).
public protocol CredentialStore: DecisionStore, AccountStore, AppPasswordStore, PolicyStore, AuditStore, DirectorySettingsStore, SessionStore, SetupLinkStore {}
