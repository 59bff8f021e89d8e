import ClientPassTestSupport
@testable import ClientPassCore
@testable import ClientPassEdge
@testable import ClientPassWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The help desk's page: device passwords for any account, with the device card to print; for
/// members of the help desk only.
@Suite struct DevicesPageTests {
    func makeBobHelpDesk(_ lab: PageLab) throws {
        let bob = try lab.manager.account(named: "bob@example.com")
        #expect(try lab.manager.setHelpDesk(of: bob, to: true, by: .admin(osUser: "root")))
    }

    func smtpAllows(_ lab: PageLab, _ user: String, _ secret: String, from address: String) async throws -> Bool {
        if case .allow = try await lab.engine.decide(LoginRequest(user: user, secret: Secret(secret), service: .smtp, address: IPAddress(address)!)) {
            return true
        }
        return false
    }

    @Test func aMemberOfTheHelpDeskIssuesADevicePasswordAndItsCard() async throws {
        var page = PageConfiguration(mailServers: [
            .imap: MailServer(host: "mail.example.com", port: 993, security: .tls),
            .smtp: MailServer(host: "smtp.example.com", port: 587, security: .starttls),
        ])
        page.helpDesk = "IT help desk, extension 4711"
        let lab = try PageLab(page: page)
        try makeBobHelpDesk(lab)
        let password: String = try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn("bob@example.com", bobPassword)
            let home = try await browser.get("/")
            #expect(home.body.contains("<a href=\"/devices\">Devices</a>"))
            let form = try await browser.get("/devices")
            #expect(form.status == .ok)
            #expect(form.body.contains("<input type=\"checkbox\" name=\"smtp\" checked> SMTP"), "a new form asks for SMTP alone")
            #expect(!form.body.contains("name=\"imap\" checked"))
            let card = try await browser.post(
                "/devices",
                [
                    ("csrf", form.csrf!), ("account", "alice@example.com"), ("label", "Scanner <3rd floor>"),
                    ("smtp", "on"), ("networks", "10.0.3.0/24"), ("expires", ""),
                ])
            #expect(card.status == .ok)
            #expect(card.headers[.cacheControl] == "no-store")
            #expect(card.body.contains("<h1 id=\"card-title\">Mail settings for a device</h1>"))
            #expect(card.body.contains("<tr><th scope=\"row\">Device</th><td>Scanner &lt;3rd floor&gt;</td></tr>"), "the label is escaped")
            #expect(card.body.contains("<tr><th scope=\"row\">SMTP server</th><td>smtp.example.com, port 587, STARTTLS</td></tr>"))
            #expect(!card.body.contains("IMAP server"), "only the servers the password may use")
            #expect(card.body.contains("<tr><th scope=\"row\">User name</th><td>alice@example.com</td></tr>"))
            #expect(card.body.contains("<tr><th scope=\"row\">Works</th><td>SMTP only; from 10.0.3.0/24 only</td></tr>"))
            #expect(card.body.contains("<tr><th scope=\"row\">Questions</th><td>IT help desk, extension 4711</td></tr>"))
            #expect(card.body.contains("data-print"))
            return try #require(card.firstMatch(#"<td id="new-password" class="secret">([a-z ]+)</td>"#))
        }
        #expect(try await smtpAllows(lab, "alice@example.com", password, from: "10.0.3.9"), "the card's password sends mail from the device's network")
        #expect(try await !smtpAllows(lab, "alice@example.com", password, from: "198.51.100.7"), "and from nowhere else")
        #expect(try await !lab.imapAllows("alice@example.com", password, from: "10.0.3.9"), "nor reads mail")
        let issued = try #require(try lab.manager.appPasswords(of: lab.alice).first { $0.label == "Scanner <3rd floor>" })
        #expect(issued.issuedBy == "bob@example.com" && issued.limits.protocols == [.smtp])
        let event = try #require(try lab.manager.auditEvents(about: "alice@example.com", limit: 10).first { $0.kind == .appPasswordCreated })
        #expect(event.actor == .account("bob@example.com") && event.context == .helpDesk)
        // Alice sees who made it.
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let activity = try await browser.get("/activity")
            #expect(activity.body.contains("The help desk (bob@example.com) created app password"), "\(activity.body)")
            #expect(!activity.body.contains("<a href=\"/devices\">"), "alice is not in the help desk")
        }
    }

    @Test func everyoneElseIsRefusedAndNothingIsMade() async throws {
        let lab = try PageLab()
        let before = try lab.manager.appPasswords(of: lab.alice).count
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn("bob@example.com", bobPassword)
            let home = try await browser.get("/")
            #expect(!home.body.contains("/devices"), "no Devices in the navigation")
            #expect(try await browser.get("/devices").status == .forbidden)
            let refused = try await browser.post(
                "/devices",
                [
                    ("csrf", home.csrf!), ("account", "alice@example.com"), ("label", "Scanner"),
                    ("smtp", "on"), ("expires", ""),
                ])
            #expect(refused.status == .forbidden && refused.body.contains("For the help desk only"))
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).count == before)
    }

    /// Taken out of the help desk while the form is open: the next POST is refused, and the
    /// store refuses an issue whose member lost membership after it was read.
    @Test func leavingTheHelpDeskEndsItAtOnce() async throws {
        let lab = try PageLab()
        try makeBobHelpDesk(lab)
        let staleBob = try lab.manager.account(named: "bob@example.com")
        let before = try lab.manager.appPasswords(of: lab.alice).count
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn("bob@example.com", bobPassword)
            let form = try await browser.get("/devices")
            #expect(try lab.manager.setHelpDesk(of: staleBob, to: false, by: .admin(osUser: "root")))
            let refused = try await browser.post(
                "/devices",
                [
                    ("csrf", form.csrf!), ("account", "alice@example.com"), ("label", "Scanner"),
                    ("smtp", "on"), ("expires", ""),
                ])
            #expect(refused.status == .forbidden)
        }
        #expect(staleBob.isHelpDesk, "the account as read before")
        #expect {
            _ = try lab.manager.issueDevicePassword(for: lab.alice, label: try Label(validating: "Printer"), limits: .none, byHelpDeskMember: staleBob)
        } throws: { error in
            (error as? CredentialError)?.kind == .notHelpDesk
        }
        // A disabled member is no help desk either.
        #expect(try lab.manager.setHelpDesk(of: staleBob, to: true, by: .admin(osUser: "root")))
        _ = try lab.manager.setStatus(.disabled, of: staleBob, by: .admin(osUser: "root"))
        #expect(throws: CredentialError.self) {
            _ = try lab.manager.issueDevicePassword(for: lab.alice, label: try Label(validating: "Printer"), limits: .none, byHelpDeskMember: staleBob)
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).count == before)
    }

    @Test(arguments: [
        (
            [("account", "alice@exampel.com"), ("label", "Scanner")], HTTPResponse.Status.notFound,
            "There is no account “alice@exampel.com”. Did you mean “alice@example.com”?"
        ),
        ([("account", ""), ("label", "Scanner")], .badRequest, "Give the account the device logs in as."),
        ([("account", "alice@example.com"), ("label", "")], .badRequest, "The label is empty"),
        ([("account", "alice@example.com"), ("label", "Scanner"), ("networks", "the office")], .badRequest, "the office"),
        ([("account", "alice@example.com"), ("label", "Scanner"), ("expires", "1000y")], .badRequest, "Choose when the password expires"),
    ])
    func badInputIsExplainedAndChangesNothing(fields: [(String, String)], status: HTTPResponse.Status, message: String) async throws {
        let lab = try PageLab()
        try makeBobHelpDesk(lab)
        let before = try lab.manager.appPasswords(of: lab.alice).count
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn("bob@example.com", bobPassword)
            let form = try await browser.get("/devices")
            var sent = [("csrf", form.csrf!), ("smtp", "on")] + fields
            if !fields.contains(where: { $0.0 == "expires" }) { sent.append(("expires", "")) }
            let refused = try await browser.post("/devices", sent)
            #expect(refused.status == status)
            #expect(refused.error?.contains(message) == true, "\(refused.error ?? "no error")")
            #expect(refused.body.contains("value=\"\(fields[0].1)\""), "the form keeps what was typed")
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).count == before)
    }

    @Test func anOlderSignInConfirmsTheMailboxPasswordFirst() async throws {
        let lab = try PageLab()
        try makeBobHelpDesk(lab)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn("bob@example.com", bobPassword)
            lab.clock.advance(minutes: 6)
            let form = try await browser.get("/devices")
            #expect(form.body.contains("id=\"confirm-password\""))
            let fields = [("csrf", form.csrf!), ("account", "alice@example.com"), ("label", "Printer"), ("smtp", "on"), ("expires", "")]
            let unconfirmed = try await browser.post("/devices", fields)
            #expect(unconfirmed.status == .unauthorized && unconfirmed.error == "Confirm your mailbox password to create a device password.")
            let wrong = try await browser.post("/devices", fields + [("password", alicePassword)])
            #expect(wrong.status == .unauthorized && wrong.error == "That is not your mailbox password. Nothing was created.")
            let confirmed = try await browser.post("/devices", fields + [("password", bobPassword)])
            #expect(confirmed.status == .ok && confirmed.body.contains("Mail settings for a device"))
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).filter { $0.label == "Printer" }.count == 1)
    }
}
