import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

/// The warm path: a repeated login skips Argon2id, and every change that could change the answer
/// sends the next login back to the cold path, with the answer the cold path gives.
@Suite struct WarmCacheTests {
    /// alice, third-party clients allowed, app password "Phone", and one allowed login already
    /// made (so the cache holds it); hash counters reset.
    static func warmed(lifetime: TimeInterval = 300, limits: CredentialLimits = .none) async throws -> (DecisionFixture, String) {
        let fixture = try DecisionFixture(warmCache: WarmCache(lifetime: lifetime))
        try fixture.allow()
        let phone = try fixture.issue("Phone", limits: limits).displayPassword
        #expect(try await fixture.decide(secret: phone).isAllowed)
        fixture.appHasher.reset()
        fixture.mailboxHasher.reset()
        return (fixture, phone)
    }

    @Test func aRepeatedLoginCostsNoArgon2id() async throws {
        let (fixture, phone) = try await Self.warmed()
        for _ in 0..<5 {
            let outcome = try await fixture.engine.decideLogin(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(phone), service: .imap,
                    address: IPAddress("198.51.100.7")!))
            #expect(outcome.warm)
            #expect(outcome.decision == .allow(account: "alice@example.com", credential: .appPassword(id: 1, label: "Phone")))
        }
        #expect(fixture.appHasher.count == 0 && fixture.mailboxHasher.count == 0)
        #expect(fixture.engine.warmCache?.statistics.hits == 5)
    }

    @Test func anotherProtocolAddressOrSpellingIsDecidedCold() async throws {
        let (fixture, phone) = try await Self.warmed()
        #expect(try await fixture.decide(secret: phone, .pop3).isAllowed)
        #expect(try await fixture.decide(secret: phone, from: "198.51.100.8").isAllowed)
        #expect(try await fixture.decide(secret: phone.uppercased()).isAllowed)
        #expect(fixture.appHasher.count == 3)
        #expect(fixture.engine.warmCache?.statistics.hits == 0)
    }

    /// An allow through the webmail (first-party) is never re-used for the same client address
    /// connecting on its own, where the third-party rules apply.
    @Test func aFirstPartyAllowIsNotReusedForAThirdPartyLogin() async throws {
        let fixture = try DecisionFixture(warmCache: WarmCache(lifetime: 300))
        try fixture.store.setEnforcement(.all, by: fixture.admin, at: fixture.clock.now)
        try fixture.store.addFirstPartyHost(IPNetwork(parsing: "10.99.0.5"), note: "Roundcube", by: fixture.admin, at: fixture.clock.now)
        func login(via: String?) async throws -> DecisionEngine.Outcome {
            try await fixture.engine.decideLogin(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(alicePassword), service: .imap,
                    address: IPAddress("198.51.100.7")!, connectingAddress: via.flatMap(IPAddress.init)))
        }
        #expect(try await login(via: "10.99.0.5").decision.isAllowed)
        #expect(try await login(via: "10.99.0.5").warm)
        let direct = try await login(via: nil)
        #expect(!direct.warm && direct.decision.reason == .thirdPartyBlocked)
        let fromElsewhere = try await login(via: "198.51.100.7")
        #expect(!fromElsewhere.warm && fromElsewhere.decision.reason == .thirdPartyBlocked)
    }

    @Test func aWrongSecretIsNeverWarm() async throws {
        let (fixture, _) = try await Self.warmed()
        for _ in 0..<3 {
            #expect(try await fixture.decide(secret: "abcdabcdabcdabcd").reason == .badCredential)
        }
        #expect(fixture.appHasher.count == 3)
    }

    /// A change made after the cache holds the allow, the answer expected right after it, and
    /// whether the next login must be decided cold.
    struct Invalidation: Sendable, CustomTestStringConvertible {
        let name: String
        let expected: DenialReason?
        let cold: Bool
        let change: @Sendable (DecisionFixture) throws -> Void
        var testDescription: String { name }
    }

    static let invalidations: [Invalidation] = [
        Invalidation(name: "revoke", expected: .badCredential, cold: true) {
            _ = try $0.manager.revokeAppPassword(1, of: $0.account("alice@example.com"), by: $0.admin)
        },
        Invalidation(name: "revoke all", expected: .badCredential, cold: true) {
            _ = try $0.manager.revokeAllAppPasswords(of: $0.account("alice@example.com"), by: $0.admin)
        },
        Invalidation(name: "reset", expected: .badCredential, cold: true) {
            _ = try $0.manager.reset($0.account("alice@example.com"), label: Label(validating: "New"), mailboxPassword: nil, by: $0.admin)
        },
        Invalidation(name: "disable", expected: .accountDisabled, cold: true) {
            _ = try $0.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: $0.admin, at: $0.clock.now)
        },
        Invalidation(name: "remove the account", expected: .unknownAccount, cold: true) {
            _ = try $0.manager.removeAccount(named: "alice@example.com", by: $0.admin)
        },
        Invalidation(name: "IMAP off", expected: .serviceDisabled, cold: true) {
            _ = try $0.store.setServices([.imap: false], for: .all, by: $0.admin, at: $0.clock.now)
        },
        Invalidation(name: "block third-party clients", expected: .thirdPartyBlocked, cold: true) {
            _ = try $0.store.setThirdPartyClients(.blocked, by: $0.admin, at: $0.clock.now)
        },
        Invalidation(name: "expiry passes", expected: .credentialExpired, cold: true) {
            $0.clock.advance(by: 601)
        },
        Invalidation(name: "a secure network added (any policy change)", expected: nil, cold: true) {
            try $0.network("203.0.113.0/24")
        },
        Invalidation(name: "a label changes", expected: nil, cold: false) {
            _ = try $0.manager.relabelAppPassword(1, of: $0.account("alice@example.com"), to: Label(validating: "Old phone"), by: $0.admin)
        },
        Invalidation(name: "last use and audit entries change", expected: nil, cold: false) {
            $0.clock.advance(by: 120)
        },
    ]

    @Test(arguments: invalidations)
    func everyChangeThatCouldChangeTheAnswerSendsTheNextLoginCold(_ invalidation: Invalidation) async throws {
        // The app password expires in 10 minutes; the cache keeps allows for 30 minutes.
        let expiry = Date(timeIntervalSince1970: 1_800_000_000 + 600)
        let (fixture, phone) = try await Self.warmed(lifetime: 1800, limits: CredentialLimits(expiresAt: expiry))
        try invalidation.change(fixture)
        let outcome = try await fixture.engine.decideLogin(
            LoginRequest(
                user: "alice@example.com", secret: Secret(phone), service: .imap,
                address: IPAddress("198.51.100.7")!))
        #expect(outcome.decision.reason == invalidation.expected, "\(outcome.decision.summary)")
        #expect(outcome.warm == !invalidation.cold)
        // Cold answers cost what the cold path costs (nothing for a blocked network); warm ones nothing.
        let evaluations = fixture.appHasher.count + fixture.mailboxHasher.count
        if !invalidation.cold || invalidation.expected == nil {
            #expect((evaluations > 0) == invalidation.cold, "\(evaluations) Argon2id evaluations")
        }
    }

    @Test func anAllowIsReusedForItsLifetimeOnly() async throws {
        let (fixture, phone) = try await Self.warmed(lifetime: 60)
        fixture.clock.advance(by: 59)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(fixture.appHasher.count == 0)
        fixture.clock.advance(by: 2)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(fixture.appHasher.count == 1)
    }

    @Test func theMailboxPasswordStopsWhenEnforcementStartsOrItChanges() async throws {
        let fixture = try DecisionFixture(warmCache: WarmCache())
        try fixture.allow()
        #expect(try await fixture.decide(secret: alicePassword).isAllowed)
        #expect(
            try await fixture.engine.decideLogin(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(alicePassword), service: .imap,
                    address: IPAddress("198.51.100.7")!)
            ).warm)
        try fixture.store.setEnforcement(.all, by: fixture.admin, at: fixture.clock.now)
        #expect(try await fixture.decide(secret: alicePassword).reason == .securePasswordRequired)
        try fixture.store.setEnforcement(.off, by: fixture.admin, at: fixture.clock.now)
        #expect(try await fixture.decide(secret: alicePassword).isAllowed)
        _ = try fixture.manager.setMailboxPassword(of: fixture.account("alice@example.com"), to: Secret("a brand new mailbox password"), by: fixture.admin)
        #expect(try await fixture.decide(secret: alicePassword).reason == .badCredential)
    }

    @Test func throttlingAppliesToWarmLogins() async throws {
        let (fixture, phone) = try await Self.warmed()
        // Ten wrong guesses for alice from the same address reach the per-account threshold.
        for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong password") }
        #expect(try await fixture.decide(secret: phone).reason == .throttled)
        // From another address the warm entry does not apply (the address is in its key), and
        // after the window the right secret works again.
        fixture.clock.advance(by: 901)
        #expect(try await fixture.decide(secret: phone).isAllowed)
    }

    @Test func aWarmLoginStillClearsFailuresAndWritesLastUseOnceAMinute() async throws {
        let (fixture, phone) = try await Self.warmed()
        _ = try await fixture.decide(secret: "wrong password")
        #expect(
            try fixture.store.warmState(
                accountKey: "alice@example.com", address: IPAddress("198.51.100.7")!,
                since: .distantPast
            ).accountFailures == 1)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(
            try fixture.store.warmState(
                accountKey: "alice@example.com", address: IPAddress("198.51.100.7")!,
                since: .distantPast
            ).accountFailures == 0)
        let first = try fixture.store.appPasswords(ofAccount: fixture.account("alice@example.com").id)[0].lastUsedAt
        fixture.clock.advance(by: 30)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(try fixture.store.appPasswords(ofAccount: fixture.account("alice@example.com").id)[0].lastUsedAt == first)
        fixture.clock.advance(by: 31)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(try fixture.store.appPasswords(ofAccount: fixture.account("alice@example.com").id)[0].lastUsedAt == fixture.clock.now)
        #expect(fixture.appHasher.count == 0 && fixture.mailboxHasher.count == 1, "only the wrong password was hashed")
    }

    /// A revocation committed through another connection to the file (as another process would)
    /// reaches the warm path at the very next login.
    @Test func aChangeThroughAnotherConnectionInvalidates() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let store = try SQLiteStore.create(at: path, by: .admin(osUser: "t"))
        let fixture = try DecisionFixture(store: store, warmCache: WarmCache())
        try fixture.allow()
        let phone = try fixture.issue("Phone").displayPassword
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(
            try await fixture.engine.decideLogin(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(phone), service: .imap,
                    address: IPAddress("198.51.100.7")!)
            ).warm)
        let other = try DatabaseQueue(path: path)
        try await other.write { db in try db.execute(sql: "DELETE FROM app_password") }
        #expect(try await fixture.decide(secret: phone).reason == .badCredential)
    }

    @Test func everyKindOfChangeBumpsTheGeneration() throws {
        let fixture = try DecisionFixture()
        func generation() throws -> Int64 {
            try fixture.store.warmState(accountKey: "x", address: IPAddress("192.0.2.1")!, since: .distantPast).generation
        }
        let statements = [
            "UPDATE domain_policy SET max_app_passwords = 7",
            "UPDATE account SET imap = 0 WHERE name_key = 'alice@example.com'",
            "UPDATE account SET status = 'disabled'",
            "UPDATE account SET department_id = NULL",
            "UPDATE account SET mailbox_password_hash = '$argon2id$x'",
            "INSERT INTO secure_network (network, created_at) VALUES ('10.0.0.0/8', '2026-01-01')",
            "UPDATE secure_network SET network = '10.0.0.0/16'",
            "DELETE FROM secure_network",
            "INSERT INTO enforcement_account (account_id) SELECT id FROM account LIMIT 1",
            "DELETE FROM enforcement_account",
            "INSERT INTO enforcement_exception (account_id) SELECT id FROM account LIMIT 1",
            "DELETE FROM enforcement_exception",
            "INSERT INTO enforcement_department (department_id) SELECT id FROM department LIMIT 1",
            "DELETE FROM enforcement_department",
            "UPDATE store_meta SET selector_key = randomblob(32)",
            "DELETE FROM account WHERE name_key = 'bob@example.com'",
        ]
        _ = try fixture.issue("Phone")
        for statement in statements {
            let before = try generation()
            try fixture.sqlite.writer.write { db in try db.execute(sql: statement) }
            #expect(try generation() > before, "\(statement)")
        }
        let appPasswordStatements = [
            "UPDATE app_password SET protocols = 'imap'",
            "UPDATE app_password SET networks = '10.0.0.0/8'",
            "UPDATE app_password SET expires_at = '2030-01-01'",
            "UPDATE app_password SET hash = '$argon2id$y'",
            "DELETE FROM app_password",
        ]
        for statement in appPasswordStatements {
            let before = try generation()
            try fixture.sqlite.writer.write { db in try db.execute(sql: statement) }
            #expect(try generation() > before, "\(statement)")
        }
        // What changes no answer leaves the generation alone.
        _ = try fixture.issue("Tablet")
        let before = try generation()
        try fixture.sqlite.writer.write { db in
            try db.execute(sql: "UPDATE app_password SET label = 'Renamed', last_used_at = '2030-01-01', last_used_address = '192.0.2.1'")
            try db.execute(sql: "UPDATE account SET mailbox_last_used_at = '2030-01-01'")
            try db.execute(sql: "INSERT INTO login_failure (account_key, address, at) VALUES ('x', '192.0.2.1', '2030-01-01')")
            try db.execute(sql: "INSERT INTO audit_event (at, actor, action) VALUES ('2030-01-01', 'system', 'test')")
        }
        #expect(try generation() == before)
    }

    @Test func theCacheKeepsNoSecretAndStaysWithinItsCapacity() async throws {
        let cache = WarmCache(lifetime: 60, capacity: 3)
        let fixture = try DecisionFixture(warmCache: cache)
        try fixture.allow()
        let phone = try fixture.issue("Phone").displayPassword
        for index in 1...5 {
            #expect(try await fixture.decide(secret: phone, from: "198.51.100.\(index)").isAllowed)
            #expect(cache.statistics.entries <= 3)
        }
        let a = cache.key(accountKey: "alice@example.com", service: .imap, address: IPAddress("198.51.100.7")!, secret: Secret(phone))
        let b = cache.key(accountKey: "alice@example.com", service: .imap, address: IPAddress("198.51.100.7")!, secret: Secret(phone))
        let other = WarmCache().key(accountKey: "alice@example.com", service: .imap, address: IPAddress("198.51.100.7")!, secret: Secret(phone))
        #expect(a == b)
        #expect(a != other, "each process has its own hash key")
        // Parts are length-prefixed: moving a byte between account and secret changes the key.
        let c = cache.key(accountKey: "alice@example.co", service: .imap, address: IPAddress("198.51.100.7")!, secret: Secret("m" + phone))
        #expect(a != c)
    }
}

