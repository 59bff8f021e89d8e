import ClientPassTestSupport
import Foundation
import Testing

/// The self-service page in a real browser (Debian's headless Chromium through chromedriver and
/// python3-selenium), on `clientpass serve` over the Dovecot lab's store: an employee signs in,
/// creates, reads (with the QR code and the Mail profile behind it), lists, renames and revokes
/// app passwords, and issues device passwords on the help desk's page, at desktop and phone
/// widths, with and without JavaScript, and signs out (Tests/Support/browser.py); then the
/// passwords made on the page open IMAP logins through Dovecot, the revoked one does not, and
/// the device passwords send over SMTP only.
/// (`make screenshots` runs the same script on `make run`'s demo store for docs/screenshots.)
@Suite(.enabled(if: TestTier.outsideServers, "needs Chromium (make test)")) struct BrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/browser.py").path

    @Test func anEmployeeManagesAppPasswordsOnThePageAndTheyOpenIMAP() throws {
        let lab = try MailLab()
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(try lab.sandbox.run(["admin", "account", "set", "alice@example.com", "--help-desk"]))
        let serve = try ServeProcess(
            sandbox: lab.sandbox,
            arguments: [
                "--imap-server", "127.0.0.1:\(lab.ports["imap"]!) starttls", "--smtp-server", "127.0.0.1:\(lab.ports["submission"]!) starttls",
            ])
        let passwordFile = lab.sandbox.folder + "/mailbox-password"
        try (alicePassword + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o600)
        let arguments = [Self.script, "http://127.0.0.1:\(serve.port)", "alice@example.com", passwordFile]
        let run = try runProcess(
            "/usr/bin/python3", arguments, stdin: nil,
            environment: ["PATH": "/usr/bin:/bin", "HOME": lab.sandbox.folder], in: lab.sandbox.folder)
        let result = try #require(try? run.object(), "the browser script printed no JSON: \(run)")
        #expect(run.status == 0, "\(result["failed"] ?? run)")
        let kept = result["kept"] as? [String] ?? []
        let revoked = result["revoked"] as? [String] ?? []
        #expect(kept.count == 3 && revoked.count == 1, "\(result)")
        for password in kept {
            #expect(try lab.login("imap", password: password) == 0, "an app password made on the page opens IMAP")
        }
        for password in revoked {
            #expect(try lab.login("imap", password: password) == 1, "a password revoked on the page does not")
        }
        let devices = result["devices"] as? [String] ?? []
        #expect(devices.count == 2, "\(result)")
        for password in devices {
            #expect(try lab.login("smtp", password: password) == 0, "a device password from the help desk's page sends mail")
            #expect(try lab.login("imap", password: password) == 1, "and reads none")
        }
        // The page's own traces: signed in, created, renamed, revoked, all by alice herself.
        let audit = try lab.sandbox.run(["admin", "audit", "--account", "alice@example.com", "--limit", "100", "--json"]).array()
        let actions = audit.filter { $0["actor"] as? String == "alice@example.com" }.compactMap { $0["action"] as? String }
        for action in ["self_service.signed_in", "app_password.created", "app_password.relabeled", "app_password.revoked"] {
            #expect(actions.contains(action), "\(action) in \(actions)")
        }
    }
}

/// `make run`'s script: a demo store, the page served, and the URL and credentials it prints
/// really sign in.
@Suite struct RunPageTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/run-page.sh").path

    @Test func theDemoPageSignsInWithThePrintedCredentials() throws {
        let sandbox = try Sandbox()
        let port = try MailLab.freePorts(["page"])["page"]!
        let log = sandbox.folder + "/run.log"
        let server = try launchServer(
            "/bin/bash", [Self.script, clientpassBinary.path, sandbox.folder + "/demo", "127.0.0.1:\(port)"],
            log: log, in: sandbox.folder)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try MailLab.waitForListener(port)
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        #expect(printed.contains("URL:               http://127.0.0.1:\(port)/"), "\(printed)")
        let account = try #require(printed.firstLine(after: "Account:"))
        let password = try #require(printed.firstLine(after: "Mailbox password:"))
        let result = try signInToPage("http://127.0.0.1:\(port)", account: account, password: password, in: sandbox.folder)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("http://127.0.0.1:\(port)/\n"), "signed in, the browser lands on the list: \(result.stdout.prefix(200))")
        #expect(result.stdout.contains("Outlook on laptop") && result.stdout.contains("iPhone Mail"))
    }
}

private extension String {
    /// The rest of the first line that starts with `label`, trimmed.
    func firstLine(after label: String) -> String? {
        split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
            .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(label.count).trimmingCharacters(in: .whitespaces) }
    }
}
