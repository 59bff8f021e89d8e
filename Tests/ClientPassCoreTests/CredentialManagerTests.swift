import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

@Suite struct CredentialManagerTests {
    @Test func generatedPasswordsGetStableIdsThatAreNeverReused() throws {
        let fixture = try Fixture()
        let first = try fixture.generate("Outlook")
        let second = try fixture.generate("Phone")
        #expect(first.appPassword.id == 1)
        #expect(second.appPassword.id == 2)
        _ = try fixture.manager.revokeAppPassword(2, of: fixture.alice, by: .account(fixture.alice.name))
        let third = try fixture.generate("Tablet")
        #expect(third.appPassword.id == 3)
        #expect(try fixture.manager.appPasswords(of: fixture.alice).map(\.id) == [1, 3])
    }

    @Test func onlyTheHashAndSelectorAreStored() throws {
        let fixture = try Fixture()
        let generated = try fixture.generate()
        let plain = generated.secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let dump = try fixture.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM app_password").description + Row.fetchAll(db, sql: "SELECT * FROM audit_event").description
        }
        #expect(!dump.contains(plain))
        #expect(!dump.contains(generated.displayPassword))
        #expect(!dump.contains(alicePassword))
        let stored = try #require(try fixture.manager.appPasswords(of: fixture.alice).first)
        #expect(try Argon2idHasher(parameters: cheapHashing.appPassword).verify(generated.secret, against: stored.hash))
    }

    @Test func limitsAreKept() throws {
        let fixture = try Fixture()
        let expiry = fixture.clock.now + 90 * 86_400
        let limits = CredentialLimits(
            protocols: [.smtp], networks: [try IPNetwork(parsing: "10.0.3.0/24"), try IPNetwork(parsing: "2001:db8::/32")], expiresAt: expiry)
        _ = try fixture.generate("Scanner", limits: limits)
        let stored = try #require(try fixture.manager.appPasswords(of: fixture.alice).first)
        #expect(stored.limits.protocols == [.smtp])
        #expect(stored.limits.networks.map(\.description) == ["10.0.3.0/24", "2001:db8::/32"])
        #expect(abs(stored.limits.expiresAt!.timeIntervalSince(expiry)) < 0.001)
        #expect(stored.issuedBy == "alice@example.com")
    }

    @Test func theCapIsEnforcedWithAClearErrorAndNothingAdded() throws {
        let fixture = try Fixture()
        for index in 1...25 { _ = try fixture.generate("Device \(index)") }
        #expect { try fixture.generate("One too many") } throws: { error in
            (error as? CredentialError)?.kind == .limitReached && "\(error)".contains("already has 25 app passwords")
        }
        #expect(try fixture.manager.appPasswords(of: fixture.alice).count == 25)
        _ = try fixture.manager.revokeAppPassword(7, of: fixture.alice, by: .account(fixture.alice.name))
        #expect(try fixture.generate("Replacement").appPassword.id == 26)
    }

    @Test func unknownAccountsSuggestTheClosestName() throws {
        let fixture = try Fixture()
        #expect { try fixture.manager.account(named: "alic") } throws: { error in
            (error as? AccountError)?.kind == .unknownAccount && "\(error)".contains("did you mean \"alice@example.com\"?")
        }
    }

    @Test func relabelAndRevokeNameTheIdsThatExist() throws {
        let fixture = try Fixture()
        _ = try fixture.generate("Outlook")
        let renamed = try fixture.manager.relabelAppPassword(
            1, of: fixture.alice, to: Label(validating: "Outlook (old laptop)"), by: .account(fixture.alice.name))
        #expect(renamed.label == "Outlook (old laptop)")
        #expect { try fixture.manager.revokeAppPassword(9, of: fixture.alice, by: .account(fixture.alice.name)) } throws: { error in
            (error as? CredentialError)?.kind == .unknownAppPassword && "\(error)".contains("its app passwords are 1")
        }
        let revokedAll = try fixture.manager.revokeAllAppPasswords(of: fixture.alice, by: .account(fixture.alice.name))
        #expect(revokedAll.revoked.map(\.id) == [1])
        #expect(revokedAll.consequences.accountsLosingAccess == ["alice@example.com"])
        #expect(try fixture.manager.appPasswords(of: fixture.alice).isEmpty)
        let actions = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 10).map(\.kind)
        #expect(actions.prefix(3) == [.appPasswordRevoked, .appPasswordRelabeled, .appPasswordCreated])
    }

    @Test func accountsAndDepartmentsAreUniqueIgnoringCase() throws {
        let fixture = try Fixture()
        #expect {
            try fixture.manager.addAccount(named: "ALICE@example.com", department: nil, mailboxPassword: Secret(alicePassword), by: .admin(osUser: "t"))
        } throws: {
            ($0 as? AccountError)?.kind == .accountExists
        }
        #expect { try fixture.manager.addDepartment(named: "sales", by: .admin(osUser: "t")) } throws: { ($0 as? AccountError)?.kind == .departmentExists }
        #expect {
            try fixture.manager.addAccount(named: "bob", department: "Marketing", mailboxPassword: Secret(alicePassword), by: .admin(osUser: "t"))
        } throws: {
            ($0 as? AccountError)?.kind == .unknownDepartment
        }
        #expect { try fixture.manager.addAccount(named: "bob", department: nil, mailboxPassword: Secret("short"), by: .admin(osUser: "t")) } throws: {
            $0 is InputError
        }
        #expect(try fixture.manager.accounts(inDepartment: nil).map(\.name) == ["alice@example.com"])
    }

    @Test func aDepartmentInUseIsNotRemoved() throws {
        let fixture = try Fixture()
        #expect { try fixture.manager.removeDepartment(named: "Sales", by: .admin(osUser: "t")) } throws: { ($0 as? AccountError)?.kind == .departmentInUse }
        let removed = try fixture.manager.removeAccount(named: "alice@example.com", by: .admin(osUser: "t"))
        #expect(removed.appPasswords == 0 && removed.consequences.accountsLosingAccess == ["alice@example.com"])
        try fixture.manager.removeDepartment(named: "SALES", by: .admin(osUser: "t"))
        #expect(try fixture.manager.departments().isEmpty)
    }

    @Test func removingAnAccountRemovesItsPasswordsButKeepsItsAudit() throws {
        let fixture = try Fixture()
        _ = try fixture.generate()
        _ = try fixture.generate()
        #expect(try fixture.manager.removeAccount(named: "alice@example.com", by: .admin(osUser: "t")).appPasswords == 2)
        #expect(try fixture.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM app_password") } == 0)
        #expect(try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 1).first?.kind == .accountRemoved)
    }

    @Test func accessReflectsPolicyScopeAndExceptions() throws {
        let fixture = try Fixture()
        var summary = try fixture.manager.access(for: fixture.alice)
        #expect(summary.thirdPartyClients == .blocked && !summary.isSecurePasswordRequired && !summary.isException)
        try fixture.store.writer.write { db in
            try db.execute(sql: "UPDATE domain_policy SET enforce_secure_password = 'selected', third_party_clients = 'allowed'")
            try db.execute(sql: "INSERT INTO enforcement_department (department_id) VALUES (?)", arguments: [fixture.alice.departmentID])
            try db.execute(sql: "INSERT INTO secure_network (network, note, created_at) VALUES ('10.0.3.0/24', 'office', '2026-11-29 00:00:00.000')")
        }
        summary = try fixture.manager.access(for: fixture.alice)
        #expect(summary.thirdPartyClients == .allowed && summary.isSecurePasswordRequired)
        #expect(summary.secureNetworks.map(\.network.description) == ["10.0.3.0/24"])
        try fixture.store.writer.write { db in
            try db.execute(sql: "INSERT INTO enforcement_exception (account_id) VALUES (?)", arguments: [fixture.alice.id])
        }
        summary = try fixture.manager.access(for: fixture.alice)
        #expect(summary.isException && !summary.isSecurePasswordRequired)
    }
}
