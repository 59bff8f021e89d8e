import Foundation
import Testing
import ClientPassTestSupport
@testable import ClientPassCore
@testable import ClientPassPostgreSQL

/// The store contract (``CredentialStore`` and its parts), tested once and run against every
/// implementation: a second store (PostgreSQL) is proven by adding it to `StoreUnderTest`.
enum StoreUnderTest: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteInMemory = "SQLite in memory"
    case sqliteFile = "SQLite file"
    case postgresql = "PostgreSQL"

    var testDescription: String { rawValue }

    /// Every store, but PostgreSQL only where its server runs (not under `make test-fast`).
    static var tested: [StoreUnderTest] { allCases.filter { $0 != .postgresql || TestTier.outsideServers } }

    /// A new, empty store, and what must live as long as it.
    func make(at date: Date) throws -> (store: any CredentialStore, keep: AnyObject?) {
        switch self {
        case .sqliteInMemory:
            return (try SQLiteStore.makeInMemory(at: date), nil)
        case .sqliteFile:
            let folder = try TemporaryFolder()
            return (try SQLiteStore.create(at: folder.file("clientpass.sqlite"), by: .admin(osUser: "test"), at: date), folder)
        case .postgresql:
            let database = try PostgreSQLLab.shared().makeDatabase()
            return (try PostgreSQLStore.create(at: PostgreSQLLocation(parsing: database.url), by: .admin(osUser: "test"), at: date), nil)
        }
    }
}

@Suite struct StoreContractTests {
    let admin = AuditActor.admin(osUser: "test")
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    let hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"

    func name(_ text: String) throws -> AccountName { try AccountName(validating: text) }

    func newPassword(_ label: String, selector: String) throws -> NewAppPassword {
        NewAppPassword(label: try Label(validating: label), limits: .none, selector: selector, hash: hash)
    }

    /// A store with department Sales (alice) and bob outside any department.
    func populated(_ kind: StoreUnderTest) throws -> (store: any CredentialStore, keep: AnyObject?, alice: Account, bob: Account) {
        let (store, keep) = try kind.make(at: date)
        _ = try store.addDepartment(DepartmentName(validating: "Sales"), by: admin, at: date)
        let alice = try store.addAccount(
            NewAccount(name: name("alice@example.com"), department: DepartmentName(validating: "sales"), mailboxPasswordHash: hash), by: admin, at: date)
        let bob = try store.addAccount(NewAccount(name: name("bob@example.com"), department: nil, mailboxPasswordHash: hash), by: admin, at: date)
        return (store, keep, alice, bob)
    }

