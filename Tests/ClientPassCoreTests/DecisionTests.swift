import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore
@testable import ClientPassPostgreSQL

/// Counts Argon2id verifications, to prove what a login costs.
final class CountingHasher: PasswordHasher, @unchecked Sendable {
    private let base: Argon2idHasher
    private let lock = NSLock()
    private var verifications = 0
    private var delay: TimeInterval = 0
    private var failure: (any Error)?

    init(_ parameters: Argon2idParameters) { base = Argon2idHasher(parameters: parameters) }

    /// Makes every verification take at least `seconds`, so attempts sent together overlap.
    func slowDown(to seconds: TimeInterval) { lock.withLock { delay = seconds } }
    /// Makes every verification throw `error` (out of memory, say), or work again with `nil`.
    func fail(with error: (any Error)?) { lock.withLock { failure = error } }

    var count: Int { lock.withLock { verifications } }
    func reset() { lock.withLock { verifications = 0 } }

    func hash(_ secret: Secret) throws -> String { try base.hash(secret) }
    func verify(_ secret: Secret, against storedHash: String) throws -> Bool {
        let (delay, failure) = lock.withLock {
            verifications += 1; return (self.delay, self.failure)
        }
        if let failure { throw failure }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        return try base.verify(secret, against: storedHash)
    }
    func needsRehash(_ storedHash: String) -> Bool { base.needsRehash(storedHash) }
}

/// A store with departments Sales (alice) and Support (bob), and a decision engine over it.
final class DecisionFixture: @unchecked Sendable {
    let store: any SQLStore
    /// The store, when it is the SQLite one every fixture has unless given another.
    var sqlite: SQLiteStore { store as! SQLiteStore }
    let clock = TestClock()
    let manager: CredentialManager
    let engine: DecisionEngine
    let appHasher = CountingHasher(cheapHashing.appPassword)
    let mailboxHasher = CountingHasher(cheapHashing.mailboxPassword)
    private(set) var appPasswords: [String: GeneratedAppPassword] = [:]
    let admin = AuditActor.admin(osUser: "test")

    static let pool = HashingPool(size: 2)

    /// - Parameter backend: another store than a new SQLite one in memory (PostgreSQL).
    init(
        store: SQLiteStore? = nil, backend: (any SQLStore)? = nil, warmCache: WarmCache? = nil, admission: HashingAdmission? = nil,
        pool: HashingPool = DecisionFixture.pool
    ) throws {
        let clock = self.clock
        if let backend {
            self.store = backend
            manager = CredentialManager(store: backend, now: { clock.now })
            for department in ["Sales", "Support"] { _ = try manager.addDepartment(named: department, by: admin) }
            for (name, department) in [("alice@example.com", "Sales"), ("bob@example.com", "Support")] {
                _ = try manager.addAccount(named: name, department: department, mailboxPassword: Secret(TestStore.mailboxPassword(of: name)), by: admin)
            }
        } else {
            let fixture = try TestStore(
                store: store, clock: clock, departments: ["Sales", "Support"],
                accounts: [.init("alice@example.com", department: "Sales"), .init("bob@example.com", department: "Support")])
            self.store = fixture.store
            manager = fixture.manager
        }
        engine = DecisionEngine(
            store: self.store, appPasswordHasher: appHasher, mailboxHasher: mailboxHasher,
            pool: pool, now: { clock.now }, warmCache: warmCache, admission: admission)
    }

    func account(_ name: String) throws -> Account { try manager.account(named: name) }

    @discardableResult
    func issue(_ label: String, to name: String = "alice@example.com", limits: CredentialLimits = .none) throws -> GeneratedAppPassword {
        let generated = try manager.generateAppPassword(for: account(name), label: Label(validating: label), limits: limits, by: admin)
        appPasswords[label] = generated
        return generated
    }

    func allow() throws { _ = try store.setThirdPartyClients(.allowed, by: admin, at: clock.now) }
    func network(_ text: String) throws { try store.addSecureNetwork(IPNetwork(parsing: text), note: "", by: admin, at: clock.now) }

    func decide(_ user: String = "alice@example.com", secret: String, _ service: MailService = .imap, from address: String = "198.51.100.7") async throws
        -> Decision
    {
        try await engine.decide(LoginRequest(user: user, secret: Secret(secret), service: service, address: IPAddress(address)!))
    }
}

