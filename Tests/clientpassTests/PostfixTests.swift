import ClientPassTestSupport
import Foundation
import Testing

/// Debian's Postfix taking SMTP AUTH on its submission port through Dovecot's auth socket, as
/// docs/postfix.md says: Debian 12's Postfix 3.7 with Dovecot 2.3.19, Debian 13's 3.10 with
/// Dovecot 2.4.1, each asking `clientpass serve` through the Lua passdb. clientpass decides
/// each such login as SMTP; an allowed one delivers to the mailbox over LMTP.
@Suite(.enabled(if: TestTier.outsideServers, "needs Postfix and Dovecot (make test)"), .serialized) struct PostfixTests {
    /// What each version must do: a message sent with an app password read back over IMAP;
    /// refusals at AUTH with their reasons in serve's log.
    struct Mail {
        let sandbox: Sandbox
        let postfix: PostfixLab
        /// The subjects in alice's INBOX, read over IMAP with `password`.
        let inbox: (_ password: String) throws -> RunResult
        let serveLog: () -> String

        func admin(_ arguments: [String]) throws {
            expectSuccess(try sandbox.run(["admin"] + arguments))
        }

        func issue(_ label: String) throws -> String {
            let issued = try sandbox.run(["admin", "password", "issue", "alice@example.com", "--label", label, "--json"])
            return try #require(try issued.object()["password"] as? String)
        }

        /// The decision lines serve logged for SMTP since `mark` (a count of lines).
        func smtpDecisions(after mark: Int) -> [Substring] {
            serveLog().split(separator: "\n").dropFirst(mark).filter { $0.contains("protocol=smtp") }
        }

        func refused(_ password: String, reason: String) throws {
            let mark = serveLog().split(separator: "\n").count
            let sent = try postfix.submit(password: password, to: "alice@example.com", subject: "refused")
            #expect(sent.status == 1 && sent.stdout.contains("535"), "\(sent)")
            let decisions = smtpDecisions(after: mark)
            #expect(
                decisions.count == 1 && decisions.allSatisfy { $0.contains("decision=deny") && $0.contains("reason=\(reason)") },
                "\(reason): \(decisions)")
        }

        func run() throws {
            try admin(["policy", "third-party-clients", "allow"])
            let phone = try issue("Phone")
            let subject = "through Postfix " + UUID().uuidString
            let mark = serveLog().split(separator: "\n").count
            let sent = try postfix.submit(password: phone, to: "alice@example.com", subject: subject)
            #expect(sent.status == 0 && sent.stdout.contains("SENT"), "\(sent)")
            let decisions = smtpDecisions(after: mark)
            #expect(
                decisions.count == 1 && decisions.allSatisfy { $0.contains("decision=allow") && $0.contains("credential=app_password:1") },
                "clientpass saw the login as SMTP: \(serveLog().suffix(1500))")
            try postfix.waitForEmptyQueue()
            let read = try inbox(phone)
            #expect(read.status == 0 && read.stdout.contains("INBOX: " + subject), "\(read)\n\(postfix.log.suffix(2000))")

            try refused("a wrong password", reason: "bad_credential")
            // The mailbox password under enforcement.
            #expect(try postfix.submit(password: alicePassword, to: "alice@example.com", subject: "mailbox password").status == 0)
            try admin(["policy", "enforce-secure-password", "on", "--scope", "all"])
            try refused(alicePassword, reason: "secure_password_required")
            // A revoked app password, at the very next login after an allow.
            let laptop = try issue("Laptop")
            #expect(try postfix.submit(password: laptop, to: "alice@example.com", subject: "laptop").status == 0)
            try admin(["password", "revoke", "alice@example.com", "2"])
            try refused(laptop, reason: "bad_credential")
            // SMTP off for the account: refused at Postfix, IMAP still reads.
            try admin(["services", "set", "alice@example.com", "--smtp", "off"])
            try refused(phone, reason: "service_disabled")
            #expect(try inbox(phone).status == 0)
            #expect(postfix.log.contains("SASL PLAIN authentication failed"), "\(postfix.log.suffix(1500))")
            let noisy = postfix.log.split(separator: "\n").filter {
                ($0.contains(": warning: ") && !$0.contains("SASL PLAIN authentication failed")) || $0.contains(": error: ")
                    || $0.contains(": fatal: ") || $0.contains(": panic: ")
            }
            #expect(noisy.isEmpty, "\(noisy)")
        }
    }

    @Test func debian12PostfixThroughDovecot23() throws {
        let lab = try MailLab(lua: true, postfix: true)
        let postfix = try #require(lab.postfix)
        // docs/postfix.md's static userdb for 2.3 answers LMTP without asking the passdb.
        let docs = try String(contentsOf: DocumentedBlock.repository.appendingPathComponent("docs/postfix.md"), encoding: .utf8)
        #expect(docs.contains("args = uid=vmail gid=vmail home=/var/vmail/%d/%n allow_all_users=yes"))
        let mail = Mail(
            sandbox: lab.sandbox, postfix: postfix,
            inbox: { password in
                try runProcess(
                    "/usr/bin/python3", [MailLab.mailclient, "imap", "127.0.0.1", String(lab.ports["lua-imap"]!), "alice@example.com", "--inbox"],
                    stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: lab.folder)
            }, serveLog: { (try? String(contentsOfFile: lab.folder + "/serve.log", encoding: .utf8)) ?? "" })
        try mail.run()
        let dovecot = (try? String(contentsOfFile: lab.folder + "/lua/dovecot.log", encoding: .utf8)) ?? ""
        let noisy = dovecot.split(separator: "\n").filter { $0.contains(": Warning: ") || $0.contains(": Error: ") || $0.contains(": Fatal: ") }
        #expect(noisy.isEmpty, "\(noisy)")
    }

    @Test(.enabled(if: Debian13Lab.isAvailable, "needs the Debian 13 root of scripts/debian13-root.sh, as root (make test)"))
    func debian13PostfixThroughDovecot24() throws {
        let lab = try Debian13Lab(postfix: true)
        let postfix = try #require(lab.postfix)
        let mail = Mail(
            sandbox: lab.sandbox, postfix: postfix,
            inbox: { password in
                try runProcess(
                    "/usr/bin/python3",
                    [
                        MailLab.mailclient, "imap", "127.0.0.1", String(lab.ports["imap"]!), "alice@example.com",
                        "--starttls", lab.authority.certificate, "--inbox",
                    ],
                    stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: lab.folder)
            }, serveLog: { lab.serveLog })
        try mail.run()
        let noisy = lab.dovecotLog.split(separator: "\n").filter { $0.contains(": Warning: ") || $0.contains(": Error: ") || $0.contains(": Fatal: ") }
        #expect(noisy.isEmpty, "\(noisy)")
        // serve gone: Dovecot's internal failure, which Postfix answers as a refusal (it makes no
        // difference between Dovecot's failures); never an allow.
        let tablet = try mail.issue("Tablet")
        lab.serve.stop()
        let stopped = try postfix.submit(password: tablet, to: "alice@example.com", subject: "serve stopped")
        #expect(stopped.status == 1 && stopped.stdout.contains("535") && stopped.stdout.contains("reason unavailable"), "\(stopped)")
        #expect(lab.dovecotLog.contains("clientpass did not answer"))
    }
}
