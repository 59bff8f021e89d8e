import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// "Your access".
@Suite struct AccessPageTests {
    @Test func yourAccessTellsWhetherThisAddressMayUseMailClients() async throws {
        let lab = try PageLab()
        let admin = AuditActor.admin(osUser: "test")
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
            #expect(page.body.contains("None is set up here."))
        }
        try lab.store.addFirstPartyHost(try IPNetwork(parsing: "10.0.5.20"), note: "Roundcube", by: admin, at: lab.clock.now)
        try lab.store.addFirstPartyHost(try IPNetwork(parsing: "10.0.5.21"), note: "Z-Push", by: admin, at: lab.clock.now)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let page = try await browser.get("/access")
            #expect(
                page.body.contains(
                    "They always work with your mailbox password (Roundcube, Z-Push), whatever the rules for mail clients; an app password does not work there."
                ))
        }
    }
}
