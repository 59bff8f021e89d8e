import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

/// Throttling under attack: attempts counted before their hash, bounded in flight, limited per
/// account across addresses, alike for every account state (issue 12, items 1 and 2).
@Suite struct ThrottlingTests {
    /// Through the webmail, failures count on the employee's forwarded address: one employee's
    /// mistakes throttle that address, not the webmail host and its other users.
    @Test func webmailFailuresThrottleTheForwardedAddressOnly() async throws {
        let fixture = try DecisionFixture()
        try fixture.store.addFirstPartyHost(IPNetwork(parsing: "10.99.0.5"), note: "Roundcube", by: fixture.admin, at: fixture.clock.now)
        func login(_ secret: String, from client: String, user: String = "alice@example.com") async throws -> Decision {
            try await fixture.engine.decide(
                LoginRequest(
                    user: user, secret: Secret(secret), service: .imap, address: IPAddress(client)!,
                    connectingAddress: IPAddress("10.99.0.5")!))
        }
        for _ in 0..<10 { #expect(try await login("a wrong guess", from: "203.0.113.5").reason == .badCredential) }
        #expect(try await login(alicePassword, from: "203.0.113.5").reason == .throttled)
        #expect(try await login(alicePassword, from: "203.0.113.6").isAllowed, "another employee's address through the same webmail")
        #expect(try await login(bobPassword, from: "203.0.113.7", user: "bob@example.com").isAllowed)
    }

    /// Admission wide enough that only the store's reservations limit the work.
    static let unbounded = HashingAdmission(limits: .init(perAccount: 1000, perAddress: 1000, total: 1000))

    func failureRows(_ fixture: DecisionFixture) async throws -> Int {
        try await fixture.sqlite.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM login_failure") ?? 0 }
    }

    /// Sends `count` attempts at once and returns their results (a thrown error as `nil`).
    func together(
        _ fixture: DecisionFixture, _ count: Int, user: String = "alice@example.com", secret: String,
        from address: String = "198.51.100.7"
    ) async -> [Decision?] {
        await withTaskGroup(of: Decision?.self) { group in
            for _ in 0..<count {
                group.addTask { try? await fixture.decide(user, secret: secret, from: address) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// 40 wrong guesses sent together (4 × the limit of 10) are hashed at most 10 times, and the
    /// right password sent after them is refused.
    @Test func concurrentWrongGuessesHashAtMostTheLimit() async throws {
        let fixture = try DecisionFixture(admission: Self.unbounded)
        try fixture.allow()
        fixture.mailboxHasher.slowDown(to: 0.02)
        let results = await together(fixture, 40, secret: "wrong guess")
        #expect(results.allSatisfy { $0 != nil && !$0!.isAllowed })
        #expect(fixture.mailboxHasher.count <= 10, "\(fixture.mailboxHasher.count) guesses were hashed")
        #expect(results.filter { $0?.reason == .badCredential }.count == 10)
        #expect(results.filter { $0?.reason == .throttled }.count == 30)
        #expect(try await failureRows(fixture) == 10)
        fixture.mailboxHasher.slowDown(to: 0)
        #expect(try await fixture.decide(secret: alicePassword).reason == .throttled)
    }

    /// Past the in-flight bound an attempt is told to try later: not hashed, not counted, never allowed.
    @Test func workInFlightIsBounded() async throws {
        let admission = HashingAdmission(limits: .init(perAccount: 2, perAddress: 3, total: 4))
        let fixture = try DecisionFixture(admission: admission)
        try fixture.allow()
        fixture.mailboxHasher.slowDown(to: 0.2)
        let results = await withTaskGroup(of: Result<Decision, any Error>.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do { return .success(try await fixture.decide(secret: alicePassword)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let busy = results.filter {
            if case .failure(let error) = $0 { return (error as? DecisionError) == .busy(retryAfter: HashingAdmission.retryAfter) }; return false
        }
        #expect(busy.count == 4, "\(results)")
        #expect(fixture.mailboxHasher.count == 2)
        #expect(admission.inFlight == 0)
        #expect(try await failureRows(fixture) == 0)

        // Per address: three accounts from one address, the fourth attempt waits its turn.
        _ = try fixture.manager.addAccount(named: "carol@example.com", department: nil, mailboxPassword: Secret("carols password"), by: fixture.admin)
        fixture.mailboxHasher.reset()
        let mixed = await withTaskGroup(of: Bool.self) { group in
            for user in ["alice@example.com", "bob@example.com", "carol@example.com", "alice@example.com"] {
                group.addTask { (try? await fixture.decide(user, secret: "wrong guess")) != nil }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(mixed.filter { $0 }.count == 3)
        #expect(fixture.mailboxHasher.count == 3)
    }

    /// A hash that cannot be checked (out of memory) is a temporary failure: the attempt is
    /// given back, not counted.
    @Test func aTemporaryFailureGivesTheAttemptBack() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        fixture.mailboxHasher.fail(with: HashingError(description: "out of memory"))
        await #expect(throws: HashingError.self) { try await fixture.decide(secret: alicePassword) }
        await #expect(throws: HashingError.self) {
            _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: IPAddress("198.51.100.7")!)
        }
        #expect(try await failureRows(fixture) == 0)
        fixture.mailboxHasher.fail(with: nil)
        #expect(try await fixture.decide(secret: alicePassword).isAllowed)
    }

    enum State: String, CaseIterable, Sendable { case active, unknown, disabled, serviceOff, blocked }

    /// Ten wrong guesses throttle the eleventh whatever the account's state: a burst does not
    /// tell a disabled account, an unknown one or a blocked network from an active account.
    @Test(arguments: State.allCases)
    func everyStateThrottlesAlike(_ state: State) async throws {
        let fixture = try DecisionFixture()
        if state != .blocked { try fixture.allow() }
        var user = "bob@example.com"
        switch state {
        case .active, .blocked: break
        case .unknown: user = "nobody@example.com"
        case .disabled: _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: user), by: fixture.admin, at: fixture.clock.now)
        case .serviceOff:
            _ = try fixture.store.setServices([.imap: false], for: .accounts([AccountName(validating: user)]), by: fixture.admin, at: fixture.clock.now)
        }
        for _ in 0..<10 { #expect(try await fixture.decide(user, secret: "wrong guess").reason != .throttled) }
        #expect(try await fixture.decide(user, secret: "wrong guess").reason == .throttled)
        #expect(try await fixture.decide(user, secret: "bobs mailbox password").reason == .throttled)
    }

    /// A right password refused by policy is no guess: it does not count.
    @Test func policyRefusalsOfARightPasswordDoNotCount() async throws {
        let fixture = try DecisionFixture()
        _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: "bob@example.com"), by: fixture.admin, at: fixture.clock.now)
        for _ in 0..<15 { #expect(try await fixture.decide("bob@example.com", secret: "bobs mailbox password").reason == .accountDisabled) }
        for _ in 0..<15 { #expect(try await fixture.decide(secret: alicePassword).reason == .thirdPartyBlocked) }
        #expect(try await failureRows(fixture) == 0)
    }

    /// Guessing spread over many addresses (a new IPv6 /64 each time) is throttled account-wide,
    /// while the owner's own devices keep working from where they have logged in before.
    @Test func guessesFromManyAddressesAreLimitedPerAccount() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        let phone = try fixture.issue("Phone").displayPassword
        #expect(try await fixture.decide(secret: phone, from: "2001:db8:aaaa:1::7").isAllowed)
        for index in 0..<50 {
            let decision = try await fixture.decide(secret: "guess \(index)", from: "2001:db8:\(String(index + 16, radix: 16))::1")
            #expect(decision.reason == .badCredential)
        }
        // The right password from an address the account has never used: throttled.
        #expect(try await fixture.decide(secret: phone, from: "2001:db8:ffff::1").reason == .throttled)
        #expect(try await fixture.decide(secret: alicePassword, from: "203.0.113.200").reason == .throttled)
        // From the phone's /64 (a new privacy address in it): still in.
        #expect(try await fixture.decide(secret: phone, from: "2001:db8:aaaa:1::99").isAllowed)
        // Another account is not affected.
        #expect(try await fixture.decide("bob@example.com", secret: "bobs mailbox password", from: "2001:db8:ffff::1").isAllowed)
        let explanation = try fixture.engine.explain(user: "alice@example.com", service: .imap, address: IPAddress("2001:db8:ffff::1")!, at: fixture.clock.now)
        #expect(explanation.verdict == .throttled)
        #expect(explanation.steps.first?.detail.contains("from all addresses") == true)
        // The window passes: the account is open again.
        fixture.clock.advance(by: 901)
        #expect(try await fixture.decide(secret: phone, from: "2001:db8:ffff::1").isAllowed)
    }

    /// An unknown name is counted under a keyed digest: what was typed is not stored.
    @Test func unknownNamesAreNotStoredVerbatim() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        let typed = "Tr0ub4dor&3-in-the-wrong-field"
        _ = try await fixture.decide(typed, secret: "x")
        let keys = try await fixture.sqlite.writer.read { try String.fetchAll($0, sql: "SELECT account_key FROM login_failure") }
        #expect(keys.count == 1 && keys[0].hasPrefix("unknown:") && !keys[0].lowercased().contains("tr0ub4dor"))
        let audit = try fixture.store.auditEvents(account: nil, since: nil, limit: 10)
        #expect(!"\(audit)".lowercased().contains("tr0ub4dor"))
        #expect(audit.first?.reason == .unknownAccount && audit.first?.account == nil)
        // The same name again counts towards the same key.
        for _ in 0..<9 { _ = try await fixture.decide(typed, secret: "x") }
        #expect(try await fixture.decide(typed, secret: "x").reason == .throttled)
    }
}

/// Look-alike spellings of a name never log in as the account (issue 12, item 4).
@Suite struct CanonicalNameTests {
    @Test func aKelvinSignDoesNotLogInAsK() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        _ = try fixture.manager.addAccount(named: "kim@example.com", department: nil, mailboxPassword: Secret("kims password"), by: fixture.admin)
        #expect(try await fixture.decide("KIM@example.com", secret: "kims password") == .allow(account: "kim@example.com", credential: .mailboxPassword))
        for lookalike in ["\u{212A}im@example.com", "\u{FF4B}im@example.com", "ki\u{0307}m@example.com"] {
            #expect(try await fixture.decide(lookalike, secret: "kims password").reason == .unknownAccount, "\(lookalike.unicodeScalars.map(\.value))")
        }
        #expect(throws: InputError.self) {
            try fixture.manager.addAccount(named: "\u{212A}ate@example.com", department: nil, mailboxPassword: Secret("kates password"), by: fixture.admin)
        }
    }
}

/// Every refusal costs the same Argon2id work for a secret of the same shape, whatever the
/// account's existence, state, department and the policy (issue 12, item 2).
@Suite struct RefusalCostTests {
    enum Shape: String, CaseIterable, Sendable { case appShaped, other, overLong }
    enum AccountState: String, CaseIterable, Sendable { case active, unknown, disabled, serviceOff, exception, outsideScope, enforced }
    enum Policy: String, CaseIterable, Sendable { case clientsAllowed, clientsBlocked, secureNetwork, enforcementAll, enforcementSelected }

    func secret(_ shape: Shape) -> String {
        switch shape {
        case .appShaped: "qwertyuiopasdfgh"
        case .other: "not an app password!"
        case .overLong: String(repeating: "x", count: CredentialManager.maximumPasswordBytes + 1)
        }
    }

    /// [app-password evaluations, mailbox-password evaluations] of one refused attempt.
    func cost(shape: Shape, account: AccountState, policy: Policy) async throws -> [Int] {
        let fixture = try DecisionFixture()
        let admin = fixture.admin
        let now = fixture.clock.now
        _ = try fixture.manager.addAccount(named: "carol@example.com", department: "Support", mailboxPassword: Secret("carols password"), by: admin)
        try fixture.issue("Phone", to: "carol@example.com")
        var address = "198.51.100.7"
        switch policy {
        case .clientsAllowed: try fixture.allow()
        case .clientsBlocked: break
        case .secureNetwork: try fixture.network("10.0.3.0/24"); address = "10.0.3.7"
        case .enforcementAll: try fixture.allow(); try fixture.store.setEnforcement(.all, by: admin, at: now)
        case .enforcementSelected:
            try fixture.allow()
            try fixture.store.setEnforcement(.selected(departments: [DepartmentName(validating: "Support")], accounts: []), by: admin, at: now)
        }
        var user = "carol@example.com"
        switch account {
        case .active, .enforced: break
        case .unknown: user = "nobody@example.com"
        case .disabled: _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: user), by: admin, at: now)
        case .serviceOff: _ = try fixture.store.setServices([.imap: false], for: .accounts([AccountName(validating: user)]), by: admin, at: now)
        case .exception: try fixture.store.addException(AccountName(validating: user), note: "scanner", by: admin, at: now)
        case .outsideScope: user = "alice@example.com"
        }
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        let decision = try await fixture.decide(user, secret: secret(shape), from: address)
        #expect(!decision.isAllowed)
        return [fixture.appHasher.count, fixture.mailboxHasher.count]
    }

    @Test(arguments: Shape.allCases)
    func everyRefusalOfAShapeCostsTheSame(_ shape: Shape) async throws {
        let expected: [Int] =
            switch shape {
            case .appShaped: [1, 1]
            case .other: [0, 1]
            case .overLong: [0, 0]
            }
        for account in AccountState.allCases {
            for policy in Policy.allCases {
                let actual = try await cost(shape: shape, account: account, policy: policy)
                #expect(actual == expected, "\(account) under \(policy): \(actual)")
            }
        }
    }

    /// A right app password refused by its own limits costs what a wrong one costs.
    @Test func aRightAppPasswordRefusedByItsLimitsCostsTheSame() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        try fixture.issue("Scanner", limits: CredentialLimits(protocols: [.smtp]))
        fixture.appHasher.reset(); fixture.mailboxHasher.reset()
        #expect(try await fixture.decide(secret: Typed.app("Scanner").secret(in: fixture)).reason == .credentialScope)
        let counts: [Int] = [fixture.appHasher.count, fixture.mailboxHasher.count]
        #expect(counts == [1, 1])
    }
}
