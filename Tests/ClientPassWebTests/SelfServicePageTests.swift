@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The self-service page in-process (`app.test(.router)`): every route, with bad input, missing
/// CSRF tokens, expired sessions, an app password at sign-in and another employee's password ids.
@Suite struct SelfServicePageTests {
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

    @Test func behindATrustedProxyThatSaysHTTPSTheCookieIsSecure() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https",
                                                        HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"])
            let signedIn = try await browser.signIn()
            #expect(try #require(signedIn.setCookies.first { $0.hasPrefix("clientpass_session=") }).contains("Secure"))
            #expect(try await browser.get("/access").body.contains("You are on 198.51.100.7"))
        }
    }

    @Test func anUntrustedPeerCannotClaimAnotherAddressOrHTTPS() async throws {
        let lab = try PageLab(page: PageConfiguration(trustedProxies: []))
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https",
                                                        HTTPField.Name("X-Forwarded-For")!: "10.0.3.25"])
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
            let refused = try await TestBrowser(client).signIn(PageLab.alicePassword, PageLab.alicePassword)
            #expect(refused.status == .unauthorized)
        }
        let audit = try lab.store.auditEvents(account: nil, since: nil, limit: 100)
        let failure = try #require(audit.first)
        #expect(failure.kind == .signInFailed && failure.reason == .unknownAccount && failure.account == nil)
        #expect(!audit.contains { "\($0)".contains(PageLab.alicePassword) })
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
            if case .deny(let reason, _) = try await lab.engine.decide(LoginRequest(user: "alice@example.com", secret: Secret(lab.alicePhone),
                                                                                    service: .imap, address: IPAddress("127.0.0.1")!)) {
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
            let forged = try await browser.post("/sign-in", [("account", "alice@example.com"), ("password", PageLab.alicePassword)])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["clientpass_session"] == nil)
            // A cookie, but another browser's token.
            let other = try await TestBrowser(client).get("/sign-in")
            _ = try await browser.get("/sign-in")
            let mismatched = try await browser.post("/sign-in", [("csrf", other.csrf!), ("account", "alice@example.com"),
                                                                 ("password", PageLab.alicePassword)])
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
            try lab.manager.setMailboxPassword(of: lab.alice, to: Secret("a brand new mailbox password"), by: .admin(osUser: "test"))
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

    // MARK: Creating

    @Test func aNewPasswordIsShownOnceWithTheSettingsAndWorks() async throws {
        let lab = try PageLab()
        let created: String = try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let page = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Thunderbird"), ("imap", "on"), ("smtp", "on"),
                                                             ("networks", ""), ("expires", "90d")])
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-store")
            let password = try #require(page.newPassword)
            #expect(page.body.contains("will not be shown again"))
            #expect(page.body.contains("<h3>IMAP (incoming)</h3>\n<dl>\n<dt>Server</dt><dd class=\"host\">mail.example.com</dd>\n<dt>Port</dt><dd class=\"port\">993</dd>\n<dt>Security</dt><dd class=\"security\">SSL/TLS</dd>"))
            #expect(page.body.contains("<h3>SMTP (outgoing)</h3>\n<dl>\n<dt>Server</dt><dd class=\"host\">mail.example.com</dd>\n<dt>Port</dt><dd class=\"port\">587</dd>\n<dt>Security</dt><dd class=\"security\">STARTTLS</dd>"))
            #expect(page.body.contains("data-copy=\"new-password\""))
            let list = try await browser.get("/")
            #expect(list.body.contains("Thunderbird"))
            #expect(list.body.contains("IMAP, SMTP"))
            #expect(!list.body.contains(password), "the list never shows a password")
            #expect(try await browser.get("/activity").body.contains("Thunderbird"))
            return password
        }
        #expect(try await lab.imapAllows("alice@example.com", created))
        let stored = try #require(try lab.manager.appPasswords(of: lab.alice).first { $0.label == "Thunderbird" })
        #expect(stored.limits.protocols == [.imap, .smtp])
        #expect(stored.limits.expiresAt == lab.clock.now.addingTimeInterval(90 * 86_400))
        #expect(stored.issuedBy == "alice@example.com")
    }

    /// Two tabs at the limit: the second create is refused in the page's words, never with a
    /// command an employee cannot run.
    @Test func theLimitIsExplainedInThePagesWords() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            try await lab.store.writer.write { db in try db.execute(sql: "UPDATE domain_policy SET max_app_passwords = 1") }
            let page = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "One too many"), ("expires", "")])
            #expect(page.status == .conflict)
            #expect(page.body.contains("You already have 1 app password, the most allowed. Revoke one you no longer use, then create the new one."))
            #expect(!page.body.contains("clientpass password") && !page.body.contains("`"))
        }
    }

    @Test func onlyTheServersThePasswordCanUseAreShown() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let page = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Scanner"), ("smtp", "on"), ("expires", "")])
            #expect(page.newPassword != nil)
            #expect(page.body.contains("SMTP (outgoing)"))
            #expect(!page.body.contains("IMAP (incoming)"))
        }
    }

    @Test(arguments: [
        ([("label", "")], "The label is empty"),
        ([("label", String(repeating: "x", count: 65))], "at most 64 are allowed"),
        ([("label", "Bell\u{7}")], "use printable characters only"),
        ([("label", "Phone 2"), ("networks", "10.0.0.0/33")], "10.0.0.0/33"),
        ([("label", "Phone 2"), ("networks", "the office")], "the office"),
        ([("label", "Phone 2"), ("networks", "10.0.0.1/24")], "did you mean 10.0.0.0/24?"),
        ([("label", "Phone 2"), ("expires", "1000y")], "Choose when the password expires"),
    ])
    func badInputToCreateIsRefusedAndChangesNothing(fields: [(String, String)], message: String) async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let page = try await browser.post("/passwords", [("csrf", home.csrf!)] + fields)
            #expect(page.status == .badRequest)
            #expect(page.error?.contains(message) == true, "\(page.error ?? "no error")")
            #expect(page.error?.hasSuffix("?.") == false && page.error?.hasSuffix("..") == false, "one mark ends it: \(page.error ?? "")")
            #expect(page.newPassword == nil)
            if let label = fields.first(where: { $0.0 == "label" })?.1, !label.isEmpty, label.count <= 64 {
                #expect(page.body.contains("value=\"\(label)\""), "what was typed is kept")
            }
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone"])
    }

    @Test func aLabelIsShownAsTextNeverAsMarkup() async throws {
        let lab = try PageLab()
        let label = #"<script>alert(1)</script>"#
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let created = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", label)])
            #expect(created.newPassword != nil)
            for page in [created, try await browser.get("/"), try await browser.get("/activity"), try await browser.get("/passwords/2/rename")] {
                #expect(!page.body.contains(label))
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
            // Template syntax in a label is text too: it is never rendered again.
            let curly = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "{{csrf}} {{{accountName}}}")])
            #expect(curly.body.contains("for “{{csrf}} {{{accountName}}}”"))
        }
    }

    @Test func creatingNeedsTheTokenOfThisSession() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let other = TestBrowser(client)
            try await other.signIn()
            let othersToken = try #require(try await other.get("/").csrf)
            for fields in [[("label", "Forged")], [("csrf", ""), ("label", "Forged")], [("csrf", othersToken), ("label", "Forged")]] {
                let page = try await browser.post("/passwords", fields)
                #expect(page.status == .forbidden)
                #expect(page.newPassword == nil)
            }
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone"])
    }

    @Test func anOlderSessionConfirmsTheMailboxPasswordBeforeCreating() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            #expect(try await browser.get("/").body.contains("confirm-password") == false)
            lab.clock.advance(minutes: 6)
            let home = try await browser.get("/")
            #expect(home.body.contains("id=\"confirm-password\""))
            let csrf = try #require(home.csrf)
            let missing = try await browser.post("/passwords", [("csrf", csrf), ("label", "Laptop")])
            #expect(missing.status == .unauthorized)
            let appPassword = try await browser.post("/passwords", [("csrf", csrf), ("label", "Laptop"), ("password", lab.alicePhone)])
            #expect(appPassword.status == .unauthorized)
            #expect(appPassword.error?.contains("not your mailbox password") == true)
            #expect(appPassword.body.contains("value=\"Laptop\""))
            #expect(try lab.manager.appPasswords(of: lab.alice).count == 1)
            let confirmed = try await browser.post("/passwords", [("csrf", csrf), ("label", "Laptop"), ("password", PageLab.alicePassword)])
            #expect(confirmed.newPassword != nil)
            // Confirmed: the next few minutes need no password.
            let next = try await browser.post("/passwords", [("csrf", csrf), ("label", "Tablet")])
            #expect(next.newPassword != nil)
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone", "Laptop", "Tablet"])
    }

    @Test func theLimitOfAppPasswordsIsExplained() async throws {
        let lab = try PageLab()
        try await lab.store.writer.write { db in try db.execute(sql: "UPDATE domain_policy SET max_app_passwords = 2") }
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            #expect(try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Second")]).newPassword != nil)
            let full = try await browser.get("/")
            #expect(full.body.contains("You have the most app passwords allowed (2)"))
            let refused = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Third")])
            #expect(refused.status == .conflict)
            #expect(refused.newPassword == nil)
        }
    }

    // MARK: Renaming and revoking

    @Test func renaming() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let form = try await browser.get("/passwords/1/rename")
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"Phone\""))
            let empty = try await browser.post("/passwords/1/rename", [("csrf", form.csrf!), ("label", "   ")])
            #expect(empty.status == .badRequest)
            #expect(empty.error?.contains("The label is empty") == true)
            #expect(try await browser.post("/passwords/1/rename", [("label", "Forged")]).status == .forbidden)
            let renamed = try await browser.post("/passwords/1/rename", [("csrf", form.csrf!), ("label", "iPhone Mail")])
            #expect(renamed.location == "/")
            let home = try await browser.get("/")
            #expect(home.notice == "Renamed “Phone” to “iPhone Mail”.")
            #expect(home.body.contains("<h2>iPhone Mail</h2>"))
            #expect(try await browser.get("/").notice == nil, "a notice shows once")
            #expect(try await browser.get("/activity").body.contains("You renamed app password 1 from &quot;Phone&quot; to &quot;iPhone Mail&quot;."))
        }
        #expect(try await lab.imapAllows("alice@example.com", lab.alicePhone), "renaming changes no access")
    }

    @Test func revokingAsksFirstThenStopsThePassword() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let confirm = try await browser.get("/passwords/1/revoke")
            #expect(confirm.status == .ok)
            #expect(confirm.body.contains("Revoke “Phone”?"))
            #expect(try await lab.imapAllows("alice@example.com", lab.alicePhone), "the confirmation page changes nothing")
            #expect(try await browser.post("/passwords/1/revoke", [("csrf", "forged")]).status == .forbidden)
            #expect(try await lab.imapAllows("alice@example.com", lab.alicePhone))
            let revoked = try await browser.post("/passwords/1/revoke", [("csrf", confirm.csrf!)])
            #expect(revoked.location == "/")
            let home = try await browser.get("/")
            #expect(home.notice?.contains("Revoked “Phone”") == true)
            #expect(home.body.contains("You have no app passwords yet."))
            #expect(try await browser.get("/activity").body.contains("You revoked app password 1 &quot;Phone&quot;."))
            // Gone: a second revoke of the same id is a 404, not a 500.
            #expect(try await browser.post("/passwords/1/revoke", [("csrf", confirm.csrf!)]).status == .notFound)
        }
        #expect(try await !lab.imapAllows("alice@example.com", lab.alicePhone))
    }

    @Test func revokingAllOfThem() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            _ = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "Laptop")])
            let confirm = try await browser.get("/passwords/revoke-all")
            #expect(confirm.body.contains("Revoke all 2 app passwords?"))
            #expect(try await browser.post("/passwords/revoke-all", []).status == .forbidden)
            #expect(try lab.manager.appPasswords(of: lab.alice).count == 2)
            #expect(try await browser.post("/passwords/revoke-all", [("csrf", confirm.csrf!)]).location == "/")
            #expect(try await browser.get("/").notice == "Revoked all 2 app passwords. None of them works anywhere now.")
            #expect(try await browser.get("/passwords/revoke-all").location == "/")
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).isEmpty)
        #expect(try await lab.imapAllows("bob@example.com", lab.bobLaptop), "only alice's passwords went")
    }

    @Test func anotherEmployeesPasswordIdsReachNothing() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let csrf = try #require(try await browser.get("/").csrf)
            // Bob has an app password 2; alice does not. Ids are per account: alice's 2 is hers or nothing.
            for path in ["/passwords/2/rename", "/passwords/2/revoke", "/passwords/999/revoke", "/passwords/-1/revoke", "/passwords/abc/revoke"] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
            #expect(try await browser.post("/passwords/2/revoke", [("csrf", csrf)]).status == .notFound)
            #expect(try await browser.post("/passwords/2/rename", [("csrf", csrf), ("label", "Mine now")]).status == .notFound)
        }
        #expect(try await lab.imapAllows("bob@example.com", lab.bobTablet))
        let bob = try lab.manager.account(named: "bob@example.com")
        #expect(try lab.manager.appPasswords(of: bob).map(\.label) == ["Laptop", "Tablet"])
    }

    @Test func revokingOnThePageEndsTheMailSessions() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientpass-kick-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("kick")
        let log = folder.appendingPathComponent("kicked")
        try "#!/bin/sh\necho \"$1\" >> \(log.path)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let lab = try PageLab(terminator: SessionTerminator(command: "\(script.path) {account}"))
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let confirm = try await browser.get("/passwords/1/revoke")
            _ = try await browser.post("/passwords/1/revoke", [("csrf", confirm.csrf!)])
        }
        #expect(try String(contentsOf: log, encoding: .utf8) == "alice@example.com\n")
    }

    // MARK: Access and activity

    @Test func yourAccessTellsWhetherThisAddressMayUseMailClients() async throws {
        let lab = try PageLab()
        let admin = Actor.admin(osUser: "test")
        _ = try lab.store.setThirdPartyClients(.blocked, by: admin, at: lab.clock.now)
        try lab.store.addSecureNetwork(try IPNetwork(parsing: "10.0.3.0/24"), note: "Head office", by: admin, at: lab.clock.now)
        try lab.store.addSecureNetwork(try IPNetwork(parsing: "2001:db8::/32"), note: "", by: admin, at: lab.clock.now)
        try await lab.app.test(.router) { client in
            let outside = TestBrowser(client, headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"])
            try await outside.signIn()
            let page = try await outside.get("/access")
            #expect(page.body.contains("You are on 198.51.100.7: outside the secure networks, so mail clients are blocked here."))
            #expect(page.body.contains("<li>10.0.3.0/24 (Head office)</li>"))
            #expect(page.body.contains("<li>2001:db8::/32</li>"), "a network without a note shows no empty brackets")
            #expect(page.body.contains("Blocked, except from the secure networks below."))
            let inside = TestBrowser(client, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.1, 10.0.3.25"])
            try await inside.signIn()
            #expect(try await inside.get("/access").body.contains("You are on 10.0.3.25: inside the secure network 10.0.3.0/24 (Head office)"))
        }
        try lab.store.setEnforcement(.all, by: admin, at: lab.clock.now)
        _ = try lab.store.setServices([.pop3: false], for: .accounts([AccountName(validating: "alice@example.com")]), by: admin, at: lab.clock.now)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let page = try await browser.get("/access")
            #expect(page.body.contains("POP3: <strong>off</strong>"))
            #expect(page.body.contains("IMAP: <strong>on</strong>"))
            #expect(page.body.contains("Yes: mail clients need an app password"))
        }
    }

    @Test func recentActivityInPlainWords() async throws {
        let lab = try PageLab()
        let admin = Actor.admin(osUser: "test")
        _ = try lab.store.setServices([.pop3: false], for: .accounts([AccountName(validating: "alice@example.com")]), by: admin, at: lab.clock.now)
        _ = try await lab.engine.decide(LoginRequest(user: "alice@example.com", secret: Secret(lab.alicePhone), service: .pop3,
                                                     address: IPAddress("198.51.100.7")!))
        _ = try await lab.engine.decide(LoginRequest(user: "alice@example.com", secret: Secret("a wrong one"), service: .imap,
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

    // MARK: Malformed requests

    @Test func malformedFormsGet400NeverA500() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let csrf = try #require(try await browser.get("/").csrf)
            let bodies: [(String, String)] = [
                ("csrf=\(csrf)&label=%zz", "application/x-www-form-urlencoded"),
                ("csrf=\(csrf)&label=a&label=b", "application/x-www-form-urlencoded"),
                ("csrf=\(csrf)&label=%FF%FE", "application/x-www-form-urlencoded"),
                (#"{"label":"x"}"#, "application/json"),
                ("csrf=\(csrf)&label=x", "text/plain"),
            ]
            for (body, type) in bodies {
                let page = try await browser.post("/passwords", raw: body, contentType: type)
                #expect(page.status == .badRequest, "\(body) as \(type)")
                #expect(page.body.contains("This form could not be read"))
                #expect(!page.body.contains(".."), "one full stop: \(body)")
            }
            #expect(try await browser.post("/passwords", raw: "csrf=\(csrf)&label=a&label=b").body.contains("The form sent the field label twice."))
            let huge = try await browser.post("/passwords", raw: "csrf=\(csrf)&label=" + String(repeating: "x", count: 100_000))
            #expect(huge.status == .contentTooLarge)
            for path in ["/sign-in", "/sign-out", "/passwords/1/rename"] {
                #expect(try await browser.post(path, raw: "%", contentType: "application/x-www-form-urlencoded").status == .badRequest, "\(path)")
            }
            let noFields = try await TestBrowser(client).post("/sign-in", raw: "")
            #expect(noFields.status == .forbidden)
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone"])
    }

    @Test func unknownRoutesAre404Pages() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            for path in ["/nowhere", "/passwords/1", "/static/other.css", "/passwords/1/rename/more"] {
                let page = try await browser.get(path)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.body.contains("Page not found"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
        }
    }

    @Test func theStyleSheetAndScriptAreServed() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let css = try await browser.get("/static/clientpass.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.body.contains("@media"))
            let script = try await browser.get("/static/clientpass.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("clipboard"))
        }
    }
}

@Suite struct MailServerTests {
    @Test(arguments: [
        ("mail.example.com:993", "mail.example.com", 993, MailServer.Security.tls),
        ("mail.example.com:587", "mail.example.com", 587, .starttls),
        ("mail.example.com:1143 starttls", "mail.example.com", 1143, .starttls),
        ("192.0.2.5:465", "192.0.2.5", 465, .tls),
        ("[2001:db8::5]:995 TLS", "2001:db8::5", 995, .tls),
    ])
    func parses(text: String, host: String, port: Int, security: MailServer.Security) throws {
        let server = try MailServer(parsing: text)
        #expect(server.host == host)
        #expect(server.port == port)
        #expect(server.security == security)
    }

    @Test(arguments: [
        ("mail.example.com", "is not HOST:PORT"),
        ("mail.example.com:0", "is not a port number"),
        ("mail.example.com:1143", "has no conventional security"),
        ("mail.example.com:993 ssl", "is not a connection security"),
        ("mail_server:993", "is not a host name"),
        ("mail.example.com:993 tls extra", "is not HOST:PORT"),
    ])
    func refuses(text: String, message: String) {
        #expect { try MailServer(parsing: text) } throws: { "\($0)".contains(message) }
    }
}
