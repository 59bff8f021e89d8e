import Foundation

/// The audit trail.
public protocol AuditStore: Sendable {
    /// Audit entries, newest first, optionally only one account's and only since a date.
    func auditEvents(account: String?, since: Date?, limit: Int) throws -> [AuditEvent]
    /// Records an event that changes nothing else.
    func record(_ event: AuditEvent) throws
}