/// What a scenario types as the secret.
enum Typed: Sendable {
    case mailbox
    case bobMailbox
    case app(String)
    case appSpacedUpper(String)
    case text(String)

    func secret(in fixture: DecisionFixture) -> String {
        switch self {
        case .mailbox: alicePassword
        case .bobMailbox: bobPassword
        case .app(let label): fixture.appPasswords[label]!.displayPassword.replacingOccurrences(of: " ", with: "")
        case .appSpacedUpper(let label): " " + fixture.appPasswords[label]!.displayPassword.uppercased() + " "
        case .text(let text): text
        }
    }
}

extension Typed {
    /// The credential this secret is for `user`, as `explain` is told it.
    func credential(of user: String, in fixture: DecisionFixture) throws -> Explanation.Credential {
        let account = try? fixture.account(user)
        switch self {
        case .mailbox: return account?.name == "alice@example.com" ? .mailboxPassword : .unmatched
        case .bobMailbox: return account?.name == "bob@example.com" ? .mailboxPassword : .unmatched
        case .app(let label), .appSpacedUpper(let label):
            let password = fixture.appPasswords[label]!.appPassword
            let current = try account.map { try fixture.manager.appPasswords(of: $0) } ?? []
            return current.contains { $0.id == password.id && $0.accountID == password.accountID } ? .appPassword(id: password.id) : .unmatched
        case .text: return .unmatched
        }
    }
}

enum Expected: Sendable, Equatable {
    case allowMailbox
    case allowApp(String)
    case deny(DenialReason)
}

struct Scenario: Sendable, CustomTestStringConvertible {
    let name: String
    var user = "alice@example.com"
    let typed: Typed
    var service: MailService = .imap
    var address = "198.51.100.7"
    /// Through the webmail host (``webmailHost``, a first-party host), forwarding `address`.
    var throughWebmail = false
    let expected: Expected
    var setup: @Sendable (DecisionFixture) async throws -> Void = { _ in }

    var testDescription: String { name }

    /// What the same login gets through the webmail: a first-party login passes the service
    /// switches, the network rules and enforcement; throttling, the account, its status and
    /// the password still decide, and an app password is refused.
    var expectedThroughWebmail: Expected {
        switch expected {
        case .deny(.throttled), .deny(.unknownAccount), .deny(.accountDisabled), .deny(.badCredential), .deny(.appPasswordFirstParty):
            return expected
        default:
            switch typed {
            case .app, .appSpacedUpper: return .deny(.appPasswordFirstParty)
            case .mailbox, .bobMailbox: return .allowMailbox
            case .text: return expected
            }
        }
    }
}

/// The webmail host of the scenarios, registered as a first-party host in `10.99.0.0/24`.
let webmailHost = "10.99.0.5"