/// What a decision writes, and when it writes nothing at all.
@Suite struct DecisionWriteTests {
    /// A cold decision always commits its reservation (it must be seen by attempts running at
    /// the same time) and settles it; beyond that, a repeat within the minute writes nothing.
    @Test func aLoginRepeatedWithinTheMinuteLeavesNoTrace() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let fixture = try DecisionFixture(store: try SQLiteStore.create(at: path, by: .admin(osUser: "t")))
        try fixture.allow()
        let phone = try fixture.issue("Phone").displayPassword
        // SQLite's data_version, read through another connection, moves when anyone commits.
        let observer = try DatabaseQueue(path: path)
        func version() throws -> Int { try observer.read { try Int.fetchOne($0, sql: "PRAGMA data_version")! } }

        #expect(try await fixture.decide(secret: phone).isAllowed)
        let afterFirst = try version()
        let firstUse = try fixture.manager.appPasswords(of: fixture.account("alice@example.com")).first?.lastUsedAt
        let auditCount = try fixture.store.auditEvents(account: nil, since: nil, limit: 1000).count
        fixture.clock.advance(by: 30)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(
            try fixture.manager.appPasswords(of: fixture.account("alice@example.com")).first?.lastUsedAt == firstUse,
            "a repeat within the minute wrote last use")
        #expect(try fixture.store.auditEvents(account: nil, since: nil, limit: 1000).count == auditCount)
        #expect(
            try await fixture.sqlite.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM login_failure") } == 0,
            "the reservation was not given back")
        fixture.clock.advance(by: 31)
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(try version() != afterFirst, "last use is due after a minute")
        let afterDue = try version()
        #expect(try await fixture.decide(secret: phone, from: "198.51.100.99").isAllowed)
        #expect(try version() != afterDue, "a new address is written at once")
        let afterNew = try version()
        _ = try await fixture.decide(secret: "wrong password")
        #expect(try version() != afterNew, "a failure is counted")
        let afterFailure = try version()
        #expect(try await fixture.decide(secret: phone).isAllowed)
        #expect(try version() != afterFailure, "the failure is cleared")
        #expect(
            try fixture.store.warmState(
                accountKey: "alice@example.com", address: IPAddress("198.51.100.7")!,
                since: .distantPast
            ).accountFailures == 0)
    }
}
