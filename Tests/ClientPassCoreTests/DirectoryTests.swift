import ClientPassTestSupport
import Foundation
import Synchronization
import Testing
@testable import ClientPassCore

@Suite struct LDAPEscapingTests {
    /// RFC 4515: the characters that make a filter, NUL and control bytes are escaped; UTF-8
    /// stays as it is.
    @Test(arguments: [
        ("alice@example.com", "alice@example.com"),
        ("*", "\\2a"),
        ("*)(uid=*", "\\2a\\29\\28uid=\\2a"),
        ("back\\slash", "back\\5cslash"),
        ("nul\u{0}byte", "nul\\00byte"),
        ("josé.núñez", "josé.núñez"),
    ])
    func filterValues(name: String, escaped: String) {
        #expect(LDAPEscaping.filterValue(name) == escaped)
    }

    /// RFC 4514: DN specials, a leading # or space, a trailing space.
    @Test func dnValues() {
        #expect(LDAPEscaping.dnValue("Sales, Europe") == "Sales\\, Europe")
        #expect(LDAPEscaping.dnValue("#1 team ") == "\\#1 team\\ ")
        #expect(LDAPEscaping.dnValue("a+b\"c<d>e;f\\g") == "a\\+b\\\"c\\<d\\>e\\;f\\\\g")
        #expect(LDAPEscaping.dnValue("nul\u{0}") == "nul\\00")
    }

    @Test func theNearestOUIsTheDepartment() {
        #expect(LDAPEscaping.nearestOU(in: "uid=alice,ou=Sales,ou=people,dc=example,dc=com") == "Sales")
        #expect(LDAPEscaping.nearestOU(in: "CN=Alice Smith,OU=Research\\, Europe,DC=corp,DC=example") == "Research, Europe")
        #expect(LDAPEscaping.nearestOU(in: "uid=ou\\=fake,ou=Caf\\C3\\A9,dc=example") == "Café")
        #expect(LDAPEscaping.nearestOU(in: "uid=alice,dc=example,dc=com") == nil)
    }
}

@Suite struct DirectorySettingsTests {
    func settings(
        url: String = "ldaps://dc1.example.com", startTLS: Bool = false, filter: String = DirectorySettings.defaultFilter,
        account: String = "mail"
    ) -> DirectorySettings {
        DirectorySettings(
            url: url, startTLS: startTLS, bindDN: "cn=reader,dc=example,dc=com", bindPasswordFile: "/etc/clientpass/ldap-password",
            baseDN: "dc=example,dc=com", filter: filter, accountAttribute: account)
    }

    @Test func validSettings() throws {
        try settings().validate()
        try settings(url: "ldap://dc1.example.com", startTLS: true).validate()
        try settings(url: "ldap://127.0.0.1:3389").validate()
        try settings(url: "ldap://[::1]:3389").validate()
        try settings(url: "ldaps://dc1.example.com,ldaps://dc2.example.com").validate()
        try settings(url: "ldap://dc1.example.com ldap://dc2.example.com:389", startTLS: true).validate()
        try settings(url: "ldap://127.0.0.1:3389, ldap://[::1]:3389").validate()
    }

