import ClientPassCore
import ClientPassTestSupport
import Foundation
import Testing

/// `check`, `explain` and the policy and help-desk commands through the real binary.
@Suite struct DecisionCommandTests {
    func check(
        _ sandbox: Sandbox, _ secret: String, user: String = "alice@example.com", protocol service: String = "imap",
        from address: String = "198.51.100.7"
    ) throws -> RunResult {
        try sandbox.run(["check", "--user", user, "--protocol", service, "--from", address, "--json"], stdin: secret + "\n")
    }

    @Test func checkFollowsThePolicyAsItChanges() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        var result = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7"], stdin: alicePassword + "\n")
        #expect(result.status == 1)
        #expect(result.stdout == "deny: third_party_blocked — third-party clients are blocked and 198.51.100.7 is in no secure network (none are set)\n")

        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        result = try check(sandbox, alicePassword)
        #expect(result.status == 0)
        let allowed = try result.object()
        #expect(allowed["decision"] as? String == "allow")
        #expect(allowed["reason"] is NSNull)
        #expect((allowed["credential"] as? [String: Any])?["kind"] as? String == "mailbox_password")

        expectSuccess(try sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "all"]))
        let denied = try check(sandbox, alicePassword).object()
        #expect(denied["decision"] as? String == "deny")
        #expect(denied["reason"] as? String == "secure_password_required")
        #expect(denied["credential"] is NSNull)

        let issued = try sandbox.run([
            "admin", "password", "issue", "alice@example.com", "--label", "Scanner", "--protocols", "smtp",
            "--networks", "10.0.3.0/24", "--json",
        ]).object()
        let scanner = try #require(issued["password"] as? String)
        let ok = try check(sandbox, scanner, protocol: "smtp", from: "10.0.3.40")
        #expect(ok.status == 0)
        let credential = try #require(try ok.object()["credential"] as? [String: Any])
        #expect(credential["kind"] as? String == "app_password")
        #expect(credential["id"] as? Int == 1)
        #expect(credential["label"] as? String == "Scanner")
        #expect(try check(sandbox, scanner, protocol: "imap", from: "10.0.3.40").object()["reason"] as? String == "credential_scope")
        #expect(try check(sandbox, scanner, protocol: "smtp", from: "10.0.4.40").object()["reason"] as? String == "credential_scope")
        let text = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "smtp", "--from", "10.0.3.40"], stdin: scanner + "\n")
        #expect(text.stdout == "allow: app password 1 \"Scanner\"\n")

        expectSuccess(try sandbox.run(["admin", "services", "set", "alice@example.com", "--smtp", "off"]))
        #expect(try check(sandbox, scanner, protocol: "smtp", from: "10.0.3.40").object()["reason"] as? String == "service_disabled")
        expectSuccess(try sandbox.run(["admin", "account", "disable", "alice@example.com"]))
        #expect(try check(sandbox, scanner, protocol: "smtp", from: "10.0.3.40").object()["reason"] as? String == "account_disabled")
    }

    @Test func checkRefusesBadRequests() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let badAddress = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "1.2.3.999"], stdin: "x\n")
        #expect(badAddress.status == 64)
        #expect(badAddress.stderr.contains("is not an IPv4 or IPv6 address"))
        let noSecret = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "1.2.3.4"], stdin: "")
        #expect(noSecret.status == 64)
        let missing = try sandbox.run(
            ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "1.2.3.4", "--store", sandbox.folder + "/none.sqlite"], stdin: "x\n")
        #expect(missing.status == 75)
        #expect(missing.stdout.isEmpty)
        // The command line adds the command to run to the core's "no store at …".
        let listing = try sandbox.run(["admin", "account", "list", "--store", sandbox.folder + "/none.sqlite"])
        #expect(listing.status == 1)
        #expect(listing.stderr.contains("no store at \(sandbox.folder)/none.sqlite: create one with `clientpass admin init --store"))
    }

    @Test func explainShowsEveryRule() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "network", "add", "10.0.3.0/24", "--note", "Office"]))
        let blocked = try sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "pop3", "--from", "198.51.100.7", "--json"]).object()
        #expect(blocked["result"] as? String == "deny")
        #expect(blocked["reason"] as? String == "third_party_blocked")
        let steps = try #require(blocked["steps"] as? [[String: Any]])
        #expect(steps.map { $0["rule"] as? String } == ["throttling", "account", "status", "service", "network", "secure password", "credentials"])
        let office = try sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "pop3", "--from", "::ffff:10.0.3.5"])
        expectSuccess(office)
        #expect(office.stdout.contains("in the secure network 10.0.3.0/24 (Office)"))
        #expect(office.stdout.contains("Result: a login succeeds with mailbox password."))
        let mailbox = try sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "pop3", "--from", "10.0.3.5", "--mailbox-password", "--json"])
            .object()
        #expect(mailbox["usable_credentials"] as? [String] == ["mailbox password"])
        let noSuch = try sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "pop3", "--from", "10.0.3.5", "--app-password", "9"])
        #expect(noSuch.status == 1)
        #expect(noSuch.stderr.contains("alice@example.com has no app password 9 (it has none)"))
        #expect(
            try sandbox.run(["explain", "--user", "alice@example.com", "--protocol", "pop3", "--from", "10.0.3.5", "--app-password", "1", "--mailbox-password"])
                .status == 64)
    }

    @Test func firstPartyHostsAreListedShownAndDecideThroughVia() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        #expect(try sandbox.run(["admin", "first-party", "add", "10.0.5.7/24"]).stderr.contains("did you mean 10.0.5.0/24?"))
        expectSuccess(try sandbox.run(["admin", "first-party", "add", "10.0.5.20", "--note", "Roundcube"]))
        #expect(try sandbox.run(["admin", "first-party", "add", "10.0.5.20"]).status == 1)
        let list = try sandbox.run(["admin", "first-party", "list", "--json"]).array()
        #expect(list.map { $0["network"] as? String } == ["10.0.5.20"] && list.first?["note"] as? String == "Roundcube")
        let policy = try sandbox.run(["admin", "policy", "show", "--json"]).object()
        #expect((policy["first_party_hosts"] as? [[String: Any]])?.first?["note"] as? String == "Roundcube")
        #expect(try sandbox.run(["admin", "policy", "show"]).stdout.contains("First-party hosts:        10.0.5.20 (Roundcube)"))

        // Blocked by default: directly refused, through the webmail allowed.
        let direct = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7"], stdin: alicePassword + "\n")
        #expect(direct.status == 1)
        let webmail = try sandbox.run(
            ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7", "--via", "10.0.5.20"],
            stdin: alicePassword + "\n")
        #expect(webmail.status == 0 && webmail.stdout == "allow: mailbox password\n", "\(webmail)")
        let app = try #require(
            try sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", "Phone", "--json"]).object()["password"] as? String)
        let appThroughWebmail = try sandbox.run(
            ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7", "--via", "10.0.5.20"],
            stdin: app + "\n")
        #expect(appThroughWebmail.status == 1 && appThroughWebmail.stdout.hasPrefix("deny: app_password_first_party"), "\(appThroughWebmail)")
        let explained = try sandbox.run([
            "explain", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7", "--via", "10.0.5.20", "--json",
        ]).object()
        let steps = try #require(explained["steps"] as? [[String: Any]])
        #expect(
            steps.map { $0["rule"] as? String } == ["throttling", "account", "status", "service", "network", "secure password", "first party", "credentials"])
        #expect(steps.first { $0["rule"] as? String == "first party" }?["outcome"] as? String == "partial")
        #expect(explained["usable_credentials"] as? [String] == ["mailbox password"])

        expectSuccess(try sandbox.run(["admin", "first-party", "remove", "10.0.5.20"]))
        #expect(try sandbox.run(["admin", "first-party", "remove", "10.0.5.20"]).stderr.contains("is not a first-party host (there are none)"))
        #expect(
            try sandbox.run(
                ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7", "--via", "10.0.5.20"],
                stdin: alicePassword + "\n"
            ).status == 1)
    }

    /// The help desk's checks: `--dry-run` records nothing; a recorded check is marked in the
    /// audit trail. Also the version, a department move and enforcement changed in place.
    @Test func helpDeskPapercuts() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let version = try sandbox.run(["--version"])
        #expect(version.status == 0 && version.stdout == "\(ClientPassVersion.current)\n")

        let before = try sandbox.run(["admin", "audit", "--json"]).array().count
        for _ in 0..<12 {
            let dry = try sandbox.run(
                ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7", "--dry-run"], stdin: "a wrong guess\n")
            #expect(dry.status == 1 && dry.stdout.hasPrefix("deny: third_party_blocked"))
        }
        #expect(try sandbox.run(["admin", "audit", "--json"]).array().count == before, "a dry run records nothing, and throttles no one")
        let real = try sandbox.run(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "198.51.100.7"], stdin: "a wrong guess\n")
        #expect(real.stdout.hasPrefix("deny: third_party_blocked"), "not throttled by the dry runs")
        let entry = try #require(try sandbox.run(["admin", "audit", "--json", "--limit", "1"]).array().first)
        #expect(entry["context"] as? String == "check")
        #expect((entry["detail"] as? String)?.contains("(clientpass check)") == true)

        expectSuccess(try sandbox.run(["admin", "department", "add", "Support"]))
        let moved = try sandbox.run(["admin", "account", "set", "alice@example.com", "--department", "support"])
        #expect(moved.status == 0 && moved.stdout == "Moved alice@example.com to department Support (was: department Sales).\n", "\(moved)")
        #expect(try sandbox.run(["admin", "account", "set", "alice@example.com", "--department", "Support"]).stdout.contains("nothing changed"))
        expectSuccess(try sandbox.run(["admin", "department", "remove", "Sales"]))
        #expect(try sandbox.run(["admin", "account", "set", "alice@example.com", "--no-department", "--json"]).object()["was"] as? String == "Support")

        // The help desk: one change a run, said and audited.
        let joined = try sandbox.run(["admin", "account", "set", "alice@example.com", "--help-desk"])
        #expect(
            joined.stdout == "alice@example.com is now a member of the help desk: on the page, it may issue device passwords for any account.\n", "\(joined)")
        #expect(try sandbox.run(["admin", "account", "set", "alice@example.com", "--help-desk"]).stdout.contains("already a member"))
        let listed = try sandbox.run(["admin", "account", "list", "--json"]).array()
        #expect(listed.first { $0["name"] as? String == "alice@example.com" }?["help_desk"] as? Bool == true)
        #expect(try sandbox.run(["admin", "account", "list"]).stdout.contains("active, help desk"))
        let audited = try #require(try sandbox.run(["admin", "audit", "--json", "--limit", "1"]).array().first)
        #expect(audited["action"] as? String == "account.help_desk_changed" && audited["detail"] as? String == "made a member of the help desk", "\(audited)")
        let left = try sandbox.run(["admin", "account", "set", "alice@example.com", "--no-help-desk", "--json"]).object()
        #expect(left["help_desk"] as? Bool == false && left["was_help_desk"] as? Bool == true)

        let first = try sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "selected", "--department", "Support"])
        #expect(first.stdout.contains("is on for department Support (was: off)"), "\(first)")
        let added = try sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "selected", "--add", "--account", "alice@example.com"])
        #expect(added.stdout.contains("is on for department Support, alice@example.com (was: on for department Support)"), "\(added)")
        let removed = try sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "selected", "--remove", "--department", "support"])
        #expect(removed.stdout.contains("is on for alice@example.com (was: on for department Support, alice@example.com)"), "\(removed)")
        // The flags' own refusals (one change a run, --add with --scope selected): ParseTests.
    }

    @Test func networksAreValidatedAndListed() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let hostBits = try sandbox.run(["admin", "network", "add", "1.1.1.7/24"])
        #expect(hostBits.status == 64)
        #expect(hostBits.stderr.contains("did you mean 1.1.1.0/24?"))
        for garbage in ["1.1.1.300", "1.1.1.0/33", "::g"] {
            #expect(try sandbox.run(["admin", "network", "add", garbage]).status == 64)
        }
        expectSuccess(try sandbox.run(["admin", "network", "add", "1.1.1.0/24", "--note", "Branch"]))
        expectSuccess(try sandbox.run(["admin", "network", "add", "2001:db8::/32"]))
        #expect(try sandbox.run(["admin", "network", "add", "1.1.1.0/24"]).status == 1)
        let list = try sandbox.run(["admin", "network", "list", "--json"]).array()
        #expect(list.map { $0["network"] as? String } == ["1.1.1.0/24", "2001:db8::/32"])
        #expect(list.first?["note"] as? String == "Branch")
        expectSuccess(try sandbox.run(["admin", "network", "remove", "1.1.1.0/24"]))
        let gone = try sandbox.run(["admin", "network", "remove", "1.1.1.0/24"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("is not a secure network"))
    }

    @Test func policyShowReflectsEveryChange() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        var policy = try sandbox.run(["admin", "policy", "show", "--json"]).object()
        #expect(policy["third_party_clients"] as? String == "blocked")
        #expect((policy["enforce_secure_password"] as? [String: Any])?["enabled"] as? Bool == false)
        expectSuccess(
            try sandbox.run([
                "admin", "policy", "enforce-secure-password", "on", "--scope", "selected", "--department", "Sales", "--account", "alice@example.com",
            ]))
        expectSuccess(try sandbox.run(["admin", "policy", "exception", "add", "alice@example.com", "--note", "scanner"]))
        policy = try sandbox.run(["admin", "policy", "show", "--json"]).object()
        let enforcement = try #require(policy["enforce_secure_password"] as? [String: Any])
        #expect(enforcement["scope"] as? String == "selected")
        #expect((enforcement["departments"] as? [String]) == ["Sales"])
        #expect((enforcement["accounts"] as? [String]) == ["alice@example.com"])
        #expect((policy["exceptions"] as? [String]) == ["alice@example.com"])
        let access = try sandbox.runAsAlice(["access", "--json"]).object()
        #expect(access["exception"] as? Bool == true)
        #expect(access["secure_password_required"] as? Bool == false)
        // A department in the enforcement scope cannot be removed from under it.
        expectSuccess(try sandbox.run(["admin", "account", "remove", "alice@example.com", "--yes"]))
        let inScope = try sandbox.run(["admin", "department", "remove", "Sales"])
        #expect(inScope.status == 1)
        #expect(inScope.stderr.contains("enforcement scope"))
    }

    /// The binary's exit code and message, and no change, for a refusal of the flags alone and
    /// one found when the command runs; every other refusal of flags alone is in ParseTests.
    @Test(
        arguments: [
            (["admin", "policy", "enforce-secure-password", "on"], "--scope"),
            (["admin", "audit", "--since", "yesterday"], "not a duration"),
        ] as [([String], String)])
    func badPolicyInputIsAUsageError(arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let before = try sandbox.run(["admin", "policy", "show", "--json"]).stdout
        let result = try sandbox.run(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(try sandbox.run(["admin", "policy", "show", "--json"]).stdout == before)
    }

    @Test func servicesChangeInOneBatchAndUnknownAccountsChangeNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "account", "add", "bob", "--department", "Sales", "--password-stdin"], stdin: "bobs long password\n"))
        expectSuccess(try sandbox.run(["admin", "account", "add", "carol", "--password-stdin"], stdin: "carols long password\n"))
        let refused = try sandbox.run(["admin", "services", "set", "bob", "nobody", "--pop3", "off"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no account named \"nobody\""))
        let accounts = try sandbox.run(["admin", "account", "list", "--json"]).array()
        #expect(accounts.allSatisfy { ($0["services"] as? [String: Bool])?["pop3"] == true })
        #expect(try sandbox.run(["admin", "services", "set", "--department", "Sales", "--pop3", "off", "--json"]).object()["changed"] as? Int == 2)
        #expect(try sandbox.run(["admin", "services", "set", "--all", "--pop3", "off", "--json"]).object()["changed"] as? Int == 1)
        #expect(try sandbox.run(["admin", "services", "set", "--all", "--pop3", "off"]).stdout == "POP3 off: 0 accounts changed.\n")
    }

    @Test func resetRevokesEverythingAndIssuesOneNewPassword() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        var old: [String] = []
        for label in ["Phone", "Laptop"] {
            old.append(try #require(try sandbox.runAsAlice(["password", "generate", "--label", label, "--json"]).object()["password"] as? String))
        }
        // Destructive: it says what it would do, and does it only with --yes.
        let unconfirmed = try sandbox.run(["admin", "reset", "alice@example.com", "--label", "After reset"])
        #expect(unconfirmed.status == 64)
        #expect(
            unconfirmed.stderr.contains(
                #"this would reset alice@example.com: revoke 2 app passwords (1 "Phone", 2 "Laptop"), issue one new app password "After reset"; add --yes"#),
            "\(unconfirmed)")
        let dryRun = try sandbox.run(["admin", "reset", "alice@example.com", "--dry-run"])
        #expect(dryRun.status == 0 && dryRun.stdout.hasPrefix("Would: reset alice@example.com: revoke 2 app passwords"), "\(dryRun)")
        #expect(try sandbox.run(["admin", "password", "list", "alice@example.com", "--json"]).array().count == 2, "nothing changed")
        let reset = try sandbox.run(
            ["admin", "reset", "alice@example.com", "--label", "After reset", "--mailbox-password-stdin", "--json", "--yes"],
            stdin: "a brand new mailbox password\n")
        expectSuccess(reset)
        let issued = try reset.object()
        #expect(issued["id"] as? Int == 3)
        let fresh = try #require(issued["password"] as? String)
        for password in old {
            #expect(try check(sandbox, password).object()["reason"] as? String == "bad_credential")
        }
        #expect(try check(sandbox, fresh).status == 0)
        #expect(try check(sandbox, alicePassword, from: "198.51.100.8").object()["reason"] as? String == "bad_credential")
        #expect(try check(sandbox, "a brand new mailbox password", from: "198.51.100.9").status == 0)
        #expect(try sandbox.run(["admin", "password", "list", "alice@example.com", "--json"]).array().map { $0["label"] as? String } == ["After reset"])
        // A bad new mailbox password leaves everything as it was.
        let refused = try sandbox.run(["admin", "reset", "alice@example.com", "--mailbox-password-stdin", "--yes"], stdin: "short\n")
        #expect(refused.status == 64)
        #expect(try check(sandbox, fresh).status == 0)
    }

    @Test func setPasswordAndEnableTakeEffectAtTheNextLogin() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(try sandbox.run(["admin", "account", "set-password", "alice@example.com", "--password-stdin"], stdin: "the second password\n"))
        #expect(try check(sandbox, "the second password").status == 0)
        expectSuccess(try sandbox.run(["admin", "account", "disable", "alice@example.com"]))
        #expect(try check(sandbox, "the second password").object()["reason"] as? String == "account_disabled")
        let selfService = try sandbox.runAsAlice(["password", "list"], password: "the second password")
        #expect(selfService.status == 1)
        #expect(selfService.stderr.contains("is disabled"))
        expectSuccess(try sandbox.run(["admin", "account", "enable", "alice@example.com"]))
        #expect(try check(sandbox, "the second password").status == 0)
        let audit = try sandbox.run(["admin", "audit", "--account", "alice@example.com", "--since", "1h", "--json"]).array()
        #expect(audit.contains { $0["action"] as? String == "account.status_changed" })
        #expect(audit.contains { $0["action"] as? String == "login.denied" && $0["reason"] as? String == "account_disabled" })
    }
}
