import ClientPassTestSupport
import Foundation
import Testing

/// Debian 13's Dovecot 2.4.1 with docs/dovecot.md's configuration and the Lua passdb, asking
/// `clientpass serve` on this host: the policy at every login, over IMAP, POP3 and submission.
/// 0.12.1's script killed 2.4's auth process at start and, fixed that far, refused every login
/// by itself (2.4 calls the service `protocol`).
@Suite(
    .enabled(if: TestTier.outsideServers, "needs Debian 13's Dovecot (make test)"), .serialized,
    .enabled(if: Debian13Lab.isAvailable, "needs the Debian 13 root of scripts/debian13-root.sh, as root (make test)"))
struct Dovecot24Tests {
    func admin(_ lab: Debian13Lab, _ arguments: [String]) throws {
        expectSuccess(try lab.sandbox.run(["admin"] + arguments))
    }

    func issue(_ lab: Debian13Lab, _ label: String, _ extra: [String] = []) throws -> String {
        let issued = try lab.sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", label, "--json"] + extra)
        return try #require(try issued.object()["password"] as? String)
    }

    @Test func theDocumentedConfigurationDecidesEveryLogin() throws {
        let lab = try Debian13Lab()
        try admin(lab, ["policy", "third-party-clients", "allow"])
        let phone = try issue(lab, "Phone")

        // An app password over each protocol; a message submitted reaches the MTA.
        #expect(try lab.login("imap", password: phone).status == 0)
        #expect(try lab.login("pop3", password: phone).status == 0)
        let sent = try lab.login("smtp", password: phone, sendingTo: "bob@example.com")
        #expect(sent.status == 0 && sent.stdout.contains("SENT"), "\(sent)")
        let relayed = try FileManager.default.contentsOfDirectory(atPath: lab.folder + "/relayed")
        #expect(relayed.count == 1)
        let message = try String(contentsOfFile: lab.folder + "/relayed/" + (relayed.first ?? ""), encoding: .utf8)
        #expect(message.contains("bob@example.com"), "\(message)")
        // A wrong password; a name in another case logs in as the canonical one.
        #expect(try lab.login("imap", password: "a wrong password").status == 1)
        #expect(try lab.login("imap", user: "ALICE@Example.COM", password: phone).status == 0)
        #expect(lab.dovecotLog.contains("Logged in: user=<alice@example.com>"))
        #expect(!lab.dovecotLog.contains("user=<ALICE@Example.COM>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid"))

        // The mailbox password under enforcement: refused, with the reason in serve's log.
        #expect(try lab.login("imap", password: alicePassword).status == 0)
        try admin(lab, ["policy", "enforce-secure-password", "on", "--scope", "all"])
        #expect(try lab.login("imap", password: alicePassword, source: "127.0.0.2").status == 1)
        #expect(lab.serveLog.contains("secure_password_required"), "\(lab.serveLog.suffix(2000))")
        // A protocol off for the account.
        try admin(lab, ["services", "set", "alice@example.com", "--pop3", "off"])
        #expect(try lab.login("pop3", password: phone).status == 1)
        #expect(lab.serveLog.contains("service_disabled"))
        try admin(lab, ["services", "set", "alice@example.com", "--pop3", "on"])

        // A revocation counts at the very next login, after warm allows.
        let laptop = try issue(lab, "Laptop")
        for _ in 0..<2 { #expect(try lab.login("imap", password: laptop).status == 0) }
        try admin(lab, ["password", "revoke", "alice@example.com", "2"])
        #expect(try lab.login("imap", password: laptop).status == 1)

        // The webmail, from login_trusted_networks: Dovecot passes the client it forwards (IMAP
        // ID, XCLIENT) and the Lua passdb tells clientpass the real connecting host, which is
        // first-party: the mailbox password works there despite enforcement, an app password
        // does not. The same ID from another host changes nothing.
        try admin(lab, ["first-party", "add", MailLab.webmailHost, "--note", "Roundcube"])
        for service in ["imap", "pop3", "smtp"] {
            let webmail = try lab.login(service, password: alicePassword, source: MailLab.webmailHost, forwarding: "203.0.113.5")
            #expect(webmail.status == 0, "\(service) through the webmail: \(webmail)")
        }
        #expect(try lab.login("imap", password: phone, source: MailLab.webmailHost, forwarding: "203.0.113.5").status == 1)
        let audit = try lab.sandbox.run(["admin", "audit", "--json", "--limit", "5"]).array()
        #expect(audit.contains { $0["reason"] as? String == "app_password_first_party" && $0["address"] as? String == "203.0.113.5" })
        let untrusted = try lab.login("imap", password: alicePassword, source: "127.0.0.3", forwarding: "203.0.113.6")
        #expect(untrusted.status != 0, "an ID from a host Dovecot does not trust makes nothing first-party: \(untrusted)")

        // Nothing above was worth a warning to Dovecot.
        let noisy = lab.dovecotLog.split(separator: "\n").filter { $0.contains(": Warning: ") || $0.contains(": Error: ") || $0.contains(": Fatal: ") }
        #expect(noisy.isEmpty, "\(noisy)")

        // serve hanging: the script's timeout (6 s here) applies, and the answer is a
        // temporary failure; serve gone: the same, never an allow.
        kill(lab.serve.pid, SIGSTOP)
        let started = Date()
        let hanging = try lab.login("imap", password: phone)
        let waited = Date().timeIntervalSince(started)
        kill(lab.serve.pid, SIGCONT)
        #expect(hanging.status == 1 && hanging.stdout.contains("UNAVAILABLE"), "\(hanging)")
        #expect(waited < 30, "the HTTP timeout applies (Dovecot's own default is 60 s): \(waited) s")
        lab.serve.stop()
        let stopped = try lab.login("imap", password: phone)
        #expect(stopped.status == 1 && stopped.stdout.contains("UNAVAILABLE"), "\(stopped)")
    }

    /// nginx 1.26's mail proxy with docs/nginx.md's block, asking `serve`, in front of a
    /// Dovecot 2.4 backend with docs/nginx.md's backend block: each protocol through TLS, the
    /// backend reached with the canonical name, a message delivered, a refusal at nginx.
    @Test func nginxInFrontOfDovecot24AsTheDocsSay() throws {
        let lab = try Debian13Lab(proxy: true)
        #expect(try lab.login("imap", password: alicePassword, throughProxy: true).status == 1, "third-party clients are blocked")
        try admin(lab, ["policy", "third-party-clients", "allow"])
        let phone = try issue(lab, "Phone")
        #expect(try lab.login("imap", password: phone, throughProxy: true).status == 0)
        #expect(try lab.login("pop3", password: phone, throughProxy: true).status == 0)
        let sent = try lab.login("smtp", password: phone, sendingTo: "bob@example.com", throughProxy: true)
        #expect(sent.status == 0 && sent.stdout.contains("SENT"), "\(sent)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.folder + "/relayed").count == 1)
        #expect(try lab.login("imap", user: "ALICE@example.com", password: phone, throughProxy: true).status == 0)
        let backend = (try? String(contentsOfFile: lab.folder + "/backend/dovecot.log", encoding: .utf8)) ?? ""
        #expect(
            backend.contains("Logged in: user=<alice@example.com>") && !backend.contains("user=<ALICE@example.com>, method=PLAIN"), "\(backend.suffix(1500))")
        #expect(try lab.login("imap", password: "a wrong password", throughProxy: true).status == 1)
        try admin(lab, ["services", "set", "alice@example.com", "--smtp", "off"])
        #expect(try lab.login("smtp", password: phone, throughProxy: true).status == 1)
        #expect(lab.serveLog.contains("service_disabled"))
    }
}