    @Test(arguments: [
        ("http://dc1.example.com", false, "(objectClass=user)", "mail", "--url"),
        ("ldap://dc1.example.com", false, "(objectClass=user)", "mail", "clear text"),
        ("ldaps://dc1.example.com", true, "(objectClass=user)", "mail", "--starttls is for ldap://"),
        ("ldaps://dc1.example.com", false, "objectClass=user", "mail", "--filter"),
        ("ldaps://dc1.example.com", false, "(a=b))(c=d", "mail", "--filter"),
        ("ldaps://dc1.example.com", false, "(objectClass=user)", "mail)(x", "--account-attribute"),
        // libldap fails over along a list: every URL of it must keep passwords off the wire.
        (
            "ldaps://dc1.example.com,ldap://dc2.example.com", false, "(objectClass=user)", "mail",
            "\"ldap://dc2.example.com\" in --url is ldap:// without --starttls"
        ),
        ("ldaps://dc1.example.com ldap://dc2.example.com", false, "(objectClass=user)", "mail", "clear text"),
        ("ldap://127.0.0.1:3389,ldap://dc2.example.com", false, "(objectClass=user)", "mail", "clear text"),
        ("ldap://dc1.example.com,ldaps://dc2.example.com", true, "(objectClass=user)", "mail", "--starttls is for ldap://"),
        ("ldaps://dc1.example.com,http://dc2.example.com", false, "(objectClass=user)", "mail", "\"http://dc2.example.com\" in --url must be"),
        ("ldaps://dc1.example.com,,ldaps://", false, "(objectClass=user)", "mail", "--url must be"),
        (" , ", false, "(objectClass=user)", "mail", "--url must be"),
    ])
    func badSettingsSayWhich(url: String, startTLS: Bool, filter: String, account: String, expected: String) {
        #expect { try settings(url: url, startTLS: startTLS, filter: filter, account: account).validate() } throws: { "\($0)".contains(expected) }
    }
}

@Suite struct DirectorySyncPlanTests {
    let settings = DirectorySettings(url: "ldaps://dc1", bindDN: "cn=r", bindPasswordFile: "/p", baseDN: "dc=x", departmentFromOU: true)

    func account(_ name: String, department: String? = nil, status: Account.Status = .active, dn: String? = nil, byDirectory: Bool = false) -> Account {
        Account(
            id: 1, name: name, departmentID: nil, department: department, status: status, services: Services(),
            mailboxPasswordHash: dn == nil ? "$argon2id$local" : DirectorySettings.passwordMarker, createdAt: Date(),
            directoryDN: dn, isDisabledByDirectory: byDirectory)
    }

    func user(_ name: String, _ department: String?, disabled: Bool = false) -> DirectoryUser {
        DirectoryUser(dn: "uid=\(name),dc=x", name: name, department: department, isDisabled: disabled)
    }

    @Test func addsLinksMovesDisablesAndEnables() {
        let plan = DirectorySyncPlan(
            users: [
                user("new@x", "Sales"), user("local@x", "Sales"), user("moved@x", "Support"), user("locked@x", nil, disabled: true),
                user("back@x", nil), user("new@x", "Other"), user("bad name", nil), user("offline@x", nil, disabled: true),
            ],
            accounts: [
                account("local@x"), account("moved@x", department: "Sales", dn: "uid=moved@x,dc=x"),
                account("locked@x", dn: "uid=locked@x,dc=x"), account("back@x", status: .disabled, dn: "uid=back@x,dc=x", byDirectory: true),
                account("gone@x", dn: "uid=gone@x,dc=x"), account("admin-disabled@x", status: .disabled, dn: "uid=admin-disabled@x,dc=x"),
            ],
            settings: settings)
        #expect(plan.additions.map(\.name.value) == ["new@x"])
        #expect(["Sales", "Other"].contains(plan.additions.first?.department?.value ?? ""))
        #expect(plan.links.filter(\.takesOver).map(\.account) == ["local@x"])
        #expect(plan.moves.map(\.account).sorted() == ["local@x", "moved@x"])
        #expect(plan.disablings.map(\.account).sorted() == ["gone@x", "locked@x"])
        #expect(plan.enablings == ["back@x"])
        #expect(plan.skipped.count == 2, "a name given twice, and a name that is not one")
        // offline@x is disabled in the directory and has no account: not added.
        #expect(!plan.additions.contains { $0.name.value == "offline@x" })
        #expect(plan.managed == 6)
        #expect(plan.exceedsDisableLimit(settings))
    }

