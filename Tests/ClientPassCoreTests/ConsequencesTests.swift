import Foundation
import Testing
@testable import ClientPassCore

/// Which accounts lose access through a change (and so have their mail sessions ended) is
/// decided in the core, with the change: the edges only run the kick command.
@Suite struct ConsequencesTests {
    let admin = AuditActor.admin(osUser: "test")

    func losing(_ consequences: Consequences) -> [String] { consequences.accountsLosingAccess }

    @Test func policyChanges() throws {
        let fixture = try DecisionFixture()
        let policy = PolicyManager(store: fixture.store, now: { fixture.clock.now })
        try fixture.allow()
        #expect(losing(try policy.setThirdPartyClients(.blocked, by: admin).consequences) == ["alice@example.com", "bob@example.com"])
        #expect(losing(try policy.setThirdPartyClients(.blocked, by: admin).consequences) == [], "no change, no one loses access")
        #expect(losing(try policy.setThirdPartyClients(.allowed, by: admin).consequences) == [])

        try fixture.network("10.0.3.0/24")
        #expect(losing(try policy.removeSecureNetwork(try IPNetwork(parsing: "10.0.3.0/24"), by: admin)) == [], "clients are allowed anyway")
        _ = try policy.setThirdPartyClients(.blocked, by: admin)
        try fixture.network("10.0.3.0/24")
        #expect(losing(try policy.removeSecureNetwork(try IPNetwork(parsing: "10.0.3.0/24"), by: admin)) == ["alice@example.com", "bob@example.com"])

        #expect(
            losing(try policy.setEnforcement(.selected(departments: [DepartmentName(validating: "Sales")], accounts: []), by: admin)) == ["alice@example.com"])
        #expect(losing(try policy.setEnforcement(.all, by: admin)) == ["bob@example.com"], "only those newly covered")
        try policy.addException(AccountName(validating: "alice@example.com"), note: "scanner", by: admin)
        #expect(losing(try policy.removeException(AccountName(validating: "ALICE@example.com"), by: admin)) == ["alice@example.com"])
        #expect(losing(try policy.setEnforcement(.off, by: admin)) == [])
        try policy.addException(AccountName(validating: "bob@example.com"), note: "", by: admin)
        #expect(losing(try policy.removeException(AccountName(validating: "bob@example.com"), by: admin)) == [], "enforcement is off")
    }

    @Test func accountChanges() throws {
        let fixture = try DecisionFixture()
        let manager = fixture.manager
        let alice = try fixture.account("alice@example.com")
        #expect(losing(try manager.setStatus(.disabled, of: alice, by: admin).consequences) == ["alice@example.com"])
        #expect(losing(try manager.setStatus(.disabled, of: alice, by: admin).consequences) == [])
        #expect(losing(try manager.setStatus(.active, of: alice, by: admin).consequences) == [])

        #expect(losing(try manager.setServices([.pop3: false], for: .all, by: admin).consequences) == ["alice@example.com", "bob@example.com"])
        #expect(losing(try manager.setServices([.pop3: false], for: .all, by: admin).consequences) == [], "nothing changed")
        #expect(losing(try manager.setServices([.pop3: true], for: .all, by: admin).consequences) == [])

        #expect(losing(try manager.revokeAllAppPasswords(of: alice, by: admin).consequences) == [], "none to revoke")
        try fixture.issue("Phone")
        #expect(losing(try manager.revokeAppPassword(1, of: alice, by: admin).consequences) == ["alice@example.com"])
        #expect(losing(try manager.reset(alice, label: Label(validating: "New"), mailboxPassword: nil, by: admin).consequences) == ["alice@example.com"])
        #expect(losing(try manager.setMailboxPassword(of: alice, to: Secret("a new mailbox password"), by: admin)) == ["alice@example.com"])
    }
}
