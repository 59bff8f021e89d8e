import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore

/// Signing in to the self-service page: the mailbox password only, at the cost of one
/// mailbox-password evaluation whether or not the account exists, throttled on the logins' counters.
@Suite struct SignInTests {
    let address = IPAddress("198.51.100.7")!

    @Test func onlyTheMailboxPasswordSignsIn() async throws {
        let fixture = try DecisionFixture()
        let phone = try fixture.issue("Phone")
        // The page is not a mail client: blocked third-party clients and enforcement do not apply.
        try fixture.store.setEnforcement(.all, by: fixture.admin, at: fixture.clock.now)
        let signedIn = try await fixture.engine.signIn(user: "ALICE@example.com", mailboxPassword: Secret(alicePassword), address: address)
        #expect(signedIn == .signedIn(try fixture.account("alice@example.com")))
        #expect(try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: phone.secret, address: address) == .wrongCredentials)
        let audit = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 2)
        #expect(audit.map(\.kind) == [.signInFailed, .signedIn])
        #expect(audit[0].reason == .badCredential && audit[0].address == "198.51.100.7")
    }

    @Test func aDisabledAccountIsRefusedOnlyWithTheRightPassword() async throws {
        let fixture = try DecisionFixture()
        _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: fixture.admin, at: fixture.clock.now)
        #expect(try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("a wrong password"), address: address) == .wrongCredentials)
        #expect(
            try await fixture.engine.signIn(
                user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address,
                channel: .commandLine) == .accountDisabled)
        let audit = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 2)
        #expect(audit.map(\.kind) == [.signInFailed, .signInFailed])
        #expect(audit.map(\.reason) == [.accountDisabled, .badCredential])
    }

    @Test func anUnknownAccountCostsWhatAWrongPasswordCosts() async throws {
        let fixture = try DecisionFixture()
        for user in ["nobody@example.com", "not a valid name!", "alice@example.com"] {
            fixture.mailboxHasher.reset()
            fixture.appHasher.reset()
            #expect(try await fixture.engine.signIn(user: user, mailboxPassword: Secret("a wrong password"), address: address) == .wrongCredentials)
            #expect(fixture.mailboxHasher.count == 1, "\(user)")
            #expect(fixture.appHasher.count == 0, "\(user)")
        }
    }

    @Test func failuresShareTheLoginsThrottlingCounters() async throws {
        let fixture = try DecisionFixture()
        try fixture.allow()
        let phone = try fixture.issue("Phone")
        _ = try fixture.store.setThrottling(ThrottlePolicy(accountFailures: 4, addressFailures: 100, window: 600), by: fixture.admin, at: fixture.clock.now)
        for _ in 0..<2 {
            _ = try await fixture.engine.decide(LoginRequest(user: "alice@example.com", secret: Secret("guess"), service: .imap, address: address))
            _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("guess"), address: address)
        }
        fixture.mailboxHasher.reset()
        let throttled = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address)
        #expect(throttled == .throttled(retryAfter: 600))
        #expect(fixture.mailboxHasher.count == 0, "throttling comes before any hashing")
        let login = try await fixture.engine.decide(LoginRequest(user: "alice@example.com", secret: phone.secret, service: .imap, address: address))
        #expect(login.reason == .throttled)
        // Another address is not affected; and a flood is audited once a minute, not per attempt.
        #expect(
            try await fixture.engine.signIn(
                user: "alice@example.com", mailboxPassword: Secret(alicePassword),
                address: IPAddress("203.0.113.9")!) == .signedIn(try fixture.account("alice@example.com")))
        let before = try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 100).count
        for _ in 0..<5 { _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("guess"), address: address) }
        #expect(try fixture.store.auditEvents(account: "alice@example.com", since: nil, limit: 100).count == before)
        // After the window, the right password signs in and clears this account's failures here.
        fixture.clock.advance(by: 601)
        #expect(
            try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address)
                == .signedIn(try fixture.account("alice@example.com")))
    }

    @Test func aSuccessClearsTheAccountsFailuresFromThatAddress() async throws {
        let fixture = try DecisionFixture()
        _ = try fixture.store.setThrottling(ThrottlePolicy(accountFailures: 3, addressFailures: 100, window: 600), by: fixture.admin, at: fixture.clock.now)
        for _ in 0..<2 { _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("guess"), address: address) }
        _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address)
        for _ in 0..<2 { _ = try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("guess"), address: address) }
        #expect(
            try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address)
                != .throttled(retryAfter: 600))
    }

    @Test func aDisabledAccountIsToldSoOnlyAfterTheRightPassword() async throws {
        let fixture = try DecisionFixture()
        _ = try fixture.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: fixture.admin, at: fixture.clock.now)
        #expect(try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret("guess"), address: address) == .wrongCredentials)
        #expect(try await fixture.engine.signIn(user: "alice@example.com", mailboxPassword: Secret(alicePassword), address: address) == .accountDisabled)
    }
}