    /// A directory that suddenly returns nobody disables everyone it manages: always over the limit.
    @Test func anEmptyAnswerIsOverTheLimit() {
        let plan = DirectorySyncPlan(users: [], accounts: [account("a@x", dn: "uid=a@x,dc=x"), account("b@x", dn: "uid=b@x,dc=x")], settings: settings)
        #expect(plan.disablings.count == 2)
        #expect(plan.exceedsDisableLimit(settings))
        #expect(!DirectorySyncPlan(users: [], accounts: [account("local@x")], settings: settings).exceedsDisableLimit(settings))
    }
}

@Suite struct DirectorySyncStoreTests {
    let settings = DirectorySettings(url: "ldaps://dc1", bindDN: "cn=r", bindPasswordFile: "/p", baseDN: "dc=x", departmentFromOU: true)

    /// One transaction: accounts added with their departments, a local account linked, and the
    /// guard refusing a sync that disables too many, changing nothing.
    @Test func aSyncAppliesInOneTransactionAndTheGuardChangesNothing() throws {
        let fixture = try TestStore()
        let users = [
            DirectoryUser(dn: "uid=alice,ou=Sales,dc=x", name: "alice@example.com", department: "Sales", isDisabled: false),
            DirectoryUser(dn: "uid=bob,ou=Support,dc=x", name: "bob@example.com", department: "Support", isDisabled: false),
        ]
        let plan = try fixture.store.syncDirectory(users: users, settings: settings, allowingMassDisable: false, by: fixture.admin, at: fixture.clock.now)
        #expect(plan.additions.map(\.name.value) == ["bob@example.com"])
        let alice = try fixture.account("alice@example.com")
        #expect(alice.usesDirectoryPassword && alice.directoryDN == "uid=alice,ou=Sales,dc=x" && alice.department == "Sales")
        #expect(try fixture.account("bob@example.com").department == "Support")
        #expect(try fixture.store.syncDirectory(users: users, settings: settings, allowingMassDisable: false, by: fixture.admin, at: fixture.clock.now).isEmpty)
        // Nobody in the directory: 2 of 2 would be disabled.
        #expect(throws: DirectorySyncRefused.self) {
            try fixture.store.syncDirectory(users: [], settings: settings, allowingMassDisable: false, by: fixture.admin, at: fixture.clock.now)
        }
        #expect(try fixture.account("bob@example.com").status == .active)
        let forced = try fixture.store.syncDirectory(
            users: Array(users.prefix(1)), settings: settings, allowingMassDisable: true, by: fixture.admin, at: fixture.clock.now)
        #expect(forced.disablings.map(\.account) == ["bob@example.com"])
        #expect(try fixture.account("bob@example.com").isDisabledByDirectory)
        // Back in the directory: enabled again.
        _ = try fixture.store.syncDirectory(users: users, settings: settings, allowingMassDisable: false, by: fixture.admin, at: fixture.clock.now)
        #expect(try fixture.account("bob@example.com").status == .active)
    }
}

/// A hanging directory holds at most the lane's threads; every check past them is told to try
/// later at once (0.12.1's pool grew a thread a second, and 14 logins waited 10 to 20 s each).
@Suite struct DirectoryLaneTests {
    @Test func pastTheBoundTheAnswerIsTryLaterAtOnce() async throws {
        let lane = DirectoryLane(threads: 3)
        let hanging = DispatchSemaphore(value: 0)
        final class Started: Sendable { let count = Mutex(0) }
        let started = Started()
        let held = (0..<3).map { _ in
            Task {
                try await lane.run {
                    started.count.withLock { $0 += 1 }; hanging.wait(); return 1
                }
            }
        }
        while started.count.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        let clock = ContinuousClock()
        let began = clock.now
        await #expect(throws: DecisionError.busy(retryAfter: 1)) { try await lane.run { 2 } }
        #expect(clock.now - began < .milliseconds(500), "refused at once, not queued")
        for _ in 0..<3 { hanging.signal() }
        for task in held { #expect(try await task.value == 1) }
        #expect(try await lane.run { 3 } == 3, "free again once the directory answers")
    }
}
