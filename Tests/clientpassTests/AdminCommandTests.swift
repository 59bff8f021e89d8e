import ClientPassTestSupport
import Foundation
import GRDB
import Testing

/// The admin commands through the real binary.
@Suite struct AdminCommandTests {
    @Test func initMakesAPrivateStoreAndRefusesASecond() throws {
        let sandbox = try Sandbox()
        let created = try sandbox.run(["admin", "init", "--json"])
        expectSuccess(created)
        let json = try created.object()
        #expect(json["store"] as? String == sandbox.store)
        #expect(json["third_party_clients"] as? String == "blocked")
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.store)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: sandbox.folder + "/store")
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let again = try sandbox.run(["admin", "init"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("a store already exists"))
    }

    /// An audit entry written by an earlier version with a raw login name (terminal escapes, a
    /// new line, 10 kB) reaches the administrator's terminal and scripts escaped.
    @Test func theAuditTrailNeverReachesTheTerminalRaw() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2Jbob@example.com\nforged line " + String(repeating: "x", count: 10_000)
        let queue = try DatabaseQueue(path: sandbox.store)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_event (at, actor, account, action, detail, address, service, reason)
                    VALUES ('2026-11-30 09:00:00.000', 'clientpass', ?, 'login.denied', ?, '198.51.100.7', 'imap', 'unknown_account')
                    """, arguments: [hostile, "IMAP login of " + hostile])
        }
        try queue.close()
        let text = try sandbox.run(["admin", "audit"])
        expectSuccess(text)
        #expect(!text.stdout.contains("\u{1b}") && !text.stdout.contains("\u{7}") && !text.stdout.contains("forged line\n"))
        #expect(text.stdout.contains("\\u{1b}]0;owned"))
        #expect(text.stdout.split(separator: "\n").count == 1 + (try sandbox.run(["admin", "audit", "--json"]).array().count))
        #expect(text.stdout.utf8.count < 20_000)
        let json = try sandbox.run(["admin", "audit", "--json"])
        #expect(!json.stdout.contains("\u{1b}"))
        #expect(try json.array().first { $0["reason"] as? String == "unknown_account" }?["account"] as? String != hostile)
    }

    @Test func theStoreFlagWinsOverTheEnvironment() throws {
        let sandbox = try Sandbox()
        let other = sandbox.folder + "/other.sqlite"
        expectSuccess(try sandbox.run(["admin", "init", "--store", other]))
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: sandbox.store))
    }

    /// `--group mail`: a process running as another user in that group can use the store.
    @Test func aGroupStoreServesAnotherUserOfTheGroup() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let shared = sandbox.folder + "/shared/clientpass.sqlite"
        expectSuccess(try sandbox.run(["admin", "init", "--group", "mail", "--store", shared]))
        let attributes = try FileManager.default.attributesOfItem(atPath: shared)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
        #expect(attributes[.groupOwnerAccountName] as? String == "mail")
        let asMailUser = try runProcess(
            "/usr/bin/setpriv",
            [
                "--reuid=nobody", "--regid=mail", "--clear-groups", clientpassBinary.path,
                "admin", "department", "add", "Support", "--store", shared,
            ],
            stdin: nil, environment: ["PATH": "/usr/bin:/bin"], in: sandbox.folder)
        expectSuccess(asMailUser)
        // The private store of the first init is closed to that user, with a message saying so.
        let refused = try runProcess(
            "/usr/bin/setpriv",
            [
                "--reuid=nobody", "--regid=mail", "--clear-groups", clientpassBinary.path,
                "admin", "department", "list", "--store", sandbox.store,
            ],
            stdin: nil, environment: ["PATH": "/usr/bin:/bin"], in: sandbox.folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not writable by nobody"), "\(refused)")
    }

    @Test func unknownGroupIsAUsageErrorAndCreatesNothing() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["admin", "init", "--group", "no-such-group-here"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no group named \"no-such-group-here\""))
        #expect(!FileManager.default.fileExists(atPath: sandbox.folder + "/store"))
    }

    @Test func aMissingStoreNamesTheWayOut() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["admin", "account", "list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no store at \(sandbox.store): create one with `clientpass admin init"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.store))
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        try DatabaseQueue(path: sandbox.store).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 future')")
        }
        let result = try sandbox.run(["admin", "account", "list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("was written by a newer clientpass"))
    }

    @Test func accountsAreAddedListedShownAndRemoved() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "account", "add", "bob", "--password-stdin"], stdin: "another long password\n"))
        let list = try sandbox.run(["admin", "account", "list", "--json"]).array()
        #expect(list.map { $0["name"] as? String } == ["alice@example.com", "bob"])
        #expect(list[0]["department"] as? String == "Sales")
        #expect(list[1]["department"] is NSNull)
        #expect(list[0]["status"] as? String == "active")
        #expect((list[0]["services"] as? [String: Bool]) == ["imap": true, "pop3": true, "smtp": true])
        let sales = try sandbox.run(["admin", "account", "list", "--department", "sales", "--json"]).array()
        #expect(sales.map { $0["name"] as? String } == ["alice@example.com"])

        expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", "Outlook"]))
        let show = try sandbox.run(["admin", "account", "show", "ALICE@example.com", "--json"]).object()
        #expect((show["account"] as? [String: Any])?["app_passwords"] as? Int == 1)
        #expect((show["app_passwords"] as? [[String: Any]])?.first?["label"] as? String == "Outlook")
        let counted = try sandbox.run(["admin", "account", "list", "--json"]).array()
        #expect(counted.map { $0["app_passwords"] as? Int } == [1, 0])
        #expect((show["access"] as? [String: Any])?["third_party_clients"] as? String == "blocked")
        let text = try sandbox.run(["admin", "account", "show", "alice@example.com"])
        #expect(text.stdout.contains("Outlook"))

        let unconfirmed = try sandbox.run(["admin", "account", "remove", "alice@example.com"])
        #expect(unconfirmed.status == 64)
        #expect(unconfirmed.stderr.contains("this would remove alice@example.com and its 1 app password; add --yes to do it, or --dry-run to only show it"))
        let shown = try sandbox.run(["admin", "account", "remove", "alice@example.com", "--dry-run", "--json"]).object()
        #expect(shown["dry_run"] as? String == "remove alice@example.com and its 1 app password")
        let removed = try sandbox.run(["admin", "account", "remove", "alice@example.com", "--yes", "--json"]).object()
        #expect(removed["removed_app_passwords"] as? Int == 1)
        #expect(try sandbox.run(["admin", "account", "list", "--json"]).array().map { $0["name"] as? String } == ["bob"])
    }

    @Test(
        arguments: [
            (["admin", "account", "add", "alice smith", "--password-stdin"], "correct horse battery\n", 64, "cannot contain spaces"),
            (["admin", "account", "add", "ALICE@example.com", "--password-stdin"], "correct horse battery\n", 1, "already exists"),
            (["admin", "account", "add", "bob", "--department", "Sails", "--password-stdin"], "correct horse battery\n", 1, "did you mean \"Sales\"?"),
            (["admin", "account", "add", "bob", "--password-stdin"], "short\n", 64, "at least 8 characters"),
            (["admin", "account", "add", "bob", "--password-stdin"], "\n", 64, "standard input is empty"),
            (["admin", "account", "show", "bobby"], "", 1, "no account named \"bobby\""),
            (["admin", "account", "remove", "bobby", "--yes"], "", 1, "no account named \"bobby\""),
            (["admin", "department", "add", "sales"], "", 1, "already exists"),
            (["admin", "department", "add", ""], "", 64, "department name is empty"),
            (["admin", "department", "remove", "Sales"], "", 1, "still has 1 account"),
            (["admin", "department", "remove", "Marketing"], "", 1, "no department named \"Marketing\""),
            (["admin", "audit", "--limit", "0"], "", 64, "--limit"),
        ] as [([String], String, Int32, String)])
    func badAdminInputIsRefusedAndChangesNothing(arguments: [String], stdin: String, status: Int32, message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let before = try sandbox.run(["admin", "account", "list", "--json"]).stdout + sandbox.run(["admin", "department", "list", "--json"]).stdout
        let result = try sandbox.run(arguments, stdin: stdin)
        #expect(result.status == status, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        let after = try sandbox.run(["admin", "account", "list", "--json"]).stdout + sandbox.run(["admin", "department", "list", "--json"]).stdout
        #expect(after == before)
    }

    @Test func departmentsAreListedWithTheirAccounts() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "department", "add", "Support"]))
        let list = try sandbox.run(["admin", "department", "list", "--json"]).array()
        #expect(list.map { $0["name"] as? String } == ["Sales", "Support"])
        #expect(list.map { $0["accounts"] as? Int } == [1, 0])
        expectSuccess(try sandbox.run(["admin", "department", "remove", "support"]))
        #expect(try sandbox.run(["admin", "department", "list", "--json"]).array().count == 1)
    }

    /// The help desk's sheet for a scanner: the servers its password may use, the user name,
    /// the password, its limits and whom to ask, as text or as escaped HTML.
    @Test func aDeviceCardHasEverythingTheDeviceNeeds() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let environment = [
            "CLIENTPASS_IMAP_SERVER": "mail.example.com:993", "CLIENTPASS_SMTP_SERVER": "mail.example.com:587",
            "CLIENTPASS_HELP_DESK": "IT help desk, extension 4711",
        ]
        let text = try sandbox.run(
            [
                "admin", "password", "issue", "alice@example.com", "--label", "3rd floor scanner", "--protocols", "smtp",
                "--networks", "10.0.3.0/24", "--card", "text",
            ], environment: environment)
        expectSuccess(text)
        let password = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("Password") }?.split(separator: " ", maxSplits: 1).last)
            .trimmingCharacters(in: .whitespaces)
        #expect(password.count == 19, "four groups of four letters: \(text.stdout)")
        for line in [
            "Device       3rd floor scanner", "SMTP server  mail.example.com, port 587, STARTTLS", "User name    alice@example.com",
            "Works        SMTP only; from 10.0.3.0/24 only", "Questions    IT help desk, extension 4711",
        ] {
            #expect(text.stdout.contains(line), "\(line): \(text.stdout)")
        }
        #expect(!text.stdout.contains("IMAP server"), "the password may not read mail")
        let html = try sandbox.run(
            ["admin", "password", "issue", "alice@example.com", "--label", "Printer <2nd> & co", "--card", "html"],
            environment: environment)
        expectSuccess(html)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("Printer &lt;2nd&gt; &amp; co") && !html.stdout.contains("<2nd>"))
        #expect(html.stdout.contains("<th>IMAP server</th><td>mail.example.com, port 993, SSL/TLS</td>"))
        #expect(try sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", "X", "--card", "text", "--json"]).status == 64)
    }

    @Test func everyChangeIsAuditedWithItsActorAndNoSecret() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let generated = try sandbox.runAsAlice(["password", "generate", "--label", "Outlook", "--json"]).object()
        let password = try #require(generated["password"] as? String)
        expectSuccess(try sandbox.runAsAlice(["password", "revoke", "1"]))
        let audit = try sandbox.run(["admin", "audit", "--json"]).array()
        #expect(
            audit.map { $0["action"] as? String } == [
                "app_password.revoked", "self_service.signed_in", "app_password.created",
                "self_service.signed_in", "account.added", "department.added", "store.initialized",
            ])
        #expect(audit[0]["actor"] as? String == "alice@example.com")
        #expect(audit[0]["actor_kind"] as? String == "account")
        #expect(audit[0]["detail"] as? String == "app password 1 \"Outlook\" revoked")
        let subject = audit[0]["subject"] as? [String: Any]
        #expect(subject?["kind"] as? String == "app_password" && subject?["id"] as? Int == 1 && subject?["label"] as? String == "Outlook")
        #expect(audit[1]["context"] as? String == "command_line")
        #expect((audit[4]["actor"] as? String)?.hasPrefix("admin (") == true)
        #expect(audit[4]["actor_kind"] as? String == "admin")
        #expect(audit.allSatisfy { isRFC3339UTC($0["at"]) })
        let everything = try sandbox.run(["admin", "audit"]).stdout + audit.description
        #expect(!everything.contains(password))
        #expect(!everything.contains(alicePassword))
    }
}
