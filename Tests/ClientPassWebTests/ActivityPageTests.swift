import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// "Recent activity".
@Suite struct ActivityPageTests {
    @Test func recentActivityInPlainWords() async throws {
        let lab = try PageLab()
        let admin = AuditActor.admin(osUser: "test")
        _ = try lab.store.setServices([.pop3: false], for: .accounts([AccountName(validating: "alice@example.com")]), by: admin, at: lab.clock.now)
        _ = try await lab.engine.decide(
            LoginRequest(
                user: "alice@example.com", secret: Secret(lab.alicePhone), service: .pop3,
                address: IPAddress("198.51.100.7")!))
        _ = try await lab.engine.decide(
            LoginRequest(
                user: "alice@example.com", secret: Secret("a wrong one"), service: .imap,
                address: IPAddress("198.51.100.8")!))
        try await lab.app.test(.router) { client in
            _ = try await TestBrowser(client).signIn("alice@example.com", "wrong password")
            let browser = TestBrowser(client)
            try await browser.signIn()
            let page = try await browser.get("/activity")
            #expect(page.status == .ok)
            #expect(page.body.contains("A POP3 login from 198.51.100.7 was refused: POP3 is turned off for the account."))
            #expect(page.body.contains("An IMAP login from 198.51.100.8 was refused: wrong password."))
            #expect(page.body.contains("You created app password 1 &quot;Phone&quot;.") == false, "the admin made it, not alice")
            #expect(page.body.contains("Your mail administrator created app password 1 &quot;Phone&quot;."))
            #expect(page.body.contains("A sign-in to this page from 127.0.0.1 failed: wrong mailbox password."))
            #expect(page.body.contains("You signed in to this page from 127.0.0.1."))
            #expect(page.body.contains("Your mail administrator changed your services"))
            #expect(!page.body.contains("bob@example.com"), "only the signed-in account's entries")
        }
    }
}
