import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The sign-in page and the sessions it starts.
@Suite struct SignInPageTests {
    // MARK: Sign-in

    @Test func theSignInPageCarriesTheSecurityHeaders() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let page = try await browser.get("/sign-in")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.csrf != nil)
            #expect(page.notice == nil && page.error == nil && !page.body.contains("nil"), "no message when there is none")
            let cookie = try #require(page.setCookies.first { $0.hasPrefix("clientpass_sign_in=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            // Not signed in: every page sends the browser to sign in.
            for path in ["/", "/access", "/activity", "/passwords/1/rename", "/passwords/1/revoke", "/passwords/revoke-all"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location == "/sign-in", "\(path)")
            }
        }
    }

    @Test func signingInWithTheMailboxPasswordStartsASession() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let signedIn = try await browser.signIn()
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/")
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("clientpass_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP without a proxy that says https")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("alice@example.com"))
            #expect(home.body.contains("Phone"))
            #expect(try await browser.get("/sign-in").location == "/")
        }
        let audit = try lab.store.auditEvents(account: "alice@example.com", since: nil, limit: 5)
        #expect(audit.first?.kind == .signedIn)
    }

    /// Sessions live in the store: a browser signed in through one `serve` is signed in on
    /// another on the same store, and a sign-out on the second ends it on the first.
    @Test func aSessionIsSharedByEveryServeOnTheStore() async throws {
        let lab = try PageLab()
        let second = try lab.secondNode()
        try await lab.app.test(.router) { first in
            let a = TestBrowser(first)
            #expect(try await a.signIn().location == "/")
            // The store keeps a digest of the cookie's token, not the token.
            let token = try #require(a.cookies["clientpass_session"])
            let lifetime = SessionLifetime(idleTimeout: 600, maximumAge: 3600)
            #expect(try lab.store.session(digest: RandomToken.storedDigest(of: token), kind: .page, lifetime: lifetime, at: lab.clock.now) != nil)
            #expect(try lab.store.session(digest: token, kind: .page, lifetime: lifetime, at: lab.clock.now) == nil)
            try await second.test(.router) { other in
                let b = TestBrowser(other)
                b.cookies = a.cookies
                let home = try await b.get("/")
                #expect(home.status == .ok && home.body.contains("alice@example.com"))
                #expect(try await b.post("/sign-out", [("csrf", home.csrf!)]).location == "/sign-in?signed-out")
            }
            #expect(try await a.get("/").location?.hasPrefix("/sign-in") == true, "signed out on the other node")
        }
    }

    /// The sign-in form's token is tied to its cookie with a key from the store: a form one node
    /// served signs in through another (round-robin behind a load balancer).
    @Test func aSignInFormFromOneNodeSignsInOnAnother() async throws {
        let lab = try PageLab()
        let second = try lab.secondNode()
        try await lab.app.test(.router) { first in
            let a = TestBrowser(first)
            let form = try await a.get("/sign-in")
            try await second.test(.router) { other in
                let b = TestBrowser(other)
                b.cookies = a.cookies
                let signedIn = try await b.post("/sign-in", [("csrf", form.csrf!), ("account", "alice@example.com"), ("password", alicePassword)])
                #expect(signedIn.status == .seeOther && signedIn.location == "/")
                let forged = TestBrowser(other)
                forged.cookies = a.cookies
                #expect(
                    try await forged.post("/sign-in", [("csrf", RandomToken.make()), ("account", "alice@example.com"), ("password", alicePassword)]).status
                        == .forbidden)
            }
        }
    }

    /// In directory mode employees know a "company password", not a mailbox password: the page
    /// and the API say the configured term wherever they name it, and leave typed labels alone.
    @Test func thePageAndTheAPISayTheConfiguredTerm() async throws {
        var configuration = PageConfiguration(trustedProxies: [try IPNetwork(parsing: "127.0.0.1")])
        configuration.passwordTerm = try PasswordTerm(validating: "company password")
        let lab = try PageLab(page: configuration)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let form = try await browser.get("/sign-in")
            #expect(form.body.contains("<label for=\"password\">Company password</label>") && form.body.contains("<strong>company password</strong>"))
            #expect(!form.body.lowercased().contains("mailbox password"))
            let wrong = try await browser.post("/sign-in", [("csrf", form.csrf!), ("account", "alice@example.com"), ("password", "wrong")])
            #expect(
                wrong.error == "The account name or the company password is wrong. Use your company password here: app passwords only work in mail clients.",
                "\(wrong.error ?? "")")
            try await browser.signIn()
            let home = try await browser.get("/")
            _ = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "my mailbox password helper"), ("expires", "")])
            #expect(try await browser.get("/").body.contains("my mailbox password helper"), "a label stays as typed")
            let access = try await browser.get("/access")
            #expect(access.body.contains("company password") && !access.body.contains("mailbox password"), "\(access.body)")
            let activity = try await browser.get("/activity")
            #expect(activity.body.contains("failed: wrong company password."), "\(activity.body)")
            let problem = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"account": "alice@example.com", "password": "wrong"}"#)
            ) { String(buffer: $0.body) }
            #expect(problem.contains("wrong account name or company password"), "\(problem)")
        }
    }

    @Test func behindATrustedProxyThatSaysHTTPSTheCookieIsSecure() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(
                client,
                headers: [
                    HTTPField.Name("X-Forwarded-Proto")!: "https",
                    HTTPField.Name("X-Forwarded-For")!: "198.51.100.7",
                ])
            let signedIn = try await browser.signIn()
            #expect(try #require(signedIn.setCookies.first { $0.hasPrefix("clientpass_session=") }).contains("Secure"))
            #expect(try await browser.get("/access").body.contains("You are on 198.51.100.7"))
        }
    }

    @Test func anUntrustedPeerCannotClaimAnotherAddressOrHTTPS() async throws {
        let lab = try PageLab(page: PageConfiguration(trustedProxies: []))
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(
                client,
                headers: [
                    HTTPField.Name("X-Forwarded-Proto")!: "https",
                    HTTPField.Name("X-Forwarded-For")!: "10.0.3.25",
                ])
            let signedIn = try await browser.signIn()
            #expect(try #require(signedIn.setCookies.first { $0.hasPrefix("clientpass_session=") }).contains("Secure") == false)
            let access = try await browser.get("/access")
            #expect(access.body.contains("You are on 127.0.0.1"))
            #expect(!access.body.contains("10.0.3.25"))
        }
    }

    @Test func anAppPasswordNeverSignsIn() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let refused = try await browser.signIn("alice@example.com", lab.alicePhone)
            #expect(refused.status == .unauthorized)
            #expect(refused.error?.contains("app passwords only work in mail clients") == true)
            #expect(!refused.setCookies.contains { $0.hasPrefix("clientpass_session=") })
            #expect(browser.cookies["clientpass_session"] == nil)
            #expect(try await browser.get("/").location == "/sign-in")
        }
        let audit = try lab.store.auditEvents(account: "alice@example.com", since: nil, limit: 5)
        #expect(audit.first?.kind == .signInFailed)
        #expect(audit.first?.reason == .badCredential)
    }

    @Test func theMessageNeverTellsWhetherTheAccountExists() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let wrongPassword = try await TestBrowser(client).signIn("alice@example.com", "not her password")
            let noSuchAccount = try await TestBrowser(client).signIn("nobody@example.com", "not her password")
            let malformedName = try await TestBrowser(client).signIn("<not an account>", "whatever it is")
            #expect(wrongPassword.status == .unauthorized)
            #expect(noSuchAccount.status == wrongPassword.status)
            #expect(malformedName.status == wrongPassword.status)
            #expect(wrongPassword.error != nil)
            #expect(noSuchAccount.error == wrongPassword.error)
            #expect(malformedName.error == wrongPassword.error)
            // What was typed is shown again, escaped.
            #expect(malformedName.body.contains("value=\"&lt;not an account&gt;\""))
        }
    }

    @Test func aPasswordTypedIntoTheAccountFieldIsNeverKept() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let refused = try await TestBrowser(client).signIn(alicePassword, alicePassword)
            #expect(refused.status == .unauthorized)
        }
        let audit = try lab.store.auditEvents(account: nil, since: nil, limit: 100)
        let failure = try #require(audit.first)
        #expect(failure.kind == .signInFailed && failure.reason == .unknownAccount && failure.account == nil)
        #expect(!audit.contains { "\($0)".contains(alicePassword) })
    }

    @Test func failedSignInsAreThrottledLikeLogins() async throws {
        let lab = try PageLab()
        _ = try lab.store.setThrottling(ThrottlePolicy(accountFailures: 3, addressFailures: 100, window: 900), by: .admin(osUser: "test"), at: lab.clock.now)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            for _ in 0..<3 { #expect(try await browser.signIn("alice@example.com", "wrong guess").status == .unauthorized) }
            let throttled = try await browser.signIn()
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] == "900")
            #expect(throttled.error?.contains("Too many failed attempts") == true)
            #expect(browser.cookies["clientpass_session"] == nil)
            // The same counters as mail logins: a mail client from this address is throttled too.
            if case .deny(let reason, _) = try await lab.engine.decide(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(lab.alicePhone),
                    service: .imap, address: IPAddress("127.0.0.1")!))
            {
                #expect(reason == .throttled)
            } else {
                Issue.record("a login from a throttled address was allowed")
            }
            lab.clock.advance(minutes: 16)
            #expect(try await browser.signIn().location == "/")
        }
    }

    @Test func aDisabledAccountCannotSignIn() async throws {
        let lab = try PageLab()
        _ = try lab.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: .admin(osUser: "test"), at: lab.clock.now)
        try await lab.app.test(.router) { client in
            let refused = try await TestBrowser(client).signIn()
            #expect(refused.status == .forbidden)
            #expect(refused.error?.contains("disabled") == true)
        }
    }

    @Test func theSignInFormNeedsItsToken() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            // No sign-in cookie at all (a form posted from elsewhere).
            let browser = TestBrowser(client)
            let forged = try await browser.post("/sign-in", [("account", "alice@example.com"), ("password", alicePassword)])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["clientpass_session"] == nil)
            // A cookie, but another browser's token.
            let other = try await TestBrowser(client).get("/sign-in")
            _ = try await browser.get("/sign-in")
            let mismatched = try await browser.post(
                "/sign-in",
                [
                    ("csrf", other.csrf!), ("account", "alice@example.com"),
                    ("password", alicePassword),
                ])
            #expect(mismatched.status == .forbidden)
            #expect(browser.cookies["clientpass_session"] == nil)
        }
        #expect(try lab.store.auditEvents(account: "alice@example.com", since: nil, limit: 5).allSatisfy { $0.kind != .signedIn })
    }

    @Test func aSessionIdFromBeforeSignInIsNeverUsed() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            browser.cookies["clientpass_session"] = "planted-by-an-attacker"
            try await browser.signIn()
            let id = try #require(browser.cookies["clientpass_session"])
            #expect(id != "planted-by-an-attacker")
            #expect(id.count == 43)
            let again = TestBrowser(client)
            try await again.signIn()
            #expect(again.cookies["clientpass_session"] != id)
        }
    }

    // MARK: Sessions

    @Test func anIdleSessionExpiresAndChangesNothing() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            lab.clock.advance(minutes: 16)
            let expired = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Too late")])
            #expect(expired.status == .seeOther)
            #expect(expired.location == "/sign-in?expired")
            #expect(try await browser.get("/sign-in?expired").notice == "Your session ended. Sign in again.")
            #expect(try await browser.get("/").location == "/sign-in")
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone"])
    }

    @Test func aSessionInUseStaysAliveUntilItsMaximumAge() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            for _ in 0..<5 {
                lab.clock.advance(minutes: 10)
                #expect(try await browser.get("/").status == .ok)
            }
            lab.clock.advance(minutes: 12 * 60 - 50)
            #expect(try await browser.get("/").location == "/sign-in?expired")
        }
    }

    @Test func theIdleTimeIsConfigurable() async throws {
        let lab = try PageLab(page: PageConfiguration(sessionIdleTimeout: 120))
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            lab.clock.advance(minutes: 1.5)
            #expect(try await browser.get("/").status == .ok)
            lab.clock.advance(minutes: 2.5)
            #expect(try await browser.get("/").location == "/sign-in?expired")
        }
    }

    @Test func aDisabledAccountOrANewMailboxPasswordEndsTheSession() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let disabled = TestBrowser(client)
            try await disabled.signIn()
            let changed = TestBrowser(client)
            try await changed.signIn()
            _ = try lab.store.setStatus(.disabled, of: AccountName(validating: "alice@example.com"), by: .admin(osUser: "test"), at: lab.clock.now)
            #expect(try await disabled.get("/").location == "/sign-in?expired")
            _ = try lab.store.setStatus(.active, of: AccountName(validating: "alice@example.com"), by: .admin(osUser: "test"), at: lab.clock.now)
            #expect(try await changed.get("/").status == .ok)
            _ = try lab.manager.setMailboxPassword(of: lab.alice, to: Secret("a brand new mailbox password"), by: .admin(osUser: "test"))
            #expect(try await changed.get("/").location == "/sign-in?expired")
        }
    }

    @Test func signingOutEndsTheSessionOnTheServer() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let session = try #require(browser.cookies["clientpass_session"])
            // Without the token, signing out is refused (a forged form cannot sign anyone out either).
            #expect(try await browser.post("/sign-out", [("csrf", "forged")]).status == .forbidden)
            let out = try await browser.post("/sign-out", [("csrf", home.csrf!)])
            #expect(out.location == "/sign-in?signed-out")
            #expect(browser.cookies["clientpass_session"] == nil)
            #expect(try await browser.get("/sign-in?signed-out").notice == "You are signed out.")
            // The old cookie, replayed, opens nothing.
            browser.cookies["clientpass_session"] = session
            #expect(try await browser.get("/").location == "/sign-in?expired")
        }
    }
}
