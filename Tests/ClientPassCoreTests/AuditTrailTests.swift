import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

/// The audit trail is typed data: every kind round-trips through the store, and the sentences
/// earlier versions wrote are read into fields once, by a migration, without losing one.
@Suite struct AuditTrailTests {
    @Test func everyKindIsCovered() {
        #expect(Set(AuditSamples.everyKind.map(\.kind)) == Set(AuditEvent.Kind.allCases))
        #expect(Set(AuditSamples.everyKind.compactMap(\.context)) == Set(AuditEvent.Context.allCases))
        // Every kind earlier versions wrote has a sentence to migrate (the department move and
        // the help desk came later).
        #expect(
            Set(AuditSamples.legacy.map(\.action))
                == Set(AuditEvent.Kind.allCases.map(\.rawValue)).subtracting(["account.department_changed", "account.help_desk_changed"]))
    }

    @Test func everyKindRoundTripsThroughTheStore() throws {
        let store = try SQLiteStore.makeInMemory()
        for event in AuditSamples.everyKind { try store.record(event) }
        let read = Array(try store.auditEvents(account: nil, since: nil, limit: 1000).reversed())
        let written = AuditSamples.everyKind
        #expect(read.count >= written.count)
        for (stored, original) in zip(read.suffix(written.count), written) {
            #expect(stored.id != nil)
            #expect(
                AuditEvent(
                    at: stored.at, kind: stored.kind, actor: stored.actor, account: stored.account, subject: stored.subject,
                    reason: stored.reason, address: stored.address, service: stored.service, old: stored.old, new: stored.new,
                    context: stored.context, note: stored.note) == original)
        }
    }

    /// A store written before entries were typed: every entry keeps its sentence (in `detail`,
    /// unchanged) and gains its fields; a sentence that does not read as fields becomes the note.
    @Test func theMigrationTypesEveryEarlierEntry() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
        try SQLiteStore.migrator.migrate(queue, upTo: "2026-11-30 account-wide throttling")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO store_meta (id, selector_key, created_at) VALUES (1, zeroblob(32), '2026-11-29 00:00:00.000')")
            try db.execute(sql: "INSERT INTO domain_policy (id, updated_at) VALUES (1, '2026-11-29 00:00:00.000')")
            for row in AuditSamples.legacy {
                try db.execute(
                    sql: """
                        INSERT INTO audit_event (at, actor, account, action, detail, address, service, reason)
                        VALUES ('2026-11-29 10:00:00.000', ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [row.actor, row.account, row.action, row.detail, row.address, row.service, row.reason])
            }
        }
        try queue.close()

        let store = try SQLiteStore(openingAt: path)
        let events = Array(try store.auditEvents(account: nil, since: nil, limit: 1000).reversed())
        #expect(events.count == AuditSamples.legacy.count)
        let details = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT detail FROM audit_event ORDER BY id") }
        #expect(details == AuditSamples.legacy.map(\.detail), "the sentences are kept as written")
        for (event, row) in zip(events, AuditSamples.legacy) {
            #expect(event.kind.rawValue == row.action)
            #expect(event.account == row.account)
            if row.isTyped {
                #expect(event.note == nil || event.kind == .loginDenied, "\(row.detail)")
            } else {
                #expect(event.note == row.detail)
            }
        }
        struct NoSuchEntry: Error { let detail: String }
        func event(_ detail: String) throws -> AuditEvent {
            guard let match = zip(events, AuditSamples.legacy).first(where: { $0.1.detail == detail }) else { throw NoSuchEntry(detail: detail) }
            return match.0
        }
        #expect(try event("store created at /var/lib/clientpass/clientpass.sqlite for group mail").new?["group"] == .text("mail"))
        let backup = try event("backup written to /backup/a: b.sqlite: 3 accounts, 5 app passwords")
        #expect(backup.subject == .store(path: "/backup/a: b.sqlite") && backup.new == .inventory(accounts: 3, appPasswords: 5))
        #expect(try event(#"department "Sales \"East\"" added"#).subject == .department(#"Sales "East""#))
        let relabel = try event(#"app password 3 renamed from "Phone" to "iPhone \"Mail\"""#)
        #expect(relabel.subject == .appPassword(id: 3, label: #"iPhone "Mail""#) && relabel.old == .text("Phone"))
        #expect(relabel.actor == .account("alice@example.com"))
        let scanner = try event(#"app password 4 "Scanner" created (protocols smtp; networks 10.0.3.0/24; expires 2026-12-31T17:00:00Z)"#)
        #expect(scanner.actor == .admin(osUser: "root"))
        #expect(scanner.new?["protocols"] == .list(["smtp"]) && scanner.new?["networks"] == .list(["10.0.3.0/24"]))
        #expect(try event(#"app password 5 "Laptop" revoked (all revoked)"#).context == .revokeAll)
        #expect(
            try event("throttling: 5 failures per account and address, 50 per address, in 600 s").new
                == .throttling(ThrottlePolicy(accountFailures: 5, addressFailures: 50, accountWideFailures: 50, window: 600)))
        #expect(try event("secure network 10.0.3.0/24 added (Head office)").new == .text("Head office"))
        let denied = try event("IMAP login from 198.51.100.7 denied: the account alice@example.com is disabled")
        #expect(denied.actor == .system && denied.reason == .accountDisabled && denied.note == "the account alice@example.com is disabled")
        #expect(try event("mailbox password used over SMTP from 203.0.113.9 for the first time").subject == .mailboxPassword)
        let cli = try event("self-service sign-in failed: wrong mailbox password")
        #expect(cli.reason == .badCredential && cli.context == .commandLine)
        #expect(try event("confirmed the mailbox password on the self-service page from 198.51.100.7").context == .confirmation)
    }
}
