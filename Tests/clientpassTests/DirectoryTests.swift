import ClientPassTestSupport
import Foundation
import GRDB
import Testing

/// Directory mode against a real slapd over StartTLS, with Dovecot asking clientpass through
/// checkpassword: sync (dry run, apply, no-op, a move, a removal and the mass-disable guard),
/// mailbox passwords by a bind as the user, a password changed in the directory, the directory
/// stopped (temporary failures for mailbox passwords, app passwords still allowed) and names
/// with LDAP's special characters.
@Suite(.enabled(if: TestTier.outsideServers, "needs slapd (make test)"), .serialized) struct DirectoryTests {
    func names(_ lab: MailLab) throws -> [String: [String: Any]] {
        var accounts: [String: [String: Any]] = [:]
        for account in try lab.sandbox.run(["admin", "account", "list", "--json"]).array() {
            accounts[account["name"] as? String ?? ""] = account
        }
        return accounts
    }

    func check(_ lab: MailLab, _ user: String, _ password: String) throws -> Int32 {
        try lab.sandbox.run(["check", "--user", user, "--protocol", "imap", "--from", "127.0.0.1"], stdin: password + "\n").status
    }

    @Test func syncAndMailboxPasswordsByBind() throws {
        let lab = try MailLab(lua: true)
        let slapd = try SlapdLab(in: lab.folder)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        // Settings: refused without StartTLS off loopback-only checks, then set.
        let clear = try lab.sandbox.run([
            "admin", "directory", "set", "--url", "ldap://dc1.example.com", "--bind-dn", slapd.serviceDN,
            "--bind-password-file", slapd.servicePasswordFile, "--base-dn", slapd.base,
        ])
        #expect(clear.status == 64 && clear.stderr.contains("clear text"), "\(clear)")
        expectSuccess(try lab.sandbox.run(slapd.setArguments))
        // The directory returns at most 3 entries to a plain search (ldapsearch exits 4, size
        // limit exceeded), and all 7 users to clientpass, which pages.
        let plainSearch = try runProcess(
            "/usr/bin/ldapsearch",
            [
                "-x", "-ZZ", "-H", slapd.url, "-D", slapd.serviceDN, "-w", "reader-password",
                "-b", slapd.base, "(objectClass=inetOrgPerson)", "uid",
            ],
            stdin: nil, environment: ["LDAPTLS_CACERT": slapd.authority.certificate], in: lab.folder)
        #expect(plainSearch.status == 4, "\(plainSearch)")
        let tested = try lab.sandbox.run(["admin", "directory", "test"])
        expectSuccess(tested)
        #expect(tested.stdout.contains("7 users under ou=people,dc=example,dc=com"), "\(tested)")
        // What failed, said: a certificate this host does not trust (no --ca-file), a base DN
        // that does not exist; neither is "cannot be reached".
        var noCA = slapd.setArguments
        if let index = noCA.firstIndex(of: "--ca-file") { noCA.removeSubrange(index...(index + 1)) }
        expectSuccess(try lab.sandbox.run(noCA))
        let untrusted = try lab.sandbox.run(["admin", "directory", "test"])
        #expect(
            untrusted.status == 1 && untrusted.stderr.contains("the TLS handshake with 127.0.0.1:") && untrusted.stderr.contains("--ca-file")
                && !untrusted.stderr.contains("cannot be reached"), "\(untrusted)")
        expectSuccess(try lab.sandbox.run(slapd.setArguments.map { $0 == slapd.base ? "ou=nobody,dc=example,dc=com" : $0 }))
        let missing = try lab.sandbox.run(["admin", "directory", "test"])
        #expect(
            missing.status == 1 && missing.stderr.contains("the base DN \"ou=nobody,dc=example,dc=com\" does not exist")
                && !missing.stderr.contains("cannot be reached"), "\(missing)")
        expectSuccess(try lab.sandbox.run(slapd.setArguments))

        // Dry run: what would change, and nothing changes.
        let dryRun = try lab.sandbox.run(["admin", "directory", "sync", "--dry-run", "--json"])
        expectSuccess(dryRun)
        let planned = try dryRun.object()
        #expect(
            (planned["added"] as? [String])?.sorted() == [
                "back\\slash@example.com", "bob@example.com", "josé.núñez@example.com",
                "paren)(name@example.com", "star*name@example.com",
            ])
        #expect(planned["linked"] as? [String] == ["alice@example.com"])
        #expect(try names(lab).count == 1)

        // Applied: carol (locked in the directory) is not added; alice is linked and moved.
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync"]))
        let accounts = try names(lab)
        #expect(accounts.count == 6)
        #expect(accounts["carol@example.com"] == nil)
        #expect(accounts["alice@example.com"]?["mailbox_password_scheme"] as? String == "DIRECTORY")
        #expect(accounts["alice@example.com"]?["source"] as? String == "directory")
        let table = try lab.sandbox.run(["admin", "account", "list"]).stdout
        #expect(
            table.contains("SOURCE") && table.split(separator: "\n").contains { $0.hasPrefix("alice@example.com") && $0.contains(" directory ") }, "\(table)")
        #expect(accounts["alice@example.com"]?["department"] as? String == "Sales")
        #expect(accounts["bob@example.com"]?["department"] as? String == "Support")
        let again = try lab.sandbox.run(["admin", "directory", "sync"])
        #expect(again.stdout.contains("In line with the directory"), "\(again)")

        // The mailbox password is the directory's, through Dovecot and through `check`.
        #expect(try lab.login("imap", password: "alice's directory password") == 0)
        #expect(try lab.login("imap", password: alicePassword) == 1)
        #expect(try lab.login("imap", user: "bob@example.com", password: "bob's directory password") == 0)
        #expect(try lab.login("pop3", user: "bob@example.com", password: "") == 1)
        // Names with LDAP's special characters and beyond ASCII are escaped, and so found.
        for user in SlapdLab.users where !user.locked && user.name != "alice@example.com" {
            #expect(try check(lab, user.name, user.password) == 0, "\(user.name)")
            #expect(try check(lab, user.name, "not the password") == 1, "\(user.name)")
        }
        // serve asks the directory too: the Lua passdb's /auth/decide, and the page's sign-in.
        #expect(try lab.loginThroughLua("imap", password: "alice's directory password") == 0)
        #expect(try lab.loginThroughLua("imap", password: alicePassword) == 1)
        let base = "http://127.0.0.1:\(lab.ports["serve"]!)"
        let page = try signInToPage(base, account: "alice@example.com", password: "alice's directory password", in: lab.folder)
        #expect(page.status == 0 && page.stdout.hasPrefix(base + "/\n"), "signed in, the list: \(page)")
        let refused = try signInToPage(base, account: "alice@example.com", password: alicePassword, in: lab.folder)
        #expect(!(refused.status == 0 && refused.stdout.hasPrefix(base + "/\n")), "the local password does not sign in: \(refused)")
        // The self-service commands sign in the same way.
        expectSuccess(
            try lab.sandbox.run(
                ["password", "list", "--user", "alice@example.com", "--password-stdin"],
                stdin: "alice's directory password\n"))

        // A password changed in the directory counts at the next login.
        try slapd.modify(
            ldif: """
                dn: \(SlapdLab.dn(of: "bob@example.com", ou: "Support"))
                changetype: modify
                replace: userPassword
                userPassword: bob's new password
                """)
        #expect(try lab.login("imap", user: "bob@example.com", password: "bob's directory password") == 1)
        #expect(try lab.login("imap", user: "bob@example.com", password: "bob's new password") == 0)

        // Moved between OUs: moved between departments.
        try slapd.modify(
            "/usr/bin/ldapmodrdn", ["-s", "ou=Sales,ou=people,dc=example,dc=com"],
            ldif: "\(SlapdLab.dn(of: "bob@example.com", ou: "Support"))\nuid=bob@example.com\n")
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync"]))
        #expect(try names(lab)["bob@example.com"]?["department"] as? String == "Sales")

        // Removed from the directory: over the share of accounts a sync may disable (1 of 6 is
        // 17 % > 10 %), so it stops and changes nothing until --yes.
        try slapd.modify("/usr/bin/ldapdelete", [SlapdLab.dn(of: "bob@example.com", ou: "Sales")])
        // A dry run exits as the sync would: 3, the plan shown, nothing changed.
        let stoppingDryRun = try lab.sandbox.run(["admin", "directory", "sync", "--dry-run"])
        #expect(
            stoppingDryRun.status == 3 && stoppingDryRun.stdout.contains("disable  bob@example.com (gone from the directory)")
                && stoppingDryRun.stderr.contains("A sync would stop here"), "\(stoppingDryRun)")
        let dryJSON = try lab.sandbox.run(["admin", "directory", "sync", "--dry-run", "--json"])
        #expect(dryJSON.status == 3)
        #expect(try dryJSON.object()["stopped"] as? Bool == true && dryJSON.object()["dry_run"] as? Bool == true, "\(dryJSON)")
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync", "--dry-run", "--yes"]))
        let stopped = try lab.sandbox.run(["admin", "directory", "sync"])
        #expect(stopped.status == 3, "\(stopped)")
        #expect(stopped.stderr.contains("disable  bob@example.com (gone from the directory)"))
        #expect(try names(lab)["bob@example.com"]?["status"] as? String == "active")
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync", "--yes"]))
        #expect(try names(lab)["bob@example.com"]?["status"] as? String == "disabled")
        #expect(try lab.login("imap", user: "bob@example.com", password: "bob's new password") == 1)

        // A secret shaped like an app password that opens none is never sent to the directory
        // (it must not count toward a directory lockout); another wrong password is.
        let aliceDN = SlapdLab.dn(of: "alice@example.com", ou: "Sales")
        let before = try slapd.binds(as: aliceDN)
        #expect(try check(lab, "alice@example.com", "abcd efgh ijkm nopq") == 1)
        #expect(try slapd.binds(as: aliceDN) == before)
        #expect(try check(lab, "alice@example.com", "not the password") == 1)
        #expect(try slapd.binds(as: aliceDN) == before + 1)

        // The directory stopped: mailbox passwords get a temporary failure, app passwords work.
        let issued = try lab.sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", "Phone", "--json"])
        let phone = try #require(try issued.object()["password"] as? String)
        slapd.stop()
        let explained = try lab.sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "imap", "--from", "127.0.0.1"])
        #expect(explained.stdout.contains("Mailbox password: checked by the directory"), "\(explained)")
        #expect(explained.stdout.contains("app passwords keep working"))
        #expect(try check(lab, "alice@example.com", "alice's directory password") == 75)
        #expect(try check(lab, "alice@example.com", phone) == 0)
        #expect(try lab.login("imap", password: phone) == 0)
        #expect(try lab.login("imap", password: "alice's directory password") != 0)
        let log = try String(contentsOfFile: lab.folder + "/dovecot.log", encoding: .utf8)
        #expect(log.contains("temporary failure: the directory cannot be reached"), "checkpassword answered 111")
        // /healthz stays 200 (app passwords are decided) and says the directory is unavailable,
        // as does clientpass_component_up; what failed goes to serve's log only.
        let token = lab.folder + "/metrics-token"
        try "metrics-token-0123456789abcdef\n".write(toFile: token, atomically: true, encoding: .utf8)
        chmod(token, 0o600)
        let closed = try MailLab.freePorts(["closed"])["closed"]!
        let node = try ServeProcess(
            sandbox: lab.sandbox,
            arguments: [
                "--metrics-token-file", token, "--imap-backend", "127.0.0.1:\(lab.ports["lua-imap"]!)",
                "--pop3-backend", "127.0.0.1:\(closed)",
            ])
        let health = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys, urllib.error, urllib.request
                port = sys.argv[1]
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=20)
                request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": "Bearer metrics-token-0123456789abcdef"})
                metrics = urllib.request.urlopen(request, timeout=20).read().decode()
                print(json.dumps({"status": answer.status, "body": answer.read().decode(),
                                  "up": [line for line in metrics.splitlines() if line.startswith("clientpass_component_up")]}))
                """, String(node.port),
            ], stdin: nil, environment: [:], in: lab.folder
        ).object()
        #expect(health["status"] as? Int == 200)
        #expect(health["body"] as? String == "store: ok\ndirectory: unavailable\nimap_backend: ok\npop3_backend: unavailable\n", "\(health)")
        let up = Set(health["up"] as? [String] ?? [])
        #expect(
            up.isSuperset(of: [
                "clientpass_component_up{component=\"store\"} 1.0", "clientpass_component_up{component=\"directory\"} 0.0",
                "clientpass_component_up{component=\"imap_backend\"} 1.0", "clientpass_component_up{component=\"pop3_backend\"} 0.0",
            ]), "\(up)")
        let nodeLog = try String(contentsOfFile: lab.sandbox.folder + "/serve.log", encoding: .utf8)
        #expect(nodeLog.contains("health check: directory unavailable: the directory cannot be reached: nothing answers at"), "\(nodeLog.suffix(1500))")
        node.stop()
        try slapd.start()
        #expect(try lab.login("imap", password: "alice's directory password") == 0)
    }

    /// A name no account has costs the directory's round trips a wrong directory password
    /// costs (a search and a refused bind, as an entry that does not exist), so that the time
    /// does not tell which names exist; a secret shaped like an app password costs neither. A
    /// list of URLs stored by an earlier version with a clear-text URL in it is not used.
    @Test func unknownNamesCostTheDirectoryRoundTripsAndStoredListsAreChecked() throws {
        let lab = try MailLab()
        let slapd = try SlapdLab(in: lab.folder)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(try lab.sandbox.run(slapd.setArguments))
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync"]))
        let aliceDN = SlapdLab.dn(of: "alice@example.com", ou: "Sales")
        func nobodyBinds() throws -> Int {
            var count = 0
            for file in try FileManager.default.contentsOfDirectory(atPath: slapd.folder) where file.hasPrefix("slapd-") && file.hasSuffix(".log") {
                count +=
                    try String(contentsOfFile: slapd.folder + "/" + file, encoding: .utf8).components(separatedBy: "BIND dn=\"cn=clientpass-nobody-").count - 1
            }
            return count
        }
        let (aliceBefore, nobodyBefore) = (try slapd.binds(as: aliceDN), try nobodyBinds())
        #expect(try check(lab, "alice@example.com", "not the password") == 1)
        #expect(try check(lab, "nobody@example.com", "not the password") == 1)
        #expect(try slapd.binds(as: aliceDN) == aliceBefore + 1)
        #expect(try nobodyBinds() == nobodyBefore + 1, "an unknown name made the directory's round trips too")
        #expect(try check(lab, "nobody@example.com", "abcd efgh ijkm nopq") == 1)
        #expect(try nobodyBinds() == nobodyBefore + 1, "an app-password-shaped secret goes to the directory for nobody")

        // 0.12.1 accepted a list with a clear-text URL in it, and libldap fails over along it.
        try DatabaseQueue(path: lab.sandbox.store).write { db in
            let text = try #require(try String.fetchOne(db, sql: "SELECT settings FROM directory_settings WHERE id = 1"))
            var settings = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            settings["url"] = "\(slapd.url),ldap://192.0.2.1"
            settings["startTLS"] = false
            let changed = String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self)
            try db.execute(sql: "UPDATE directory_settings SET settings = ? WHERE id = 1", arguments: [changed])
        }
        let before = try slapd.binds(as: aliceDN)
        #expect(try check(lab, "alice@example.com", "alice's directory password") == 75, "a temporary failure, never a clear-text bind")
        #expect(try slapd.binds(as: aliceDN) == before)
    }

    /// A new hire added to the directory after the last sync gets in at once: the first mail
    /// login (through Dovecot) or sign-in to the page with the directory password makes the
    /// account, as the sync would, audited. A wrong password, a locked entry, an entry outside
    /// the filter and a dry run make none.
    @Test func aNewHireGetsInBeforeTheNextSync() throws {
        let lab = try MailLab()
        let slapd = try SlapdLab(in: lab.folder)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(try lab.sandbox.run(slapd.setArguments))
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync"]))
        func entry(_ name: String, locked: Bool = false) -> String {
            [
                "dn: \(SlapdLab.dn(of: name, ou: "Support"))", "objectClass: inetOrgPerson", "uid: \(name)", "cn: \(name)", "sn: user",
                "userPassword: \(name)'s directory password",
            ].joined(separator: "\n") + (locked ? "\npwdAccountLockedTime: 000001010000Z" : "")
        }
        // frank is no inetOrgPerson: outside the filter the sync uses.
        let frank = [
            "dn: \(SlapdLab.dn(of: "frank@example.com", ou: "Support"))", "objectClass: account", "objectClass: simpleSecurityObject",
            "uid: frank@example.com", "userPassword: frank@example.com's directory password",
        ].joined(separator: "\n")
        try slapd.modify(
            "/usr/bin/ldapadd",
            ldif: [
                entry("dave@example.com"), entry("gina@example.com"), entry("hank@example.com"),
                entry("eve@example.com", locked: true), frank,
            ].joined(separator: "\n\n") + "\n")

        #expect(try lab.login("imap", user: "dave@example.com", password: "not dave's password") == 1)
        #expect(try names(lab)["dave@example.com"] == nil, "a wrong password makes no account")
        #expect(try lab.login("imap", user: "dave@example.com", password: "dave@example.com's directory password") == 0)
        let dave = try #require(try names(lab)["dave@example.com"])
        #expect(dave["department"] as? String == "Support" && dave["source"] as? String == "directory" && dave["status"] as? String == "active", "\(dave)")
        let audit = try lab.sandbox.run(["admin", "audit", "--account", "dave@example.com", "--json"]).array()
        #expect(
            audit.contains { $0["action"] as? String == "account.added" && ($0["note"] as? String)?.contains("first sign-in or login") == true },
            "\(audit)")
        #expect(try lab.login("imap", user: "dave@example.com", password: "dave@example.com's directory password") == 0, "and the account works on")

        for name in ["eve@example.com", "frank@example.com"] {
            #expect(try lab.login("imap", user: name, password: "\(name)'s directory password") == 1, "\(name)")
            #expect(try names(lab)[name] == nil, "\(name): locked, or outside the filter")
        }
        let dryRun = try lab.sandbox.run(
            ["check", "--dry-run", "--user", "hank@example.com", "--protocol", "imap", "--from", "127.0.0.1"],
            stdin: "hank@example.com's directory password\n")
        #expect(dryRun.status == 1, "\(dryRun)")
        #expect(try names(lab)["hank@example.com"] == nil, "a dry run makes no account")

        // The page, through serve.
        let serve = try ServeProcess(sandbox: lab.sandbox)
        let signedIn = try signInToPage(
            "http://127.0.0.1:\(serve.port)", account: "gina@example.com", password: "gina@example.com's directory password",
            in: lab.folder)
        #expect(signedIn.stdout.hasPrefix("http://127.0.0.1:\(serve.port)/\n") && signedIn.stdout.contains("gina@example.com"), "\(signedIn)")
        #expect(try names(lab)["gina@example.com"]?["source"] as? String == "directory")
    }

    /// A user locked in the directory cannot log in with the mailbox password, whatever the
    /// local account says; a name that would be a filter is only a name.
    @Test func lockedUsersAndFilterInjection() throws {
        let lab = try MailLab()
        let slapd = try SlapdLab(in: lab.folder)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        // Departments from an attribute this time.
        expectSuccess(try lab.sandbox.run(slapd.setArguments(department: ["--department-attribute", "departmentNumber"])))
        // carol exists locally (added before the directory), so the sync links her and, since
        // the directory has her locked, disables her: 1 of the 2 accounts it manages, so --yes.
        expectSuccess(try lab.sandbox.run(["admin", "account", "add", "carol@example.com", "--password-stdin"], stdin: "carol's local password\n"))
        expectSuccess(try lab.sandbox.run(["admin", "directory", "sync", "--yes"]))
        #expect(try names(lab)["carol@example.com"]?["status"] as? String == "disabled")
        #expect(try names(lab)["bob@example.com"]?["department"] as? String == "Support team")
        // Enabled by an administrator, she still cannot: the directory refuses the bind.
        expectSuccess(try lab.sandbox.run(["admin", "account", "enable", "carol@example.com"]))
        #expect(try check(lab, "carol@example.com", "carol's directory password") == 1)
        #expect(try check(lab, "carol@example.com", "carol's local password") == 1)
        // A typed name that would be a filter names no account: refused, the directory never asked.
        for name in ["*", "star*@example.com", "*)(uid=*", "alice@example.com)(uid=*", "back\\5cslash@example.com"] {
            #expect(try check(lab, name, "alice's directory password") == 1, "\(name)")
        }
    }
}