    @Test(arguments: StoreUnderTest.tested)
    func accountsAndDepartments(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        #expect(try store.account(named: name("ALICE@Example.com"))?.id == alice.id)
        #expect(alice.department == "Sales" && alice.status == .active && alice.services == Services())
        #expect(try store.account(named: name("carol@example.com")) == nil)
        #expect(try store.accounts(inDepartment: nil).map(\.name) == ["alice@example.com", "bob@example.com"])
        #expect(try store.accounts(inDepartment: DepartmentName(validating: "SALES")).map(\.name) == ["alice@example.com"])
        #expect(try store.departments().map { "\($0.name) \($0.accountCount)" } == ["Sales 1"])
        #expect { try store.addAccount(NewAccount(name: name("Alice@example.com"), department: nil, mailboxPasswordHash: hash), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .accountExists
        }
        #expect { try store.addDepartment(DepartmentName(validating: "sales"), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .departmentExists
        }
        #expect { try store.removeDepartment(DepartmentName(validating: "Sales"), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .departmentInUse
        }
        #expect { try store.removeDepartment(DepartmentName(validating: "Sale"), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .unknownDepartment
        }
        #expect(try store.setStatus(.disabled, of: name("alice@example.com"), by: admin, at: date))
        #expect(try !store.setStatus(.disabled, of: name("alice@example.com"), by: admin, at: date))
        try store.setMailboxPasswordHash(hash + "x", of: name("alice@example.com"), by: admin, at: date)
        #expect(try store.account(named: name("alice@example.com"))?.mailboxPasswordHash == hash + "x")
    }

    /// The page's sessions: found by digest and marked seen, ended when idle, too old, signed
    /// out or when the account goes; bounded, the least recently seen going first.
    @Test(arguments: StoreUnderTest.tested)
    func sessions(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, bob) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let lifetime = SessionLifetime(idleTimeout: 900, maximumAge: 3600)
        func session(_ account: Account, at when: Date) -> StoredSession {
            StoredSession(
                accountID: account.id, accountName: account.name, mailboxPasswordDigest: "m", csrfToken: "c",
                createdAt: when, authenticatedAt: when, lastSeenAt: when)
        }
        try store.createSession(session(alice, at: date), digest: "a1", maximum: 3, perAccount: 10, lifetime: lifetime, at: date)
        #expect(try store.session(digest: "a1", kind: .api, lifetime: lifetime, at: date + 600) == nil, "a page's session is no API token")
        #expect(try store.session(digest: "a1", kind: .page, lifetime: lifetime, at: date + 600)?.accountName == "alice@example.com")
        // Seen at +600, so still live at +1400; idle past +2300.
        #expect(try store.session(digest: "a1", kind: .page, lifetime: lifetime, at: date + 1400) != nil)
        try store.updateSession(digest: "a1") {
            $0.notice = "Revoked “Phone”."; $0.authenticatedAt = date + 1400
        }
        #expect(try store.takeSessionNotice(digest: "a1") == "Revoked “Phone”.")
        #expect(try store.takeSessionNotice(digest: "a1") == nil)
        #expect(try store.session(digest: "a1", kind: .page, lifetime: lifetime, at: date + 1500)?.authenticatedAt == date + 1400)
        #expect(try store.session(digest: "a1", kind: .page, lifetime: lifetime, at: date + 2500) == nil, "idle")
        #expect(try store.session(digest: "a1", kind: .page, lifetime: lifetime, at: date + 1500) == nil, "an ended session is gone")
        // Too old, however busy.
        try store.createSession(session(alice, at: date), digest: "a2", maximum: 3, perAccount: 10, lifetime: lifetime, at: date)
        for minutes in stride(from: 10, through: 50, by: 10) {
            #expect(try store.session(digest: "a2", kind: .page, lifetime: lifetime, at: date + Double(minutes * 60)) != nil)
        }
        #expect(try store.session(digest: "a2", kind: .page, lifetime: lifetime, at: date + 3700) == nil)
        // Bounded: the least recently seen goes.
        for (index, when) in [date + 10, date + 20, date + 30].enumerated() {
            try store.createSession(session(bob, at: when), digest: "b\(index)", maximum: 3, perAccount: 10, lifetime: lifetime, at: when)
        }
        _ = try store.session(digest: "b0", kind: .page, lifetime: lifetime, at: date + 40)
        try store.createSession(session(alice, at: date + 50), digest: "a3", maximum: 3, perAccount: 10, lifetime: lifetime, at: date + 50)
        #expect(try store.session(digest: "b1", kind: .page, lifetime: lifetime, at: date + 60) == nil)
        #expect(try store.liveSessionCount(lifetime: lifetime, at: date + 60) == 3)
        try store.endSession(digest: "a3")
        #expect(try store.liveSessionCount(lifetime: lifetime, at: date + 60) == 2)
        // Removing the account ends its sessions.
        _ = try store.removeAccount(name("bob@example.com"), by: admin, at: date + 70)
        #expect(try store.liveSessionCount(lifetime: lifetime, at: date + 70) == 0)
    }

    /// Set-up links: taken once, by digest; gone when expired, when the account goes, or when
    /// the account makes more than it may keep. The form key is made once and then the same.
    @Test(arguments: StoreUnderTest.tested)
    func setupLinksAndTheFormKey(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, bob) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        func link(_ account: Account, expires: Date, _ bytes: [UInt8] = [1, 2, 3]) -> StoredSetupLink {
            StoredSetupLink(
                accountID: account.id, accountName: account.name, appPasswordID: 7, appPasswordCreatedAt: date,
                sealedProfile: Data(bytes), expiresAt: expires)
        }
        try store.addSetupLink(link(alice, expires: date + 600, [0, 255, 9]), digest: "a1", perAccount: 3, at: date)
        #expect(try store.takeSetupLink(digest: "nope", at: date + 1) == nil)
        #expect(try store.takeSetupLink(digest: "a1", at: date + 1) == link(alice, expires: date + 600, [0, 255, 9]))
        #expect(try store.takeSetupLink(digest: "a1", at: date + 2) == nil, "once")
        try store.addSetupLink(link(alice, expires: date + 600), digest: "a2", perAccount: 3, at: date)
        #expect(try store.takeSetupLink(digest: "a2", at: date + 600) == nil, "expired")
        #expect(try store.takeSetupLink(digest: "a2", at: date + 1) == nil, "an expired link is removed when asked for")
        // Each account keeps its newest links; another's stay.
        try store.addSetupLink(link(bob, expires: date + 600), digest: "b1", perAccount: 3, at: date)
        for index in 0..<4 {
            try store.addSetupLink(link(alice, expires: date + 600 + Double(index)), digest: "a\(index + 3)", perAccount: 3, at: date + Double(index))
        }
        #expect(try store.takeSetupLink(digest: "a3", at: date + 10) == nil, "the oldest of four made way")
        for digest in ["a4", "a5", "a6", "b1"] { #expect(try store.takeSetupLink(digest: digest, at: date + 10) != nil, "\(digest)") }
        // Removing the account removes its links.
        try store.addSetupLink(link(bob, expires: date + 600), digest: "b2", perAccount: 3, at: date)
        _ = try store.removeAccount(name("bob@example.com"), by: admin, at: date + 20)
        #expect(try store.takeSetupLink(digest: "b2", at: date + 21) == nil)

        let key = try store.signInFormKey()
        #expect(key.count == 32)
        #expect(try store.signInFormKey() == key)
    }

    /// One account's sessions make room among themselves: however often it signs in, another
    /// account's sessions stay.
    @Test(arguments: StoreUnderTest.tested)
    func anAccountsSessionsNeverEndAnothersSessions(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, bob) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let lifetime = SessionLifetime(idleTimeout: 900, maximumAge: 3600)
        func session(_ account: Account, at when: Date, _ kind: StoredSession.Kind = .page) -> StoredSession {
            StoredSession(
                kind: kind, accountID: account.id, accountName: account.name, mailboxPasswordDigest: "m", csrfToken: "c",
                createdAt: when, authenticatedAt: when, lastSeenAt: when)
        }
        try store.createSession(session(bob, at: date), digest: "bob", maximum: 100, perAccount: 3, lifetime: lifetime, at: date)
        for index in 0..<50 {
            let when = date + Double(index + 1)
            try store.createSession(
                session(alice, at: when, index % 2 == 0 ? .page : .api), digest: "a\(index)", maximum: 100, perAccount: 3,
                lifetime: lifetime, at: when)
        }
        #expect(try store.session(digest: "bob", kind: .page, lifetime: lifetime, at: date + 60) != nil, "bob's session outlives alice's sign-ins")
        #expect(try store.liveSessionCount(lifetime: lifetime, at: date + 60) == 4, "alice keeps 3, bob 1")
        #expect(try store.session(digest: "a49", kind: .api, lifetime: lifetime, at: date + 60) != nil, "the newest stays")
        #expect(try store.session(digest: "a46", kind: .page, lifetime: lifetime, at: date + 60) == nil, "the oldest went")
    }

    /// Successful sign-ins to the page and the API are counted from the audit trail, per
    /// account, in the window; the command line and confirmations do not count.
    @Test(arguments: StoreUnderTest.tested)
    func signInsAreCountedPerAccount(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        func signIn(_ account: String, at when: Date, _ context: AuditEvent.Context) throws {
            try store.record(
                DecisionRecord(
                    at: when, accountKey: account, address: IPAddress("198.51.100.7")!, service: nil,
                    outcome: .signedIn(accountID: 1, clearFailures: false, rehash: nil),
                    audit: [
                        AuditEvent(
                            at: when, kind: .signedIn, actor: .account(account), account: account,
                            address: "198.51.100.7", context: context)
                    ]))
        }
        try signIn("alice@example.com", at: date, .page)
        try signIn("alice@example.com", at: date + 10, .api)
        try signIn("alice@example.com", at: date + 20, .commandLine)
        try signIn("alice@example.com", at: date + 30, .confirmation)
        try signIn("bob@example.com", at: date + 40, .page)
        #expect(try store.signInCount(account: "alice@example.com", since: date - 1) == 2)
        #expect(try store.signInCount(account: "alice@example.com", since: date + 5) == 1)
        #expect(try store.signInCount(account: "bob@example.com", since: date - 1) == 1)
    }

    /// A rehash replaces the hash it was made from, never a newer one, and the sessions made
    /// with the old hash go on.
    @Test(arguments: StoreUnderTest.tested)
    func aRehashKeepsSessionsAndNeverUndoesANewPassword(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let lifetime = SessionLifetime(idleTimeout: 900, maximumAge: 3600)
        let old = alice.mailboxPasswordHash
        try store.createSession(
            StoredSession(
                accountID: alice.id, accountName: alice.name, mailboxPasswordDigest: StoredSession.digest(ofMailboxHash: old),
                csrfToken: "c", createdAt: date, authenticatedAt: date, lastSeenAt: date),
            digest: "s", maximum: 10, perAccount: 10, lifetime: lifetime, at: date)
        func rehash(_ from: String, _ to: String) throws {
            try store.record(
                DecisionRecord(
                    at: date, accountKey: "alice@example.com", address: IPAddress("198.51.100.7")!, service: nil,
                    outcome: .signedIn(accountID: alice.id, clearFailures: false, rehash: .init(replacing: from, with: to)),
                    audit: []))
        }
        try rehash(old, "$argon2id$rehashed")
        #expect(try store.account(named: name("alice@example.com"))?.mailboxPasswordHash == "$argon2id$rehashed")
        #expect(
            try store.session(digest: "s", kind: .page, lifetime: lifetime, at: date + 10)?.mailboxPasswordDigest
                == StoredSession.digest(ofMailboxHash: "$argon2id$rehashed"))
        // A rehash of a hash that was replaced meanwhile (a new password) changes nothing.
        try rehash(old, "$argon2id$stale")
        #expect(try store.account(named: name("alice@example.com"))?.mailboxPasswordHash == "$argon2id$rehashed")
        #expect(
            try store.session(digest: "s", kind: .page, lifetime: lifetime, at: date + 20)?.mailboxPasswordDigest
                == StoredSession.digest(ofMailboxHash: "$argon2id$rehashed"))
    }

    /// An import adds every account with its departments, or none of them.
    @Test(arguments: StoreUnderTest.tested)
    func importsAreAllOrNothing(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let imported = "{SHA512-CRYPT}$6$salt$hash"
        func new(_ account: String, _ department: String?) throws -> NewAccount {
            NewAccount(name: try name(account), department: try department.map(DepartmentName.init(validating:)), mailboxPasswordHash: imported)
        }
        #expect { _ = try store.importAccounts([try new("zoe@example.com", "Research"), try new("BOB@example.com", nil)], by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .accountExists
        }
        #expect(try store.account(named: name("zoe@example.com")) == nil)
        #expect(try store.departments().map(\.name) == ["Sales"])
        let result = try store.importAccounts([try new("zoe@example.com", "Research"), try new("yann@example.com", "research")], by: admin, at: date)
        #expect(result.accounts.map(\.name) == ["zoe@example.com", "yann@example.com"])
        #expect(result.createdDepartments == ["Research"])
        #expect(try store.account(named: name("yann@example.com"))?.mailboxPasswordHash == imported)
    }

    /// Directory settings, and a sync: added, linked, moved, disabled (past the guard only
    /// when allowed), enabled again; all in one transaction.
    @Test(arguments: StoreUnderTest.tested)
    func directorySettingsAndSyncs(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let settings = DirectorySettings(url: "ldaps://dc1.example.com", bindDN: "cn=r", bindPasswordFile: "/p", baseDN: "dc=example", departmentFromOU: true)
        #expect(try store.directorySettings() == nil)
        try store.setDirectorySettings(settings, by: admin, at: date)
        #expect(try store.directorySettings() == settings)
        let users = [
            DirectoryUser(dn: "uid=alice,ou=Support", name: "alice@example.com", department: "Support", isDisabled: false),
            DirectoryUser(dn: "uid=carol,ou=Sales", name: "carol@example.com", department: "Sales", isDisabled: false),
        ]
        let plan = try store.syncDirectory(users: users, settings: settings, allowingMassDisable: false, by: admin, at: date)
        #expect(plan.additions.map(\.name.value) == ["carol@example.com"])
        let alice = try #require(try store.account(named: name("alice@example.com")))
        #expect(alice.usesDirectoryPassword && alice.department == "Support" && alice.directoryDN == "uid=alice,ou=Support")
        #expect { _ = try store.syncDirectory(users: [], settings: settings, allowingMassDisable: false, by: admin, at: date) } throws: {
            $0 is DirectorySyncRefused
        }
        #expect(try store.account(named: name("carol@example.com"))?.status == .active, "a refused sync changed nothing")
        _ = try store.syncDirectory(users: Array(users.prefix(1)), settings: settings, allowingMassDisable: true, by: admin, at: date)
        #expect(try store.account(named: name("carol@example.com"))?.isDisabledByDirectory == true)
        _ = try store.syncDirectory(users: users, settings: settings, allowingMassDisable: false, by: admin, at: date)
        #expect(try store.account(named: name("carol@example.com"))?.status == .active)
        try store.setDirectorySettings(nil, by: admin, at: date)
        #expect(try store.directorySettings() == nil)
    }

    /// A batch names an unknown account: nothing changes, nothing is audited.
    @Test(arguments: StoreUnderTest.tested)
    func batchChangesAreOneTransaction(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let before = try store.auditEvents(account: nil, since: nil, limit: 100).count
        #expect {
            try store.setServices([.pop3: false], for: .accounts([name("alice@example.com"), name("nobody@example.com")]), by: admin, at: date)
        } throws: {
            ($0 as? AccountError)?.kind == .unknownAccount
        }
        #expect(try store.accounts(inDepartment: nil).allSatisfy { $0.services.pop3 })
        #expect(try store.auditEvents(account: nil, since: nil, limit: 100).count == before)
        #expect(try store.setServices([.pop3: false], for: .department(DepartmentName(validating: "Sales")), by: admin, at: date) == ["alice@example.com"])
        #expect(try store.setServices([.pop3: false, .smtp: true], for: .all, by: admin, at: date) == ["bob@example.com"])
        let change = try #require(try store.auditEvents(account: "bob@example.com", since: nil, limit: 1).first)
        #expect(change.kind == .servicesChanged && change.old == .list(["imap", "pop3", "smtp"]) && change.new == .list(["imap", "smtp"]))
    }

    @Test(arguments: StoreUnderTest.tested)
    func appPasswords(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, bob) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let first = try store.addAppPassword(newPassword("Phone", selector: "aaaaaaaaaaaa"), toAccount: alice.id, by: admin, at: date)
        let second = try store.addAppPassword(newPassword("Laptop", selector: "bbbbbbbbbbbb"), toAccount: alice.id, by: admin, at: date)
        #expect((first.id, second.id) == (1, 2))
        #expect(try store.addAppPassword(newPassword("Bob's", selector: "cccccccccccc"), toAccount: bob.id, by: admin, at: date).id == 1, "ids are per account")
        _ = try store.revokeAppPassword(2, ofAccount: alice.id, by: admin, at: date)
        #expect(
            try store.addAppPassword(newPassword("Tablet", selector: "dddddddddddd"), toAccount: alice.id, by: admin, at: date).id == 3, "ids are never reused")
        #expect(try store.relabelAppPassword(1, ofAccount: alice.id, to: Label(validating: "iPhone"), by: admin, at: date).label == "iPhone")
        #expect { try store.revokeAppPassword(2, ofAccount: alice.id, by: admin, at: date) } throws: { ($0 as? CredentialError)?.kind == .unknownAppPassword }
        #expect(try store.appPasswords(ofAccount: alice.id).map(\.label) == ["iPhone", "Tablet"])
        #expect(try store.appPasswordCounts() == [alice.id: 2, bob.id: 1])

        let (revoked, issued) = try store.reset(
            name("alice@example.com"), replacement: newPassword("Fresh", selector: "eeeeeeeeeeee"),
            mailboxPasswordHash: hash + "y", by: admin, at: date)
        #expect(revoked.map(\.id) == [1, 3] && issued.id == 4)
        #expect(try store.appPasswords(ofAccount: alice.id).map(\.label) == ["Fresh"])
        #expect(try store.account(named: name("alice@example.com"))?.mailboxPasswordHash == hash + "y")
        #expect(try store.revokeAllAppPasswords(ofAccount: alice.id, by: admin, at: date).map(\.id) == [4])
        #expect(try store.revokeAllAppPasswords(ofAccount: alice.id, by: admin, at: date).isEmpty)
        #expect(try store.removeAccount(name("bob@example.com"), by: admin, at: date) == 1)
        #expect(try store.auditEvents(account: "bob@example.com", since: nil, limit: 1).first?.kind == .accountRemoved, "the audit outlives the account")
    }

    /// Device passwords from the help desk: only an active member issues them, checked in the
    /// transaction that writes; the membership change and the issue are audited.
    @Test(arguments: StoreUnderTest.tested)
    func theHelpDeskIssuesDevicePasswords(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, bob) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        #expect(!bob.isHelpDesk)
        #expect {
            try store.addDevicePassword(newPassword("Scanner", selector: "aaaaaaaaaaaa"), toAccount: alice.id, byHelpDeskMember: bob.id, at: date)
        } throws: {
            ($0 as? CredentialError)?.kind == .notHelpDesk
        }
        #expect(try store.setHelpDesk(true, of: name("bob@example.com"), by: admin, at: date))
        #expect(try !store.setHelpDesk(true, of: name("bob@example.com"), by: admin, at: date))
        #expect(try store.account(named: name("bob@example.com"))?.isHelpDesk == true)
        let change = try #require(try store.auditEvents(account: "bob@example.com", since: nil, limit: 1).first)
        #expect(change.kind == .accountHelpDeskChanged && change.old == .text("not a member") && change.new == .text("member"))
        let issued = try store.addDevicePassword(newPassword("Scanner", selector: "aaaaaaaaaaaa"), toAccount: alice.id, byHelpDeskMember: bob.id, at: date)
        #expect(issued.issuedBy == "bob@example.com" && issued.id == 1)
        let event = try #require(try store.auditEvents(account: "alice@example.com", since: nil, limit: 1).first)
        #expect(event.kind == .appPasswordCreated && event.actor == .account("bob@example.com") && event.context == .helpDesk)
        _ = try store.setStatus(.disabled, of: name("bob@example.com"), by: admin, at: date)
        #expect {
            try store.addDevicePassword(newPassword("Printer", selector: "bbbbbbbbbbbb"), toAccount: alice.id, byHelpDeskMember: bob.id, at: date)
        } throws: {
            ($0 as? CredentialError)?.kind == .notHelpDesk
        }
        #expect(try store.setHelpDesk(false, of: name("bob@example.com"), by: admin, at: date))
        #expect(try store.appPasswords(ofAccount: alice.id).map(\.label) == ["Scanner"])
        #expect { try store.setHelpDesk(true, of: name("carol@example.com"), by: admin, at: date) } throws: { ($0 as? AccountError)?.kind == .unknownAccount }
    }

    @Test(arguments: StoreUnderTest.tested)
    func theCapIsKept(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let maximum = try store.policy().maximumAppPasswords
        for index in 0..<maximum {
            _ = try store.addAppPassword(newPassword("Device \(index)", selector: String(format: "%012x", index)), toAccount: alice.id, by: admin, at: date)
        }
        #expect { try store.addAppPassword(newPassword("One more", selector: "ffffffffffff"), toAccount: alice.id, by: admin, at: date) } throws: {
            ($0 as? CredentialError)?.kind == .limitReached
        }
        #expect(try store.appPasswords(ofAccount: alice.id).count == maximum)
    }

    @Test(arguments: StoreUnderTest.tested)
    func policy(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        #expect(try store.policy().thirdPartyClients == .blocked && store.policy().enforcement == .off)
        #expect(try store.setThirdPartyClients(.allowed, by: admin, at: date))
        #expect(try !store.setThirdPartyClients(.allowed, by: admin, at: date))
        let throttling = ThrottlePolicy(accountFailures: 3, addressFailures: 30, accountWideFailures: 20, window: 300)
        try store.setThrottling(throttling, by: admin, at: date)
        #expect(try store.policy().throttling == throttling)

        // The Argon2id parameters: the defaults at first; a file's taken once, and never over
        // an administrator's.
        #expect(try store.policy().hashing == .standard)
        let file = HashingConfiguration(appPassword: .appPasswordFloor, mailboxPassword: Argon2idParameters(iterations: 3, memoryKiB: 65536))
        #expect(try store.adoptHashing(file, from: "/etc/clientpass/clientpass.yaml", at: date))
        #expect(try store.policy().hashing == file)
        let adopted = try #require(try store.auditEvents(account: nil, since: nil, limit: 1).first)
        #expect(adopted.subject == .setting(.hashing) && adopted.actor == .system && adopted.note == "taken from /etc/clientpass/clientpass.yaml's argon2id")
        let chosen = HashingConfiguration(appPassword: Argon2idParameters(iterations: 3, memoryKiB: 32768), mailboxPassword: .mailboxPasswordFloor)
        #expect(try store.setHashing(chosen, by: admin, at: date))
        #expect(try !store.setHashing(chosen, by: admin, at: date))
        #expect(try !store.adoptHashing(file, from: "/etc/clientpass/clientpass.yaml", at: date))
        #expect(try store.policy().hashing == chosen)

        try store.addSecureNetwork(IPNetwork(parsing: "10.0.3.0/24"), note: "Office", by: admin, at: date)
        #expect { try store.addSecureNetwork(IPNetwork(parsing: "10.0.3.0/24"), note: "", by: admin, at: date) } throws: { ($0 as? PolicyError) != nil }
        #expect(try store.secureNetworks() == [SecureNetwork(network: IPNetwork(parsing: "10.0.3.0/24"), note: "Office")])
        try store.removeSecureNetwork(IPNetwork(parsing: "10.0.3.0/24"), by: admin, at: date)
        #expect { try store.removeSecureNetwork(IPNetwork(parsing: "10.0.3.0/24"), by: admin, at: date) } throws: { ($0 as? PolicyError) != nil }

        try store.addFirstPartyHost(IPNetwork(parsing: "10.0.5.20"), note: "Roundcube", by: admin, at: date)
        #expect { try store.addFirstPartyHost(IPNetwork(parsing: "10.0.5.20"), note: "", by: admin, at: date) } throws: { ($0 as? PolicyError) != nil }
        #expect(try store.firstPartyHosts() == [FirstPartyHost(network: IPNetwork(parsing: "10.0.5.20"), note: "Roundcube")])
        #expect(try store.secureNetworks().isEmpty, "the two lists are apart")
        try store.removeFirstPartyHost(IPNetwork(parsing: "10.0.5.20"), by: admin, at: date)
        #expect { try store.removeFirstPartyHost(IPNetwork(parsing: "10.0.5.20"), by: admin, at: date) } throws: { ($0 as? PolicyError) != nil }

        try store.setEnforcement(.selected(departments: [DepartmentName(validating: "sales")], accounts: [name("BOB@example.com")]), by: admin, at: date)
        #expect(try store.enforcementSelection().departments == ["Sales"] && store.enforcementSelection().accounts == ["bob@example.com"])
        #expect(try store.enforcementScope().departmentIDs.count == 1 && store.enforcementScope().accountIDs.count == 1)
        #expect { try store.setEnforcement(.selected(departments: [DepartmentName(validating: "Nope")], accounts: []), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .unknownDepartment
        }
        #expect(try store.enforcementSelection().accounts == ["bob@example.com"], "a refused change changes nothing")
        try store.setEnforcement(.adding(departments: [], accounts: [name("alice@example.com")]), by: admin, at: date)
        #expect(try store.enforcementSelection().departments == ["Sales"] && store.enforcementSelection().accounts == ["alice@example.com", "bob@example.com"])
        try store.setEnforcement(.removing(departments: [DepartmentName(validating: "SALES")], accounts: [name("bob@example.com")]), by: admin, at: date)
        #expect(try store.enforcementSelection().departments.isEmpty && store.enforcementSelection().accounts == ["alice@example.com"])
        #expect { try store.setEnforcement(.removing(departments: [DepartmentName(validating: "Nope")], accounts: []), by: admin, at: date) } throws: {
            ($0 as? AccountError)?.kind == .unknownDepartment
        }
        #expect(try store.enforcementSelection().accounts == ["alice@example.com"], "a refused change changes nothing")
        try store.setEnforcement(.all, by: admin, at: date)
        try store.setEnforcement(.adding(departments: [DepartmentName(validating: "Sales")], accounts: []), by: admin, at: date)
        #expect(
            try store.policy().enforcement == .selected && store.enforcementSelection().departments == ["Sales"]
                && store.enforcementSelection().accounts.isEmpty,
            "adding to a scope that was not selected starts from an empty selection")
        try store.addException(name("alice@example.com"), note: "scanner", by: admin, at: date)
        #expect { try store.addException(name("alice@example.com"), note: "", by: admin, at: date) } throws: { ($0 as? PolicyError) != nil }
        #expect(try store.exceptions().map(\.account) == ["alice@example.com"])
        try store.removeException(name("alice@example.com"), by: admin, at: date)
        #expect(try store.exceptions().isEmpty)
        let last = try #require(try store.auditEvents(account: "alice@example.com", since: nil, limit: 1).first)
        #expect(last.subject == .setting(.exception) && last.old == .text("scanner") && last.new == nil)
    }

    /// An attempt is counted before its hash; a temporary failure gives it back; an allow
    /// clears the account's failures from the address.
    @Test(arguments: StoreUnderTest.tested)
    func decisionsCountBeforeHashing(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let address = IPAddress("198.51.100.7")!
        try store.setThrottling(ThrottlePolicy(accountFailures: 3, addressFailures: 100, window: 900), by: admin, at: date)
        let first = try store.beginDecision(accountKey: alice.name, address: address, at: date)
        #expect(first.account?.id == alice.id && first.accountFailures == 0 && first.reservation != nil)
        #expect(try store.decisionSnapshot(accountKey: alice.name, address: address, at: date).accountFailures == 1, "counted at once")
        try store.releaseReservation(first.reservation!)
        #expect(try store.decisionSnapshot(accountKey: alice.name, address: address, at: date).accountFailures == 0, "given back")

        for _ in 0..<3 {
            let snapshot = try store.beginDecision(accountKey: alice.name, address: address, at: date)
            try store.record(
                DecisionRecord(
                    at: date, accountKey: alice.name, address: address, service: .imap,
                    outcome: .denied(countsAsFailure: true), audit: [], reservation: snapshot.reservation))
        }
        let throttled = try store.beginDecision(accountKey: alice.name, address: address, at: date)
        #expect(throttled.isThrottled && throttled.reservation == nil, "a throttled attempt reserves nothing")
        #expect(try store.throttledAddressCount(at: date) == 1)
        #expect(try store.warmState(accountKey: alice.name, address: address, since: date.addingTimeInterval(-900)).accountFailures == 3)

        let later = date.addingTimeInterval(901)
        let admitted = try store.beginDecision(accountKey: alice.name, address: address, at: later)
        #expect(!admitted.isThrottled)
        try store.record(
            DecisionRecord(
                at: later, accountKey: alice.name, address: address, service: .imap,
                outcome: .allowed(accountID: alice.id, credential: .mailboxPassword, clearFailures: true, updateLastUsed: true, rehash: nil),
                audit: [], reservation: admitted.reservation))
        #expect(try store.decisionSnapshot(accountKey: alice.name, address: address, at: later).accountFailures == 0)
        #expect(try store.account(named: name("alice@example.com"))?.mailboxLastUsed?.address == "198.51.100.7")
        // The hashing lane of the account's own devices: this address, this account, only after an allow.
        #expect(try store.hasLoggedIn(accountKey: "alice@example.com", from: address))
        #expect(try !store.hasLoggedIn(accountKey: "alice@example.com", from: IPAddress("198.51.100.8")!))
        #expect(try !store.hasLoggedIn(accountKey: "bob@example.com", from: address))
        #expect(try !store.hasLoggedIn(accountKey: "nobody@example.com", from: address))
    }

    /// Every change that could change a login moves the generation (the warm path's check);
    /// what cannot (an audit entry) does not.
    @Test(arguments: StoreUnderTest.tested)
    func theGenerationMovesWithEveryChange(_ kind: StoreUnderTest) throws {
        let (store, keep, alice, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        let address = IPAddress("198.51.100.7")!
        let since = date
        func generation() throws -> Int64 {
            let state = try store.warmState(accountKey: alice.name, address: address, since: since)
            return state.generation
        }
        let changes: [(String, () throws -> Void)] = [
            ("status", { _ = try store.setStatus(.disabled, of: self.name("alice@example.com"), by: self.admin, at: self.date) }),
            ("services", { _ = try store.setServices([.imap: false], for: .all, by: self.admin, at: self.date) }),
            ("policy", { _ = try store.setThirdPartyClients(.allowed, by: self.admin, at: self.date) }),
            ("network", { try store.addSecureNetwork(IPNetwork(parsing: "10.0.0.0/8"), note: "", by: self.admin, at: self.date) }),
            ("first-party host", { try store.addFirstPartyHost(IPNetwork(parsing: "10.0.5.20"), note: "", by: self.admin, at: self.date) }),
            ("enforcement", { try store.setEnforcement(.all, by: self.admin, at: self.date) }),
            (
                "app password",
                { _ = try store.addAppPassword(self.newPassword("Phone", selector: "aaaaaaaaaaaa"), toAccount: alice.id, by: self.admin, at: self.date) }
            ),
            ("mailbox password", { try store.setMailboxPasswordHash(self.hash, of: self.name("alice@example.com"), by: self.admin, at: self.date) }),
        ]
        for (what, change) in changes {
            let before = try generation()
            try change()
            #expect(try generation() > before, "\(what)")
        }
        let before = try generation()
        try store.record(AuditEvent(at: date, kind: .signedIn, actor: .account(alice.name), account: alice.name, context: .page))
        #expect(try generation() == before)
    }

    @Test(arguments: StoreUnderTest.tested)
    func theAuditTrailIsFilteredNewestFirst(_ kind: StoreUnderTest) throws {
        let (store, keep, _, _) = try populated(kind)
        defer { withExtendedLifetime(keep) {} }
        for offset in 1...3 {
            try store.record(
                AuditEvent(
                    at: date.addingTimeInterval(Double(offset) * 3600), kind: .signedIn, actor: .account("alice@example.com"),
                    account: "alice@example.com", address: "198.51.100.\(offset)", context: .page))
        }
        let alice = try store.auditEvents(account: "alice@example.com", since: nil, limit: 10)
        #expect(alice.map(\.kind) == [.signedIn, .signedIn, .signedIn, .accountAdded])
        #expect(alice.first?.address == "198.51.100.3")
        #expect(try store.auditEvents(account: "alice@example.com", since: date.addingTimeInterval(7200), limit: 10).count == 2)
        #expect(try store.auditEvents(account: nil, since: nil, limit: 2).count == 2)
    }
}
