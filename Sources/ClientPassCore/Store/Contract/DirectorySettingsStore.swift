import Foundation

/// Directory mode: the LDAP settings, and syncs that bring accounts in line with the directory.
public protocol DirectorySettingsStore: Sendable {
    /// `nil` when directory mode is off.
    func directorySettings() throws -> DirectorySettings?
    /// Sets the settings (`nil` turns directory mode off), audited.
    func setDirectorySettings(_ settings: DirectorySettings?, by actor: AuditActor, at date: Date) throws
    /// Brings the accounts in line with the directory's users in one transaction: the plan is
    /// made inside it from the accounts as they are then, and every change is audited.
    /// - Throws: ``DirectorySyncRefused`` (nothing changed) when the plan disables more than
    ///   the settings allow and `allowingMassDisable` is false.
    func syncDirectory(
        users: [DirectoryUser], settings: DirectorySettings, allowingMassDisable: Bool,
        by actor: AuditActor, at date: Date
    ) throws -> DirectorySyncPlan
    /// Adds the account of one directory user, as a sync would add it (its department, its entry,
    /// the directory checking its mailbox password), audited with `note`. `nil`, and nothing
    /// changed, when an account of that name exists by now or the entry would be skipped or
    /// not added by a sync (disabled, a name or department that is not valid).
    func addDirectoryAccount(_ user: DirectoryUser, settings: DirectorySettings, note: String, by actor: AuditActor, at date: Date) throws -> Account?
}
