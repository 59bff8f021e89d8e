import ClientPassEdge
import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The app passwords page: creating, renaming and revoking.
@Suite struct PasswordsPageTests {
    // MARK: Creating

    @Test func aNewPasswordIsShownOnceWithTheSettingsAndWorks() async throws {
        let lab = try PageLab()
        let created: String = try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let page = try await browser.post(
                "/passwords",
                [
                    ("csrf", home.csrf!), ("label", "Thunderbird"), ("imap", "on"), ("smtp", "on"),
                    ("networks", ""), ("expires", "90d"),
                ])
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-store")
            let password = try #require(page.newPassword)
            #expect(page.body.contains("will not be shown again"))
            #expect(
                page.body.contains(
                    "<h3>IMAP (incoming)</h3>\n<dl>\n<dt>Server</dt><dd class=\"host\">mail.example.com</dd>\n<dt>Port</dt><dd class=\"port\">993</dd>\n<dt>Security</dt><dd class=\"security\">SSL/TLS</dd>"
                ))
            #expect(
                page.body.contains(
                    "<h3>SMTP (outgoing)</h3>\n<dl>\n<dt>Server</dt><dd class=\"host\">mail.example.com</dd>\n<dt>Port</dt><dd class=\"port\">587</dd>\n<dt>Security</dt><dd class=\"security\">STARTTLS</dd>"
                ))
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

    /// The created page's QR code is the one-time link to the new password's Mail profile: a
    /// real decoder reads it; the link works once, for 10 minutes, while the password exists.
    @Test func theQRCodeLeadsOnceToTheMailProfile() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            func create(_ label: String) async throws -> (page: Page, path: String) {
                let home = try await browser.get("/")
                let page = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", label), ("expires", "")])
                let link = try #require(page.firstMatch(#"href="([^"]+)" id="setup-link""#))
                return (page, String(link[link.range(of: "/setup/")!.lowerBound...]))
            }
            let (page, path) = try await create("iPhone")
            let svg = try #require(page.firstMatch(#"<div class="qr" id="setup-qr">(<svg.*?</svg>)</div>"#))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try svg.write(toFile: folder + "/qr.svg", atomically: true, encoding: .utf8)
            let convert = Process()
            convert.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
            convert.arguments = ["-o", folder + "/qr.png", folder + "/qr.svg"]
            try convert.run(); convert.waitUntilExit()
            let decoder = Process()
            let output = Pipe()
            decoder.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
            decoder.arguments = ["--raw", "-q", folder + "/qr.png"]
            decoder.standardOutput = output
            try decoder.run(); decoder.waitUntilExit()
            let decoded = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(decoded.hasSuffix(path) && decoded.hasPrefix("http"), "\(decoded)")

            let profile = try await browser.get(path)
            #expect(profile.status == .ok)
            #expect(profile.headers[.contentType] == "application/x-apple-aspen-config")
            #expect(profile.body.contains("<string>com.apple.mail.managed</string>") && profile.body.contains("<string>alice@example.com</string>"))
            let password = try #require(page.newPassword).replacingOccurrences(of: " ", with: "")
            #expect(profile.body.contains("<string>\(password)</string>"))
            #expect(try await browser.get(path).status == .gone, "once")

            let (_, expiring) = try await create("iPad")
            let (_, revoked) = try await create("Mac")
            let passwords = try lab.manager.appPasswords(of: lab.alice)
            _ = try lab.manager.revokeAppPassword(passwords.last!.id, of: lab.alice, by: .account(lab.alice.name))
            #expect(try await browser.get(revoked).status == .gone, "after revocation")
            lab.clock.advance(minutes: 11)
            #expect(try await browser.get(expiring).status == .gone, "after 10 minutes")
            #expect(try await browser.get("/setup/not-a-token").status == .gone)
        }
    }

    /// Two nodes on one store: a set-up link made on one opens on the other, once across both.
    /// The store keeps neither the token nor the password: a digest, and the profile sealed.
    @Test func aSetUpLinkOpensOnceOnAnyNode() async throws {
        let lab = try PageLab()
        let second = try lab.secondNode()
        try await lab.app.test(.router) { first in
            let a = TestBrowser(first)
            try await a.signIn()
            let home = try await a.get("/")
            let page = try await a.post("/passwords", [("csrf", home.csrf!), ("label", "iPhone"), ("expires", "")])
            let link = try #require(page.firstMatch(#"href="([^"]+)" id="setup-link""#))
            let path = String(link[link.range(of: "/setup/")!.lowerBound...])
            let token = String(path.dropFirst("/setup/".count))
            let password = try #require(page.newPassword).replacingOccurrences(of: " ", with: "")
            let rows = try lab.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT digest, sealed_profile FROM setup_link") }
            #expect(rows.count == 1)
            let digest: String = rows[0]["digest"], sealed: Data = rows[0]["sealed_profile"]
            #expect(digest == RandomToken.storedDigest(of: token) && digest != token)
            #expect(sealed.range(of: Data(password.utf8)) == nil && sealed.range(of: Data("com.apple.mail.managed".utf8)) == nil)
            try await second.test(.router) { other in
                let b = TestBrowser(other)
                let profile = try await b.get(path)
                #expect(profile.status == .ok && profile.body.contains("<string>\(password)</string>"))
                #expect(try await b.get(path).status == .gone)
            }
            #expect(try await a.get(path).status == .gone, "once across both nodes")
            #expect(try await lab.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM setup_link") } == 0)
        }
    }

    /// The link names the public URL when one is set; else the host a trusted proxy forwards,
    /// else the request's own, and never a host that is not one.
    @Test(
        arguments: [
            (nil, ["X-Forwarded-Host": "mail.example.com", "X-Forwarded-Proto": "https"], true, "https://mail.example.com/setup/"),
            (nil, ["X-Forwarded-Host": "Mail.Example.com:8443, evil.example", "X-Forwarded-Proto": "https"], true, "https://evil.example/setup/"),
            (nil, ["X-Forwarded-Host": "mail.example.com", "X-Forwarded-Proto": "https"], false, "http://localhost/setup/"),
            (nil, ["X-Forwarded-Host": "mail.example.com/\"><script>", "X-Forwarded-Proto": "https"], true, "https://localhost/setup/"),
            (nil, ["X-Forwarded-Host": "[2001:db8::1]:8443", "X-Forwarded-Proto": "https"], true, "https://[2001:db8::1]:8443/setup/"),
            ("https://Portal.Example.com:8443/", ["X-Forwarded-Host": "mail.example.com"], true, "https://portal.example.com:8443/setup/"),
        ] as [(String?, [String: String], Bool, String)])
    func theSetUpLinkNamesThePublicAddress(publicURL: String?, headers: [String: String], trusted: Bool, expected: String) async throws {
        var configuration = PageConfiguration(
            mailServers: [
                .imap: MailServer(host: "mail.example.com", port: 993, security: .tls),
                .smtp: MailServer(host: "mail.example.com", port: 587, security: .starttls),
            ],
            trustedProxies: trusted ? [try IPNetwork(parsing: "127.0.0.1")] : [])
        configuration.publicURL = try publicURL.map(PublicURL.init(parsing:))
        let lab = try PageLab(page: configuration)
        try await lab.app.test(.router) { client in
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            let browser = TestBrowser(client, headers: fields)
            try await browser.signIn()
            let home = try await browser.get("/")
            let page = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "iPhone"), ("expires", "")])
            let link = try #require(page.firstMatch(#"href="([^"]+)" id="setup-link""#))
            #expect(link.hasPrefix(expected), "\(link)")
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
            let confirmed = try await browser.post("/passwords", [("csrf", csrf), ("label", "Laptop"), ("password", alicePassword)])
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
}