let scenarios: [Scenario] = [
    Scenario(
        name: "the mailbox password through webmail while blocked and enforced", typed: .mailbox, throughWebmail: true, expected: .allowMailbox,
        setup: { try $0.store.setEnforcement(.all, by: $0.admin, at: $0.clock.now) }),
    Scenario(
        name: "an app password through webmail", typed: .app("Phone"), throughWebmail: true, expected: .deny(.appPasswordFirstParty),
        setup: {
            try $0.allow(); try $0.issue("Phone")
        }),
    Scenario(
        name: "IMAP off still lets webmail in", typed: .mailbox, throughWebmail: true, expected: .allowMailbox,
        setup: {
            _ = try $0.store.setServices([.imap: false], for: .all, by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "a first-party host as the client, with no connecting address (nginx), is a third-party client", typed: .mailbox, address: webmailHost,
        expected: .deny(.thirdPartyBlocked)),
    Scenario(name: "blocked by default", typed: .mailbox, expected: .deny(.thirdPartyBlocked)),
    Scenario(name: "allowed after allow", typed: .mailbox, expected: .allowMailbox, setup: { try $0.allow() }),
    Scenario(
        name: "blocked, from a secure network", typed: .mailbox, address: "10.0.3.7", expected: .allowMailbox,
        setup: { try $0.network("10.0.3.0/24") }),
    Scenario(
        name: "blocked, from elsewhere", typed: .mailbox, address: "10.0.4.7", expected: .deny(.thirdPartyBlocked),
        setup: { try $0.network("10.0.3.0/24") }),
    Scenario(
        name: "blocked, a valid app password from elsewhere", typed: .app("Phone"), expected: .deny(.thirdPartyBlocked),
        setup: { try $0.issue("Phone") }),
    Scenario(
        name: "enforcement for all refuses the mailbox password", typed: .mailbox, expected: .deny(.securePasswordRequired),
        setup: {
            try $0.allow(); try $0.store.setEnforcement(.all, by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "enforcement for all, an app password works", typed: .app("Phone"), expected: .allowApp("Phone"),
        setup: {
            try $0.allow(); try $0.store.setEnforcement(.all, by: $0.admin, at: $0.clock.now); try $0.issue("Phone")
        }),
    Scenario(
        name: "enforcement for a selected department covers its members", typed: .mailbox, expected: .deny(.securePasswordRequired),
        setup: {
            try $0.allow();
            try $0.store.setEnforcement(.selected(departments: [DepartmentName(validating: "sales")], accounts: []), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "enforcement for a selected department spares others", user: "bob@example.com", typed: .bobMailbox, expected: .allowMailbox,
        setup: {
            try $0.allow();
            try $0.store.setEnforcement(.selected(departments: [DepartmentName(validating: "Sales")], accounts: []), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "enforcement for a selected account", user: "bob@example.com", typed: .bobMailbox, expected: .deny(.securePasswordRequired),
        setup: {
            try $0.allow();
            try $0.store.setEnforcement(.selected(departments: [], accounts: [AccountName(validating: "BOB@example.com")]), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "enforcement for a selected account spares others", typed: .mailbox, expected: .allowMailbox,
        setup: {
            try $0.allow();
            try $0.store.setEnforcement(.selected(departments: [], accounts: [AccountName(validating: "bob@example.com")]), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "an exception keeps its mailbox password", typed: .mailbox, expected: .allowMailbox,
        setup: {
            try $0.allow(); try $0.store.setEnforcement(.all, by: $0.admin, at: $0.clock.now)
            try $0.store.addException(AccountName(validating: "alice@example.com"), note: "scanner", by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "an exception in a selected department keeps its mailbox password", typed: .mailbox, expected: .allowMailbox,
        setup: {
            try $0.allow();
            try $0.store.setEnforcement(.selected(departments: [DepartmentName(validating: "Sales")], accounts: []), by: $0.admin, at: $0.clock.now)
            try $0.store.addException(AccountName(validating: "alice@example.com"), note: "", by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "POP3 off", typed: .mailbox, service: .pop3, expected: .deny(.serviceDisabled),
        setup: {
            try $0.allow();
            _ = try $0.store.setServices([.pop3: false], for: .accounts([AccountName(validating: "alice@example.com")]), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "POP3 off, IMAP stays on", typed: .mailbox, service: .imap, expected: .allowMailbox,
        setup: {
            try $0.allow();
            _ = try $0.store.setServices([.pop3: false], for: .accounts([AccountName(validating: "alice@example.com")]), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "service off outranks a blocked network", typed: .mailbox, service: .smtp, expected: .deny(.serviceDisabled),
        setup: {
            _ = try $0.store.setServices([.smtp: false], for: .all, by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "a disabled account", typed: .mailbox, expected: .deny(.accountDisabled),
        setup: {
            try $0.allow(); _ = try $0.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "a disabled account with its app password", typed: .app("Phone"), expected: .deny(.accountDisabled),
        setup: {
            try $0.allow(); try $0.issue("Phone")
            _ = try $0.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: $0.admin, at: $0.clock.now)
        }),
    Scenario(name: "an unknown account", user: "mallory@example.com", typed: .mailbox, expected: .deny(.unknownAccount), setup: { try $0.allow() }),
    Scenario(name: "an invalid account name", user: "alice smith", typed: .mailbox, expected: .deny(.unknownAccount), setup: { try $0.allow() }),
    Scenario(name: "a wrong password", typed: .text("not the password"), expected: .deny(.badCredential), setup: { try $0.allow() }),
    Scenario(
        name: "a wrong app-shaped password", typed: .text("abcdefghijklmnop"), expected: .deny(.badCredential),
        setup: {
            try $0.allow(); try $0.issue("Phone")
        }),
    Scenario(
        name: "another account's app password", typed: .app("Bob's phone"), expected: .deny(.badCredential),
        setup: {
            try $0.allow(); try $0.issue("Bob's phone", to: "bob@example.com")
        }),
    Scenario(name: "names are case-insensitive", user: "ALICE@Example.com", typed: .mailbox, expected: .allowMailbox, setup: { try $0.allow() }),
    Scenario(
        name: "an app password typed with spaces and capitals", typed: .appSpacedUpper("Phone"), expected: .allowApp("Phone"),
        setup: {
            try $0.allow(); try $0.issue("Phone")
        }),
    Scenario(
        name: "an app password without enforcement", typed: .app("Phone"), expected: .allowApp("Phone"),
        setup: {
            try $0.allow(); try $0.issue("Phone")
        }),
    Scenario(
        name: "a revoked app password at the next attempt", typed: .app("Phone"), expected: .deny(.badCredential),
        setup: {
            try $0.allow(); try $0.issue("Phone")
            _ = try $0.manager.revokeAppPassword(1, of: $0.account("alice@example.com"), by: $0.admin)
        }),
    Scenario(
        name: "an expired app password", typed: .app("Phone"), expected: .deny(.credentialExpired),
        setup: {
            try $0.allow(); try $0.issue("Phone", limits: CredentialLimits(expiresAt: $0.clock.now + 3600))
            $0.clock.advance(by: 3601)
        }),
    Scenario(
        name: "an app password before its expiry", typed: .app("Phone"), expected: .allowApp("Phone"),
        setup: {
            try $0.allow(); try $0.issue("Phone", limits: CredentialLimits(expiresAt: $0.clock.now + 3600))
            $0.clock.advance(by: 3599)
        }),
    Scenario(
        name: "an SMTP-only office password over IMAP", typed: .app("Scanner"), service: .imap, address: "10.0.3.9", expected: .deny(.credentialScope),
        setup: {
            try $0.allow(); try $0.issue("Scanner", limits: CredentialLimits(protocols: [.smtp], networks: [IPNetwork(parsing: "10.0.3.0/24")]))
        }),
    Scenario(
        name: "an SMTP-only office password over SMTP from elsewhere", typed: .app("Scanner"), service: .smtp, address: "10.0.4.9",
        expected: .deny(.credentialScope),
        setup: {
            try $0.allow(); try $0.issue("Scanner", limits: CredentialLimits(protocols: [.smtp], networks: [IPNetwork(parsing: "10.0.3.0/24")]))
        }),
    Scenario(
        name: "an SMTP-only office password over SMTP from the office", typed: .app("Scanner"), service: .smtp, address: "10.0.3.9",
        expected: .allowApp("Scanner"),
        setup: {
            try $0.allow(); try $0.issue("Scanner", limits: CredentialLimits(protocols: [.smtp], networks: [IPNetwork(parsing: "10.0.3.0/24")]))
        }),
    Scenario(
        name: "a limit never widens: an office password from the office while SMTP is off", typed: .app("Scanner"), service: .smtp, address: "10.0.3.9",
        expected: .deny(.serviceDisabled),
        setup: {
            try $0.allow(); try $0.issue("Scanner", limits: CredentialLimits(protocols: [.smtp], networks: [IPNetwork(parsing: "10.0.3.0/24")]))
            _ = try $0.store.setServices([.smtp: false], for: .all, by: $0.admin, at: $0.clock.now)
        }),
    Scenario(
        name: "a limit never widens: an office password while clients are blocked", typed: .app("Scanner"), service: .smtp, address: "10.0.3.9",
        expected: .deny(.thirdPartyBlocked),
        setup: {
            try $0.issue("Scanner", limits: CredentialLimits(protocols: [.smtp], networks: [IPNetwork(parsing: "10.0.3.0/24")]))
        }),
    Scenario(
        name: "IPv6 from a secure network", typed: .mailbox, address: "2001:db8:5::1", expected: .allowMailbox, setup: { try $0.network("2001:db8::/32") }),
    Scenario(
        name: "IPv6 from elsewhere", typed: .mailbox, address: "2001:db9::1", expected: .deny(.thirdPartyBlocked), setup: { try $0.network("2001:db8::/32") }),
    Scenario(
        name: "IPv4-mapped IPv6 from an IPv4 secure network", typed: .mailbox, address: "::ffff:10.0.3.7", expected: .allowMailbox,
        setup: { try $0.network("10.0.3.0/24") }),
    Scenario(
        name: "IPv4-mapped IPv6 from elsewhere", typed: .mailbox, address: "::ffff:10.0.4.7", expected: .deny(.thirdPartyBlocked),
        setup: { try $0.network("10.0.3.0/24") }),
    Scenario(
        name: "an IPv4 address does not match an IPv6 network", typed: .mailbox, address: "10.0.3.7", expected: .deny(.thirdPartyBlocked),
        setup: { try $0.network("::/0") }),
    Scenario(
        name: "an app password limited to an IPv6 network, from inside", typed: .app("Laptop"), address: "2001:db8::77", expected: .allowApp("Laptop"),
        setup: {
            try $0.allow(); try $0.issue("Laptop", limits: CredentialLimits(networks: [IPNetwork(parsing: "2001:db8::/32")]))
        }),
    Scenario(
        name: "throttled after 10 failures, even with the right password", typed: .mailbox, expected: .deny(.throttled),
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong guess") }
        }),
    Scenario(
        name: "9 failures are not yet throttled", typed: .mailbox, expected: .allowMailbox,
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<9 { _ = try await fixture.decide(secret: "wrong guess") }
        }),
    Scenario(
        name: "a success clears the account's counter for the address", typed: .mailbox, expected: .allowMailbox,
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<9 { _ = try await fixture.decide(secret: "wrong guess") }
            _ = try await fixture.decide(secret: alicePassword)
            for _ in 0..<9 { _ = try await fixture.decide(secret: "wrong guess") }
        }),
    Scenario(
        name: "throttling ends with its window", typed: .mailbox, expected: .allowMailbox,
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong guess") }
            fixture.clock.advance(by: 901)
        }),
    Scenario(
        name: "throttling is per address", typed: .mailbox, address: "198.51.100.8", expected: .allowMailbox,
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong guess", from: "198.51.100.7") }
        }),
    Scenario(
        name: "throttling counts an IPv4-mapped address as its IPv4 address", typed: .mailbox, address: "198.51.100.7", expected: .deny(.throttled),
        setup: { fixture in
            try fixture.allow()
            for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong guess", from: "::ffff:198.51.100.7") }
        }),
    Scenario(
        name: "throttling counts an IPv6 /64 as one address", typed: .mailbox, address: "2001:db8:1:2::99", expected: .deny(.throttled),
        setup: { fixture in
            try fixture.allow()
            for index in 0..<10 { _ = try await fixture.decide(secret: "wrong guess", from: "2001:db8:1:2::\(index + 1)") }
        }),
    Scenario(
        name: "password spraying from one address throttles every account", user: "bob@example.com", typed: .bobMailbox, expected: .deny(.throttled),
        setup: { fixture in
            try fixture.allow()
            try fixture.store.setThrottling(ThrottlePolicy(accountFailures: 10, addressFailures: 5, window: 900), by: fixture.admin, at: fixture.clock.now)
            for index in 0..<5 { _ = try await fixture.decide("user\(index)@example.com", secret: "Winter2026!") }
        }),
    Scenario(
        name: "policy refusals of a right password are not failures", typed: .mailbox, expected: .allowMailbox,
        setup: { fixture in
            for _ in 0..<12 { _ = try await fixture.decide(secret: alicePassword) }
            try fixture.allow()
        }),
]

@Suite struct DecisionTests {
    /// Every scenario, as it is and through the webmail (a first-party host forwarding the
    /// client's address).
    @Test(arguments: scenarios, [false, true])
    func everyRuleAndReason(_ scenario: Scenario, throughWebmail: Bool) async throws {
        try await check(scenario, throughWebmail: throughWebmail, on: DecisionFixture())
    }

    /// The same table on PostgreSQL: the same answers and reasons, whichever store.
    @Test(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)"), arguments: scenarios, [false, true])
    func everyRuleAndReasonOnPostgreSQL(_ scenario: Scenario, throughWebmail: Bool) async throws {
        let url = try PostgreSQLLab.shared().makeDatabase().url
        let store = try PostgreSQLStore.create(at: PostgreSQLLocation(parsing: url), by: .admin(osUser: "test"), at: TestClock().now)
        try await check(scenario, throughWebmail: throughWebmail, on: DecisionFixture(backend: store))
    }

    func check(_ scenario: Scenario, throughWebmail: Bool, on fixture: DecisionFixture) async throws {
        try await scenario.setup(fixture)
        let viaWebmail = throughWebmail || scenario.throughWebmail
        try fixture.store.addFirstPartyHost(IPNetwork(parsing: "10.99.0.0/24"), note: "Roundcube", by: fixture.admin, at: fixture.clock.now)
        let via = viaWebmail ? IPAddress(webmailHost)! : nil
        let expected = viaWebmail ? scenario.expectedThroughWebmail : scenario.expected
        // `explain`, told which credential the secret is, walks the same rules (before the
        // decision, which counts a failure of its own).
        let explanation = try fixture.engine.explain(
            user: scenario.user, service: scenario.service, address: IPAddress(scenario.address)!,
            connectingAddress: via,
            credential: try scenario.typed.credential(of: scenario.user, in: fixture), at: fixture.clock.now)
        let outcome = try await fixture.engine.decideLogin(
            LoginRequest(
                user: scenario.user, secret: Secret(scenario.typed.secret(in: fixture)),
                service: scenario.service, address: IPAddress(scenario.address)!,
                connectingAddress: via))
        let decision = outcome.decision
        #expect(explanation.verdict == decision.reason, "explain: \(explanation.steps.map { "\($0.rule) \($0.outcome)" })")
        #expect(explanation.deniedBy == outcome.deniedBy)
        if case .allow(_, let credential) = decision {
            #expect(explanation.usableCredentials == [credential.description])
        }
        switch (expected, decision) {
        case (.allowMailbox, .allow(let account, .mailboxPassword)):
            #expect(account.lowercased() == scenario.user.lowercased())
        case (.allowApp(let label), .allow(_, .appPassword(_, let matched))):
            #expect(matched == label)
        case (.deny(let reason), .deny(let actual, let explanation)):
            #expect(actual == reason, "\(explanation)")
        default:
            Issue.record("expected \(expected), got \(decision.summary)")
        }
    }

    @Test func theTableCoversEveryReason() {
        let covered = Set(
            scenarios.compactMap { scenario -> DenialReason? in
                if case .deny(let reason) = scenario.expected { return reason }
                return nil
            })
        #expect(covered == Set(DenialReason.allCases))
    }

    /// One evaluation per credential kind per attempt, however many app passwords the account has.
    @Test func twentyFiveAppPasswordsCostOneEvaluation() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        for index in 1...25 { try fixture.issue("Device \(index)") }
        let wrongAppShaped = "qwertyuiopasdfgh"

        // Under enforcement too, a wrong app-shaped secret costs one evaluation of each kind, as
        // it does for an exception: the cost does not tell the enforcement scope.
        try fixture.store.setEnforcement(.all, by: fixture.admin, at: fixture.clock.now)
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        #expect(try await fixture.decide(secret: wrongAppShaped).reason == .badCredential)
        #expect(fixture.appHasher.count == 1 && fixture.mailboxHasher.count == 1)

        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        #expect(try await fixture.decide(secret: Typed.app("Device 17").secret(in: fixture)).isAllowed)
        #expect(fixture.appHasher.count == 1 && fixture.mailboxHasher.count == 0)

        // Where the mailbox password is also eligible: one of each kind.
        try fixture.store.setEnforcement(.off, by: fixture.admin, at: fixture.clock.now)
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        #expect(try await fixture.decide(secret: wrongAppShaped).reason == .badCredential)
        #expect(fixture.appHasher.count == 1 && fixture.mailboxHasher.count == 1)

        // A secret that cannot be an app password costs only the mailbox evaluation.
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        #expect(try await fixture.decide(secret: "not an app password!").reason == .badCredential)
        #expect(fixture.appHasher.count == 0 && fixture.mailboxHasher.count == 1)
    }

    /// An unknown, disabled or service-off account costs what a wrong password costs.
    @Test(arguments: [DomainPolicy.Enforcement.off, .all])
    func refusalsCostTheSameAsAWrongPassword(enforcement: DomainPolicy.Enforcement) async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        try fixture.store.setEnforcement(enforcement == .all ? .all : .off, by: fixture.admin, at: fixture.clock.now)
        try fixture.issue("Phone")
        _ = try fixture.store.setServices([.pop3: false], for: .all, by: fixture.admin, at: fixture.clock.now)
        _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: "bob@example.com"), by: fixture.admin, at: fixture.clock.now)
        for secret in ["qwertyuiopasdfgh", "not an app password!"] {
            func cost(_ user: String, _ service: MailService) async throws -> [Int] {
                fixture.appHasher.reset(); fixture.mailboxHasher.reset()
                _ = try await fixture.decide(user, secret: secret, service)
                return [fixture.appHasher.count, fixture.mailboxHasher.count]
            }
            let wrong = try await cost("alice@example.com", .imap)
            #expect(try await cost("nobody@example.com", .imap) == wrong)
            #expect(try await cost("bob@example.com", .imap) == wrong)
            #expect(try await cost("alice@example.com", .pop3) == wrong)
        }
    }

    @Test func throttledAnswersComeBeforeAnyHashing() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        for _ in 0..<10 { _ = try await fixture.decide(secret: "wrong guess") }
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        for _ in 0..<20 { #expect(try await fixture.decide(secret: "wrong guess").reason == .throttled) }
        #expect(fixture.appHasher.count == 0 && fixture.mailboxHasher.count == 0)
        // A flood leaves one audit entry a minute, and adds no failure rows.
        let throttledAudits = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 100).filter { $0.reason == .throttled }
        #expect(throttledAudits.count == 1)
        let failureRows = try await fixture.sqlite.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM login_failure") }
        #expect(failureRows == 10)
    }

    @Test func failuresSurviveARestart() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let first = try DecisionFixture(store: SQLiteStore.create(at: path, by: .admin(osUser: "t")))
        try first.allow()
        for _ in 0..<10 { _ = try await first.decide(secret: "wrong guess") }
        let reopened = DecisionEngine(store: try SQLiteStore(openingAt: path), pool: DecisionFixture.pool, now: { first.clock.now })
        let decision = try await reopened.decide(
            LoginRequest(user: "alice@example.com", secret: Secret(alicePassword), service: .imap, address: IPAddress("198.51.100.7")!))
        #expect(decision.reason == .throttled)
    }

    @Test func allowsRecordLastUseAtMostOnceAMinuteAndAuditNewAddresses() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        let phone = try fixture.issue("Phone")
        let secret = phone.displayPassword
        #expect(try await fixture.decide(secret: secret, .smtp, from: "198.51.100.7").isAllowed)
        var stored = try #require(try fixture.manager.appPasswords(of: fixture.account("alice@example.com")).first)
        #expect(stored.lastUsedAt == fixture.clock.now && stored.lastUsedAddress == "198.51.100.7" && stored.lastUsedProtocol == .smtp)
        let firstUse = fixture.clock.now

        fixture.clock.advance(by: 30)
        #expect(try await fixture.decide(secret: secret, .imap, from: "198.51.100.7").isAllowed)
        stored = try #require(try fixture.manager.appPasswords(of: fixture.account("alice@example.com")).first)
        #expect(stored.lastUsedAt == firstUse && stored.lastUsedProtocol == .smtp)

        fixture.clock.advance(by: 31)
        #expect(try await fixture.decide(secret: secret, .imap, from: "::ffff:198.51.100.7").isAllowed)
        stored = try #require(try fixture.manager.appPasswords(of: fixture.account("alice@example.com")).first)
        #expect(stored.lastUsedAt == fixture.clock.now && stored.lastUsedProtocol == .imap && stored.lastUsedAddress == "198.51.100.7")

        fixture.clock.advance(by: 5)
        #expect(try await fixture.decide(secret: secret, .imap, from: "203.0.113.9").isAllowed)
        let newAddresses = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 100).filter { $0.kind == .loginFromNewAddress }
        #expect(newAddresses.map(\.address) == ["203.0.113.9", "198.51.100.7"])
        #expect(!newAddresses.description.contains(phone.displayPassword))
    }

    @Test func everyDenialIsAuditedWithItsReason() async throws {
        let fixture = try DecisionFixture()
        _ = try await fixture.decide(secret: alicePassword)
        _ = try await fixture.decide("mallory", secret: "guess")
        let denials = try fixture.store.auditEvents(account: nil, since: nil, limit: 100).filter { $0.kind == .loginDenied }
        #expect(denials.map(\.reason) == [.unknownAccount, .thirdPartyBlocked])
        #expect(denials.allSatisfy { $0.address == "198.51.100.7" && $0.service == .imap })
        #expect(!denials.description.contains(alicePassword))
    }

    @Test func weakHashesAreUpgradedOnSuccess() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        let phone = try fixture.issue("Phone")
        let stronger = HashingConfiguration(
            appPassword: Argon2idParameters(iterations: 2, memoryKiB: 16),
            mailboxPassword: Argon2idParameters(iterations: 2, memoryKiB: 16))
        let clock = fixture.clock
        // The store's parameters change (as `admin policy hashing` changes them): every hash
        // made before is brought up to date at its next login, by any process.
        _ = try fixture.store.setHashing(stronger, by: .system, at: clock.now)
        let engine = DecisionEngine(store: fixture.store, pool: DecisionFixture.pool, now: { clock.now })
        for secret in [phone.displayPassword, alicePassword] {
            let decision = try await engine.decide(
                LoginRequest(user: "alice@example.com", secret: Secret(secret), service: .imap, address: IPAddress("198.51.100.7")!))
            #expect(decision.isAllowed)
        }
        let account = try fixture.account("alice@example.com")
        #expect(account.mailboxPasswordHash.hasPrefix("$argon2id$v=19$m=16,t=2,"))
        #expect(try fixture.manager.appPasswords(of: account).first?.hash.hasPrefix("$argon2id$v=19$m=16,t=2,") == true)
        // The rehashed credentials still work.
        for secret in [phone.displayPassword, alicePassword] {
            #expect(
                try await engine.decide(LoginRequest(user: "alice@example.com", secret: Secret(secret), service: .imap, address: IPAddress("198.51.100.7")!))
                    .isAllowed)
        }
    }

    /// A rule written once is decided and explained by construction.
    @Test func aRuleAddedToThePolicyIsDecidedAndExplained() async throws {
        let retired = Rule(
            name: "retired protocols",
            check: .request { facts in
                facts.service == .pop3 ? .deny(.serviceDisabled, "POP3 is retired here") : .pass("\(facts.service.displayName) is not retired")
            })
        var rules = Rule.standard
        rules.insert(retired, at: rules.firstIndex { $0.name == "network" }!)
        let fixture = try DecisionFixture()
        try fixture.allow()
        let clock = fixture.clock
        let engine = DecisionEngine(store: fixture.store, pool: DecisionFixture.pool, now: { clock.now }, rules: rules)
        let address = IPAddress("198.51.100.7")!

        let pop3 = try engine.explain(user: "alice@example.com", service: .pop3, address: address, at: clock.now)
        #expect(pop3.steps.map(\.rule) == ["throttling", "account", "status", "service", "retired protocols", "network", "secure password", "credentials"])
        #expect(pop3.deniedBy == "retired protocols" && pop3.verdict == .serviceDisabled)
        let refused = try await engine.decideLogin(LoginRequest(user: "alice@example.com", secret: Secret(alicePassword), service: .pop3, address: address))
        #expect(refused.decision == .deny(.serviceDisabled, explanation: "POP3 is retired here"))
        #expect(refused.deniedBy == "retired protocols")

        let imap = try engine.explain(user: "alice@example.com", service: .imap, address: address, at: clock.now)
        #expect(imap.steps.first { $0.rule == "retired protocols" }?.detail == "IMAP is not retired")
        #expect(imap.verdict == nil)
        #expect(try await engine.decide(LoginRequest(user: "alice@example.com", secret: Secret(alicePassword), service: .imap, address: address)).isAllowed)
        // The standard engine knows nothing of it.
        #expect(try fixture.engine.explain(user: "alice@example.com", service: .pop3, address: address, at: clock.now).verdict == nil)
    }

    @Test func explainNamesTheRuleThatRefuses() throws {
        let fixture = try DecisionFixture()
        try fixture.issue("Scanner", limits: CredentialLimits(protocols: [.smtp]))
        var explanation = try fixture.engine.explain(user: "alice@example.com", service: .imap, address: IPAddress("198.51.100.7")!, at: fixture.clock.now)
        #expect(explanation.verdict == .thirdPartyBlocked)
        try fixture.allow()
        try fixture.store.setEnforcement(.all, by: fixture.admin, at: fixture.clock.now)
        explanation = try fixture.engine.explain(user: "alice@example.com", service: .imap, address: IPAddress("198.51.100.7")!, at: fixture.clock.now)
        #expect(explanation.verdict == .securePasswordRequired)
        #expect(explanation.steps.last?.detail.contains("credential_scope") == true)
        explanation = try fixture.engine.explain(user: "alice@example.com", service: .smtp, address: IPAddress("198.51.100.7")!, at: fixture.clock.now)
        #expect(explanation.verdict == nil)
        #expect(explanation.usableCredentials == ["app password 1 \"Scanner\""])
        explanation = try fixture.engine.explain(user: "nobody", service: .smtp, address: IPAddress("198.51.100.7")!, at: fixture.clock.now)
        #expect(explanation.verdict == .unknownAccount)
    }
}
