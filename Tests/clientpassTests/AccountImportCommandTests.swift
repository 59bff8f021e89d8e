import ClientPassTestSupport
import Foundation
import Testing

/// `admin account import` through the real binary: a file with a problem imports nothing and
/// says where; --skip-invalid imports the rest; weak hashes need --allow-weak and are flagged.
@Suite struct AccountImportCommandTests {
    static let sha512 = "{SHA512-CRYPT}$6$E1/6.Hm7GZ5Q3unV$EfAjxbrIUNJLjGC8MxTQZOa3y5n1yk0uQ964.kba0tOTVEk4p3arXg21NK10dg.i7zcFVe0ute3Jq9lDhC34O/"

    func accountNames(_ sandbox: Sandbox) throws -> [String] {
        try sandbox.run(["admin", "account", "list", "--json"]).array().compactMap { $0["name"] as? String }
    }

    /// A line split with the wrong separator holds the password where the name should be:
    /// neither the message on standard error nor `--json` shows it, in either format.
    @Test func aMalformedLineIsNeverEchoed() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        for (name, text) in [
            ("passwd", "bob@example.com {PLAIN}hunter2secret\ncarol@example.com;{PLAIN}hunter2secret\n"),
            ("list.csv", "bob@example.com;Sales;{PLAIN}hunter2secret\ncarol@example.com {PLAIN}hunter2secret\n"),
        ] {
            let file = sandbox.folder + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            for json in [false, true] {
                let refused = try sandbox.run(["admin", "account", "import", file, "--allow-weak"] + (json ? ["--json"] : []))
                #expect(refused.status == 65, "\(refused)")
                #expect(refused.stderr.contains("line 1: ") && refused.stderr.contains("line 2: "), "\(refused)")
                #expect(!(refused.stderr + refused.stdout).contains("hunter2"), "\(name): \(refused)")
            }
        }
    }

    @Test func aFileWithAProblemImportsNothingAndNamesTheLine() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let file = sandbox.folder + "/passwd"
        try """
        bob@example.com:\(Self.sha512)
        carol@example.com:{PLAIN-MD5}5f4dcc3b5aa765d61d8327deb882cf99
        dave@example.com:{PLAIN}dave-plain-words
        alice@example.com:\(Self.sha512)
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try sandbox.run(["admin", "account", "import", file])
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.stderr.contains("line 2 (carol@example.com): {PLAIN-MD5} is not a scheme clientpass checks"))
        #expect(refused.stderr.contains("line 3 (dave@example.com): a weak scheme ({PLAIN}): import it with --allow-weak"))
        #expect(refused.stderr.contains("line 4 (alice@example.com): an account named \"alice@example.com\" already exists"))
        #expect(refused.stderr.contains("Nothing was imported: 3 lines have problems"))
        #expect(!refused.stderr.contains("dave-plain-words") && !refused.stdout.contains("dave-plain-words"))
        #expect(try accountNames(sandbox) == ["alice@example.com"])

        let dryRun = try sandbox.run(["admin", "account", "import", file, "--skip-invalid", "--allow-weak", "--dry-run", "--json"])
        expectSuccess(dryRun)
        #expect((try dryRun.object()["would_import"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["bob@example.com", "dave@example.com"])
        #expect(try accountNames(sandbox) == ["alice@example.com"])

        let imported = try sandbox.run(["admin", "account", "import", file, "--skip-invalid", "--allow-weak", "--json"])
        expectSuccess(imported)
        let json = try imported.object()
        #expect((json["imported"] as? [[String: Any]])?.compactMap { $0["scheme"] as? String } == ["SHA512-CRYPT", "PLAIN"])
        #expect((json["problems"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [2, 4])
        #expect(try accountNames(sandbox) == ["alice@example.com", "bob@example.com", "dave@example.com"])

        // Weak until rehashed: flagged in the list, as text and as JSON.
        let list = try sandbox.run(["admin", "account", "list"])
        #expect(list.stdout.contains("weak password hash"))
        #expect(list.stdout.contains("1 account has a weak imported mailbox password hash"))
        let dave = try sandbox.run(["admin", "account", "list", "--json"]).array().first { $0["name"] as? String == "dave@example.com" }
        #expect(dave?["weak_mailbox_password_hash"] as? Bool == true)
        #expect(dave?["mailbox_password_scheme"] as? String == "PLAIN")
        #expect(dave?["source"] as? String == "imported")
        // docs/directory.md's migration step 3, on this store that blocks third-party clients:
        // a check through a first-party host, recording nothing, tells a right hash from a wrong one.
        expectSuccess(try sandbox.run(["admin", "first-party", "add", "10.0.5.20", "--note", "Roundcube"]))
        let check = ["check", "--dry-run", "--user", "dave@example.com", "--protocol", "imap", "--from", "192.0.2.10", "--via", "10.0.5.20"]
        let right = try sandbox.run(check, stdin: "dave-plain-words\n")
        #expect(right.status == 0 && right.stdout.hasPrefix("allow: mailbox password"), "\(right)")
        #expect(try sandbox.run(check, stdin: "not dave's\n").stdout.hasPrefix("deny: bad_credential"))
        #expect(try sandbox.run(check.filter { $0 != "--via" && $0 != "10.0.5.20" }, stdin: "dave-plain-words\n").stdout.hasPrefix("deny: third_party_blocked"))
        let sources = try sandbox.run(["admin", "account", "list", "--json"]).array().map { "\($0["name"] ?? "") \($0["source"] ?? "")" }
        #expect(sources.contains("alice@example.com local"), "\(sources)")
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("dave@example.com") && $0.contains(" imported ") }, "\(list.stdout)")
        // Importing the same file again adds nothing and changes nothing.
        let again = try sandbox.run(["admin", "account", "import", file, "--allow-weak"])
        #expect(again.status == 65)
        #expect(again.stderr.contains("line 1 (bob@example.com): an account named \"bob@example.com\" already exists"))
    }

    @Test func aCSVFileCreatesItsDepartments() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let file = sandbox.folder + "/accounts.csv"
        try "name,department,hash\nbob@example.com,Research,\(Self.sha512)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try sandbox.run(["admin", "account", "import", file])
        expectSuccess(imported)
        #expect(imported.stdout.contains("Imported 1 account. Created the department Research."))
        let bob = try sandbox.run(["admin", "account", "show", "bob@example.com", "--json"]).object()["account"] as? [String: Any]
        #expect(bob?["department"] as? String == "Research")
        #expect(bob?["mailbox_password_scheme"] as? String == "SHA512-CRYPT")
        #expect(bob?["weak_mailbox_password_hash"] as? Bool == false)
        let unreadable = try sandbox.run(["admin", "account", "import", sandbox.folder + "/missing.csv"])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.contains("no such file"))
    }
}
