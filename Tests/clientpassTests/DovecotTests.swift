import ClientPassTestSupport
import Foundation
import Testing

/// The policy enforced by a real Dovecot 2.3 through `clientpass checkpassword`, driven by real
/// IMAP, POP3 and SMTP clients. Each scenario asserts the protocol's own answer.
@Suite(.enabled(if: TestTier.outsideServers, "needs Dovecot (make test)")) struct DovecotTests {
    func admin(_ lab: MailLab, _ arguments: [String], environment: [String: String] = [:]) throws {
        expectSuccess(try lab.sandbox.run(["admin"] + arguments, environment: environment))
    }

    func issue(_ lab: MailLab, _ arguments: [String]) throws -> String {
        let result = try lab.sandbox.run(["admin", "password", "issue", "alice@example.com"] + arguments + ["--json"])
        return try #require(try result.object()["password"] as? String)
    }

    @Test func blockedByDefaultThenAllowed() throws {
        let lab = try MailLab()
        // 1. A new store blocks third-party clients.
        #expect(try lab.login("imap", password: alicePassword) == 1)
        // 2. Allowed: IMAP and POP3 with the mailbox password.
        try admin(lab, ["policy", "third-party-clients", "allow"])
        #expect(try lab.login("imap", password: alicePassword) == 0)
        #expect(try lab.login("pop3", password: alicePassword) == 0)
        #expect(try lab.login("smtp", password: alicePassword) == 0)
        #expect(try lab.login("imap", password: "a wrong password") == 1)
        #expect(try lab.login("imap", user: "mallory@example.com", password: alicePassword) == 1)
        // Refusals are ordinary: Dovecot logs them at info level, not as errors that page someone.
        let log = try String(contentsOfFile: lab.folder + "/dovecot.log", encoding: .utf8)
        #expect(log.contains("auth: Info: clientpass checkpassword: imap login of \"alice@example.com\" from 127.0.0.1: deny: third_party_blocked"))
        #expect(!log.contains("Error: clientpass checkpassword"))
    }

    @Test func enforcementServicesAndRevocation() throws {
        let lab = try MailLab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        // 3. Enforcement for all: the mailbox password fails over IMAP; an app password works.
        try admin(lab, ["policy", "enforce-secure-password", "on", "--scope", "all"])
        #expect(try lab.login("imap", password: alicePassword) == 1)
        let phone = try lab.sandbox.runAsAlice(["password", "generate", "--label", "Phone", "--json"]).object()["password"] as? String
        let password = try #require(phone)
        #expect(try lab.login("imap", password: password) == 0)
        #expect(try lab.login("imap", password: password.uppercased().replacingOccurrences(of: " ", with: "")) == 0)
        // 4. POP3 off: POP3 fails, IMAP still works.
        try admin(lab, ["services", "set", "alice@example.com", "--pop3", "off"])
        #expect(try lab.login("pop3", password: password) == 1)
        #expect(try lab.login("imap", password: password) == 0)
        // 5. Revoked: the next login fails, and a session opened before is ended.
        let session = try OpenSession(lab: lab, password: password)
        #expect(session.line() == "LOGGED-IN")
        #expect(session.noop() == "OK")
        let kick = "/usr/bin/doveadm -c \(lab.dovecotConfig) kick {account}"
        expectSuccess(
            try lab.sandbox.run(
                ["password", "revoke", "1", "--user", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n", environment: ["CLIENTPASS_KICK_COMMAND": kick]))
        #expect(session.noop() == "CLOSED")
        #expect(try lab.login("imap", password: password) == 1)
    }

    /// The company's webmail in front of Dovecot (login_trusted_networks, forwarding each
    /// employee's address) is a first-party host: with clients blocked and enforcement on for
    /// everyone, the mailbox password logs in through it and nowhere else; an app password never
    /// does there; the IMAP switch does not govern it; a disabled account is refused; and one
    /// employee's wrong passwords throttle that employee's address only.
    @Test func webmailIsFirstParty() throws {
        let lab = try MailLab()
        try admin(lab, ["first-party", "add", MailLab.webmailHost, "--note", "Roundcube"])
        try admin(lab, ["policy", "enforce-secure-password", "on", "--scope", "all"])
        let phone = try issue(lab, ["--label", "Phone"])
        for service in ["imap", "pop3", "smtp"] {
            #expect(try lab.loginThroughWebmail(service, password: alicePassword, forwarding: "203.0.113.5") == 0, "\(service)")
            #expect(try lab.loginThroughWebmail(service, password: phone, forwarding: "203.0.113.5") == 1, "\(service): an app password")
            #expect(try lab.login(service, password: alicePassword, source: "127.0.0.9") == 1, "\(service): not through the webmail")
        }
        // What Dovecot told clientpass: the forwarded client and the webmail host.
        let audit = try lab.sandbox.run(["admin", "audit", "--json", "--limit", "20"]).array()
        let appDenial = try #require(audit.first { $0["reason"] as? String == "app_password_first_party" })
        #expect(appDenial["address"] as? String == "203.0.113.5")
        #expect(audit.contains { $0["reason"] as? String == "third_party_blocked" && $0["address"] as? String == "127.0.0.9" })

        try admin(lab, ["services", "set", "alice@example.com", "--imap", "off"])
        #expect(try lab.loginThroughWebmail("imap", password: alicePassword, forwarding: "203.0.113.5") == 0, "IMAP off governs mail clients, not webmail")

        for _ in 0..<10 { #expect(try lab.loginThroughWebmail("imap", password: "a wrong guess", forwarding: "203.0.113.6") == 1) }
        #expect(try lab.loginThroughWebmail("imap", password: alicePassword, forwarding: "203.0.113.6") == 1, "that employee's address is throttled")
        #expect(try lab.loginThroughWebmail("smtp", password: alicePassword, forwarding: "203.0.113.5") == 0, "another address is not")

        try admin(lab, ["account", "disable", "alice@example.com"])
        #expect(try lab.loginThroughWebmail("imap", password: alicePassword, forwarding: "203.0.113.5") == 1)
        #expect(try lab.loginThroughWebmail("smtp", password: alicePassword, forwarding: "203.0.113.5") == 1)
    }

    /// `--profile apple`: a Mail profile with the new password in it, parsed as Apple's devices
    /// read it (a property list), whose password logs in to Dovecot over IMAP and submission.
    @Test func aMailProfileCarriesAWorkingPassword() throws {
        let lab = try MailLab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        let servers = [
            "CLIENTPASS_IMAP_SERVER": "127.0.0.1:\(lab.ports["imap"]!) starttls",
            "CLIENTPASS_SMTP_SERVER": "127.0.0.1:\(lab.ports["submission"]!) starttls",
        ]
        let file = lab.folder + "/phone.mobileconfig"
        let issued = try lab.sandbox.run(
            [
                "admin", "password", "issue", "alice@example.com", "--label", "iPhone",
                "--profile", "apple", "--output", file, "--json",
            ], environment: servers)
        expectSuccess(issued)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let plist = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, plistlib, sys
                with open(sys.argv[1], "rb") as f: p = plistlib.load(f)
                print(json.dumps(p))
                """, file,
            ], stdin: nil, environment: [:], in: lab.folder)
        let profile = try #require(try JSONSerialization.jsonObject(with: Data(plist.stdout.utf8)) as? [String: Any], "\(plist)")
        #expect(profile["PayloadType"] as? String == "Configuration" && profile["PayloadVersion"] as? Int == 1)
        #expect(profile["PayloadIdentifier"] as? String == "clientpass.mail.alice-example-com.app-password-1")
        let mail = try #require((profile["PayloadContent"] as? [[String: Any]])?.first)
        #expect(mail["PayloadType"] as? String == "com.apple.mail.managed")
        #expect(mail["EmailAccountType"] as? String == "EmailTypeIMAP" && mail["EmailAddress"] as? String == "alice@example.com")
        #expect(mail["IncomingMailServerPortNumber"] as? Int == lab.ports["imap"] && mail["OutgoingMailServerPortNumber"] as? Int == lab.ports["submission"])
        #expect(mail["IncomingMailServerUseSSL"] as? Bool == true && mail["IncomingMailServerAuthentication"] as? String == "EmailAuthPassword")
        let password = try #require(mail["IncomingPassword"] as? String)
        let shown = try #require(try issued.object()["password"] as? String)
        #expect(password.replacingOccurrences(of: " ", with: "") == shown.replacingOccurrences(of: " ", with: ""))
        #expect(mail["OutgoingPassword"] as? String == password)
        #expect(try lab.login("imap", password: password) == 0)
        #expect(try lab.login("smtp", password: password) == 0)
        #expect(issued.stderr.contains("unsigned"), "\(issued.stderr)")

        // Signed with the company's certificate: openssl verifies it against the test CA, and the
        // password inside logs in.
        let authority = try TestCertificateAuthority(in: lab.folder + "/ca")
        let (certificate, key) = try authority.issue("profiles", commonName: "Example Mail Profiles")
        var signing = servers
        signing["CLIENTPASS_PROFILE_SIGNING_CERTIFICATE"] = certificate
        signing["CLIENTPASS_PROFILE_SIGNING_KEY"] = key
        let signedFile = lab.folder + "/mac.mobileconfig"
        let signedIssue = try lab.sandbox.run(
            [
                "admin", "password", "issue", "alice@example.com", "--label", "Mac",
                "--profile", "apple", "--output", signedFile,
            ], environment: signing)
        expectSuccess(signedIssue)
        #expect(signedIssue.stderr.contains("signed by Example Mail Profiles"), "\(signedIssue.stderr)")
        let content = try TestCertificateAuthority.openssl(
            [
                "cms", "-verify", "-inform", "DER", "-in", signedFile, "-CAfile", authority.certificate,
                "-purpose", "any",
            ], in: lab.folder)
        let signedProfile = try #require(try PropertyListSerialization.propertyList(from: content, format: nil) as? [String: Any])
        let signedMail = try #require((signedProfile["PayloadContent"] as? [[String: Any]])?.first)
        let signedPassword = try #require(signedMail["IncomingPassword"] as? String)
        #expect(signedPassword != password)
        #expect(try lab.login("imap", password: signedPassword) == 0)
        #expect(try lab.login("smtp", password: signedPassword) == 0)
        var mismatched = signing
        mismatched["CLIENTPASS_PROFILE_SIGNING_KEY"] = try authority.issue("other", commonName: "Other").key

        // Refused before anything is made: a password that cannot read mail, no servers (the
        // error names the file it read, and why its settings were not used), a file that exists.
        let withoutServers = lab.folder + "/without-servers.yaml", broken = lab.folder + "/broken.yaml"
        try "kick_command: /bin/true {account}\n".write(toFile: withoutServers, atomically: true, encoding: .utf8)
        try "mail_servers: 42\n".write(toFile: broken, atomically: true, encoding: .utf8)
        for (arguments, environment, message) in [
            (
                ["--label", "Tablet", "--profile", "apple", "--output", lab.folder + "/tablet.mobileconfig"], ["CLIENTPASS_CONFIG": withoutServers],
                "needs an IMAP or POP3 server the password may use: set mail_servers (or CLIENTPASS_IMAP_SERVER) and allow imap or pop3 (CLIENTPASS_CONFIG names \(withoutServers))"
            ),
            (
                ["--label", "Tablet", "--profile", "apple", "--output", lab.folder + "/tablet.mobileconfig"], ["CLIENTPASS_CONFIG": broken],
                "(CLIENTPASS_CONFIG names \(broken), whose settings were not used: line 1"
            ),
            (
                ["--label", "Scanner", "--protocols", "smtp", "--profile", "apple", "--output", lab.folder + "/scanner.mobileconfig"], servers,
                "needs an IMAP or POP3 server"
            ),
            (["--label", "Tablet", "--profile", "apple", "--output", lab.folder + "/tablet.mobileconfig"], [String: String](), "needs an IMAP or POP3 server"),
            (["--label", "Again", "--profile", "apple", "--output", file], servers, "already exists"),
            (["--label", "Half", "--profile", "apple"], servers, "--profile and --output go together"),
            (
                ["--label", "Laptop", "--profile", "apple", "--output", lab.folder + "/laptop.mobileconfig"], mismatched,
                "cannot sign the Mail profile: the profile signing key in"
            ),
        ] {
            let refused = try lab.sandbox.run(["admin", "password", "issue", "alice@example.com"] + arguments, environment: environment)
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(refused)")
        }
        #expect(try lab.sandbox.run(["admin", "password", "list", "alice@example.com", "--json"]).array().count == 2)
    }

    /// A passwd-file made by `doveadm pw` for every scheme an import takes, and by OpenLDAP's
    /// `slappasswd` for the salted digests an LDAP `userPassword` holds: each account logs in
    /// through Dovecot with its password as it was, and its hash is Argon2id after that first
    /// login. A file with a malformed line imports nothing.
    @Test func importedHashesLogInAndAreRehashed() throws {
        let lab = try MailLab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        let password = "imported mailbox password"
        let schemes = ["SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "ARGON2ID", "ARGON2I", "MD5-CRYPT", "SSHA512", "SSHA256", "SSHA", "SMD5", "PLAIN"]
        let slappasswd = ["SSHA512", "SSHA256", "SSHA", "SMD5"]
        var lines: [String] = []
        for scheme in schemes {
            let made = try runProcess(
                "/usr/bin/doveadm", ["-c", lab.dovecotConfig, "pw", "-s", scheme, "-p", password],
                stdin: nil, environment: [:], in: lab.folder)
            #expect(made.status == 0, "\(made)")
            lines.append("\(scheme.lowercased())@example.com:\(made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        for scheme in slappasswd {
            let made = try runProcess(
                "/usr/sbin/slappasswd",
                [
                    "-o", "module-path=/usr/lib/ldap", "-o", "module-load=pw-sha2.la",
                    "-h", "{\(scheme)}", "-s", password,
                ], stdin: nil, environment: [:], in: lab.folder)
            #expect(made.status == 0 && made.stdout.hasPrefix("{\(scheme)}"), "\(made)")
            lines.append("ldap-\(scheme.lowercased())@example.com:\(made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let malformed = lab.folder + "/malformed-passwd"
        try (lines + ["broken@example.com:{SHA512-CRYPT}$6$not-a-hash"]).joined(separator: "\n").write(toFile: malformed, atomically: true, encoding: .utf8)
        let refused = try lab.sandbox.run(["admin", "account", "import", malformed, "--allow-weak"])
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.stderr.contains("line \(lines.count + 1) (broken@example.com)"))
        #expect(try lab.sandbox.run(["admin", "account", "list", "--json"]).array().count == 1)

        let file = lab.folder + "/passwd"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        expectSuccess(try lab.sandbox.run(["admin", "account", "import", file, "--allow-weak"]))
        func schemeOf(_ user: String) throws -> String? {
            try lab.sandbox.run(["admin", "account", "list", "--json"]).array().first { $0["name"] as? String == user }?["mailbox_password_scheme"] as? String
        }
        for (user, scheme) in schemes.map({ ("\($0.lowercased())@example.com", $0) }) + slappasswd.map({ ("ldap-\($0.lowercased())@example.com", $0) }) {
            #expect(try lab.login("imap", user: user, password: "not the password") == 1, "\(scheme)")
            #expect(try schemeOf(user) == scheme, "\(scheme): a refusal rehashes nothing")
            #expect(try lab.login("imap", user: user, password: password) == 0, "\(scheme)")
            #expect(try schemeOf(user) == "ARGON2ID", "\(scheme): rehashed at the first login")
            #expect(try lab.login("pop3", user: user, password: password) == 0, "\(scheme): the new hash opens the next login")
        }
        #expect(!(try lab.sandbox.run(["admin", "account", "list"]).stdout.contains("weak")))
    }

    @Test func secureNetworksWhileBlocked() throws {
        let lab = try MailLab()
        // 6. Blocked, secure network 127.0.0.0/30: 127.0.0.2 logs in, 127.0.0.9 does not.
        try admin(lab, ["network", "add", "127.0.0.0/30", "--note", "test office"])
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.2") == 0)
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.9") == 1)
        #expect(try lab.login("pop3", password: alicePassword, source: "127.0.0.3") == 0)
    }

    @Test func aScannersDevicePasswordOnlySendsMail() throws {
        let lab = try MailLab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        // 7. A device password limited to SMTP: SMTP AUTH succeeds, IMAP with it fails.
        let scanner = try issue(lab, ["--label", "Scanner", "--protocols", "smtp", "--networks", "127.0.0.0/29"])
        #expect(try lab.login("smtp", password: scanner, source: "127.0.0.5") == 0)
        #expect(try lab.login("imap", password: scanner, source: "127.0.0.5") == 1)
        #expect(try lab.login("smtp", password: scanner, source: "127.0.0.20") == 1)
        let audit = try lab.sandbox.run(["admin", "audit", "--json"]).array()
        #expect(audit.contains { $0["reason"] as? String == "credential_scope" && $0["service"] as? String == "imap" })
    }

    @Test func throttlingAndDisabling() throws {
        let lab = try MailLab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        try admin(lab, ["policy", "throttling", "--account-failures", "3"])
        for _ in 0..<3 { #expect(try lab.login("imap", password: "a wrong password", source: "127.0.0.7") == 1) }
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.7") == 1)
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.8") == 0)
        try admin(lab, ["account", "disable", "alice@example.com"])
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.8") == 1)
        let reasons = try lab.sandbox.run(["admin", "audit", "--json"]).array().compactMap { $0["reason"] as? String }
        #expect(reasons.contains("throttled") && reasons.contains("account_disabled"))
    }
}

/// The same policy enforced by nginx's mail proxy asking `clientpass serve` over auth_http.
@Suite(.enabled(if: TestTier.outsideServers, "needs nginx and Dovecot (make test)")) struct NginxTests {
    func admin(_ lab: MailLab, _ arguments: [String]) throws {
        expectSuccess(try lab.sandbox.run(["admin"] + arguments))
    }

    @Test func thePolicyThroughNginx() throws {
        let lab = try MailLab(proxy: true)
        // Blocked by default, then allowed.
        #expect(try lab.loginThroughProxy("imap", password: alicePassword) == 1)
        try admin(lab, ["policy", "third-party-clients", "allow"])
        #expect(try lab.loginThroughProxy("imap", password: alicePassword) == 0)
        #expect(try lab.loginThroughProxy("pop3", password: alicePassword) == 0)
        #expect(try lab.loginThroughProxy("smtp", password: alicePassword) == 0)
        // A message sent through nginx reaches the relay MTA behind Dovecot's submission service.
        #expect(try lab.loginThroughProxy("smtp", password: alicePassword, sendingTo: "bob@example.com") == 0)
        let relayed = try FileManager.default.contentsOfDirectory(atPath: lab.relayed)
        #expect(relayed.count == 1)
        let message = try String(contentsOfFile: lab.relayed + "/" + (relayed.first ?? ""), encoding: .utf8)
        #expect(message.contains("Subject: sent through the proxy") && message.contains("Hello from the end-to-end test."))
        #expect(try lab.loginThroughProxy("imap", password: "a wrong password") == 1)
        // Enforcement: the mailbox password fails; an app password works.
        try admin(lab, ["policy", "enforce-secure-password", "on", "--scope", "all"])
        #expect(try lab.loginThroughProxy("imap", password: alicePassword, source: "127.0.0.2") == 1)
        let issued = try lab.sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", "Phone", "--json"]).object()
        let phone = try #require(issued["password"] as? String)
        #expect(try lab.loginThroughProxy("imap", password: phone, source: "127.0.0.2") == 0)
        // POP3 off: POP3 fails, IMAP still works.
        try admin(lab, ["services", "set", "alice@example.com", "--pop3", "off"])
        #expect(try lab.loginThroughProxy("pop3", password: phone, source: "127.0.0.2") == 1)
        #expect(try lab.loginThroughProxy("imap", password: phone, source: "127.0.0.2") == 0)
        // A scanner's password limited to SMTP.
        let scanner = try #require(
            try lab.sandbox.run([
                "admin", "password", "issue", "alice@example.com", "--label", "Scanner",
                "--protocols", "smtp", "--json",
            ]).object()["password"] as? String)
        #expect(try lab.loginThroughProxy("smtp", password: scanner, source: "127.0.0.3") == 0)
        #expect(try lab.loginThroughProxy("imap", password: scanner, source: "127.0.0.3") == 1)
        // Revoked: the next login fails.
        try admin(lab, ["password", "revoke", "alice@example.com", "1"])
        #expect(try lab.loginThroughProxy("imap", password: phone, source: "127.0.0.2") == 1)
        // Blocked with a secure network: inside logs in, outside does not.
        try admin(lab, ["policy", "third-party-clients", "block"])
        try admin(lab, ["network", "add", "127.0.0.0/30"])
        #expect(try lab.loginThroughProxy("smtp", password: scanner, source: "127.0.0.2") == 0)
        #expect(try lab.loginThroughProxy("smtp", password: scanner, source: "127.0.0.9") == 1)
    }
}

/// Dovecot's Lua passdb (contrib/dovecot/clientpass.lua) asking `clientpass serve` through
/// `POST /auth/decide`: the route for Dovecot 2.4, which has no checkpassword.
@Suite(.enabled(if: TestTier.outsideServers, "needs Dovecot (make test)")) struct DovecotLuaTests {
    @Test func thePolicyThroughTheLuaPassdb() throws {
        let lab = try MailLab(lua: true)
        #expect(try lab.loginThroughLua("imap", password: alicePassword) == 1)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        #expect(try lab.loginThroughLua("imap", password: alicePassword) == 0)
        #expect(try lab.loginThroughLua("pop3", password: alicePassword) == 0)
        #expect(try lab.loginThroughLua("imap", password: "a wrong password") == 1)
        expectSuccess(try lab.sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "all"]))
        #expect(try lab.loginThroughLua("imap", password: alicePassword, source: "127.0.0.2") == 1)
        let scanner = try #require(
            try lab.sandbox.run([
                "admin", "password", "issue", "ALICE@example.com", "--label", "Scanner",
                "--protocols", "smtp", "--json",
            ]).object()["password"] as? String)
        #expect(try lab.loginThroughLua("smtp", password: scanner, source: "127.0.0.3") == 0)
        #expect(try lab.loginThroughLua("imap", password: scanner, source: "127.0.0.3") == 1)
        let reasons = try lab.sandbox.run(["admin", "audit", "--json"]).array().compactMap { $0["reason"] as? String }
        #expect(reasons.contains("secure_password_required") && reasons.contains("credential_scope"))
        // The Lua passdb sends Dovecot's real connecting host: through the webmail host, the
        // mailbox password works despite enforcement and the scanner's app password does not.
        expectSuccess(try lab.sandbox.run(["admin", "first-party", "add", MailLab.webmailHost, "--note", "Roundcube"]))
        #expect(try lab.loginThroughLua("imap", password: alicePassword, source: MailLab.webmailHost, forwarding: "203.0.113.5") == 0)
        #expect(try lab.loginThroughLua("smtp", password: scanner, source: MailLab.webmailHost, forwarding: "203.0.113.5") == 1)
        #expect(try lab.loginThroughLua("imap", password: alicePassword, source: "127.0.0.2") == 1)
        let firstParty = try lab.sandbox.run(["admin", "audit", "--json", "--limit", "3"]).array()
        #expect(firstParty.contains { $0["reason"] as? String == "app_password_first_party" && $0["address"] as? String == "203.0.113.5" })
        // serve hanging: the script's HTTP timeout (6 s here) applies on 2.3 too (0.12.1's
        // setting names were 2.4's guesses, which 2.3 ignored, leaving its 60 s default).
        let serve = try #require(lab.servePIDs.first)
        kill(serve, SIGSTOP)
        let started = Date()
        let hanging = try lab.loginThroughLua("smtp", password: scanner, source: "127.0.0.3")
        let waited = Date().timeIntervalSince(started)
        kill(serve, SIGCONT)
        #expect(hanging == 1)
        #expect(waited < 30, "the HTTP timeout applies: \(waited) s")
        let log = try String(contentsOfFile: lab.folder + "/lua/dovecot.log", encoding: .utf8)
        #expect(log.contains("clientpass did not answer"), "\(log.suffix(1500))")
    }
}
