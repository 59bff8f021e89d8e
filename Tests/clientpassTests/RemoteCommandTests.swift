import ClientPassTestSupport
import Foundation
import Testing

/// The employee's CLI on their own computer: `clientpass login` against a real `serve` over
/// HTTPS (a test CA made here), then the self-service commands through the API, run as an
/// unprivileged user with no access to the store; the password it prints opens IMAP through the
/// test Dovecot.
@Suite struct RemoteCommandTests {
    /// Runs clientpass as `nobody`, with its own home (and so its own config folder).
    func asEmployee(_ arguments: [String], stdin: String? = nil, home: String, environment: [String: String] = [:]) throws -> RunResult {
        var env = ["HOME": home, "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": home + "/config"]
        for (key, value) in environment { env[key] = value }
        return try runProcess(
            "/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", clientpassBinary.path] + arguments,
            stdin: stdin, environment: env, in: home)
    }

    func mode(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test(.enabled(if: TestTier.outsideServers, "needs Dovecot (make test)")) func theCommandLineThroughTheAPI() throws {
        let lab = try MailLab()
        expectSuccess(try lab.sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let authority = try TestCertificateAuthority(in: lab.folder + "/ca")
        let (certificate, key) = try authority.issue("serve", commonName: "127.0.0.1", extensions: ["subjectAltName=IP:127.0.0.1"])
        let serve = try ServeProcess(
            sandbox: lab.sandbox,
            arguments: [
                "--tls-certificate", certificate, "--tls-key", key,
                "--imap-server", "mail.example.com:993", "--smtp-server", "mail.example.com:587",
            ])
        let server = "https://127.0.0.1:\(serve.port)"
        let home = lab.folder + "/employee"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        chown(home, 65534, 65534)
        chmod(authority.certificate, 0o644)

        // Nobody cannot use the store on this host: only the server.
        let local = try asEmployee(
            ["password", "list", "--user", "alice@example.com", "--password-stdin", "--store", lab.sandbox.store],
            stdin: alicePassword + "\n", home: home)
        #expect(local.status == 1, "\(local)")

        // Refused before anything is sent: plain HTTP to another host; a server not trusted.
        let plain = try asEmployee(
            ["login", "--server", "http://192.0.2.10", "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n", home: home)
        #expect(plain.status == 64 && plain.stderr.contains("plain HTTP"), "\(plain)")
        let untrusted = try asEmployee(
            ["login", "--server", server, "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n", home: home)
        // The system's CAs do not know the test CA: said in words, with the signer and the way out.
        #expect(
            untrusted.status == 1
                && untrusted.stderr.contains(
                    "certificate is not trusted by this computer's CA certificates. "
                        + "It is signed by \"/O=clientpass tests/CN=clientpass test CA\"")
                && untrusted.stderr.contains("--ca-file FILE") && !untrusted.stderr.contains("BoringSSL"), "\(untrusted)")
        let wrong = try asEmployee(
            ["login", "--server", server, "--ca-file", authority.certificate, "--user", "alice@example.com", "--password-stdin"],
            stdin: "not the password\n", home: home)
        #expect(wrong.status == 1 && wrong.stderr.contains("wrong account name or mailbox password"), "\(wrong)")

        let login = try asEmployee(
            ["login", "--server", server, "--ca-file", authority.certificate, "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n", home: home)
        #expect(login.status == 0 && login.stdout.contains("Signed in to \(server) as alice@example.com"), "\(login)")
        #expect(try mode(of: home + "/config/clientpass") == 0o700)
        #expect(try mode(of: home + "/config/clientpass/session") == 0o600)

        // The token goes to the server that issued it, never to another one named later.
        let elsewhere = try asEmployee(["password", "list", "--server", "https://127.0.0.2:\(serve.port)"], home: home)
        #expect(elsewhere.status == 4, "\(elsewhere)")
        // logout too: pointed at another server it refuses, sends nothing there, keeps the token.
        let trap = try TrapListener()
        let redirected = try asEmployee(["logout"], home: home, environment: ["CLIENTPASS_SERVER": "http://127.0.0.1:\(trap.port)"])
        #expect(redirected.status == 1 && redirected.stderr.contains("the token was issued by \(server)"), "\(redirected)")
        #expect(trap.connections() == 0, "logout connected to a server that did not issue the token")
        #expect(FileManager.default.fileExists(atPath: home + "/config/clientpass/session"))
        let empty = try asEmployee(["password", "list"], home: home)
        #expect(empty.status == 0 && empty.stdout.contains("alice@example.com has no app passwords"), "\(empty)")
        let generated = try asEmployee(["password", "generate", "--label", "Laptop", "--protocols", "imap,smtp", "--json"], home: home)
        #expect(generated.status == 0, "\(generated)")
        let password = try #require(try generated.object()["password"] as? String)
        #expect((try generated.object()["servers"] as? [[String: Any]])?.compactMap { $0["protocol"] as? String } == ["imap", "smtp"], "\(generated)")
        #expect(try generated.object()["protocols"] as? [String] == ["imap", "smtp"])
        #expect(try lab.login("imap", password: password) == 0, "the password the CLI printed opens IMAP")

        let renamed = try asEmployee(["password", "label", "1", "Work laptop"], home: home)
        #expect(renamed.stdout.contains("App password 1 of alice@example.com is now \"Work laptop\"."), "\(renamed)")
        let listed = try asEmployee(["password", "list", "--json"], home: home)
        #expect(try listed.array().first?["label"] as? String == "Work laptop")

        let access = try asEmployee(["access"], home: home)
        #expect(access.stdout.contains("Third-party clients:  allowed from any network"), "\(access)")
        // The same --json as on the mail host.
        let remoteJSON = try asEmployee(["access", "--json"], home: home).object()
        let localJSON = try lab.sandbox.run(["access", "--user", "alice@example.com", "--password-stdin", "--json"], stdin: alicePassword + "\n").object()
        #expect(Set(remoteJSON.keys) == Set(localJSON.keys))
        #expect(remoteJSON["third_party_clients"] as? String == localJSON["third_party_clients"] as? String)

        let revoked = try asEmployee(["password", "revoke", "1"], home: home)
        #expect(revoked.stdout.contains("Revoked app password 1 \"Work laptop\" of alice@example.com."), "\(revoked)")
        #expect(try lab.login("imap", password: password) == 1)
        // --all asks first, as the admin command and the page do; no --user needed here.
        // The settings the page shows with a new password, for the password's own protocols.
        let phone = try asEmployee(["password", "generate", "--label", "Phone", "--protocols", "imap"], home: home)
        expectSuccess(phone)
        #expect(
            phone.stdout.contains("Settings for the mail client (user name alice@example.com") && phone.stdout.contains("mail.example.com")
                && phone.stdout.contains("IMAP (incoming)") && phone.stdout.contains("SSL/TLS") && !phone.stdout.contains("SMTP"), "\(phone)")
        let unconfirmed = try asEmployee(["password", "revoke", "--all"], home: home)
        #expect(unconfirmed.status == 64 && unconfirmed.stderr.contains("revoke your one app password (alice@example.com); add --yes"), "\(unconfirmed)")
        #expect(try asEmployee(["password", "list", "--json"], home: home).array().count == 1)
        let all = try asEmployee(["password", "revoke", "--all", "--yes"], home: home)
        #expect(all.stdout.contains("Revoked app password 2 \"Phone\""), "\(all)")
        let none = try asEmployee(["password", "list"], home: home)
        #expect(none.stdout.contains("Make one with `clientpass password generate --label LABEL`"), "\(none)")

        let logout = try asEmployee(["logout"], home: home)
        #expect(logout.status == 0 && logout.stdout.contains("Signed out of \(server)"), "\(logout)")
        #expect(!FileManager.default.fileExists(atPath: home + "/config/clientpass/session"))
        let after = try asEmployee(["password", "list"], home: home)
        #expect(after.status == 4 && after.stderr.contains("signed out: run clientpass login"), "\(after)")

        // A token the server ended (another sign-out, a new mailbox password) says the same.
        expectSuccess(try asEmployee(["login", "--user", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n", home: home))
        expectSuccess(try lab.sandbox.run(["admin", "account", "set-password", "alice@example.com", "--password-stdin"], stdin: "a new mailbox password\n"))
        let ended = try asEmployee(["access"], home: home)
        #expect(ended.status == 4, "\(ended)")

        // The issuing server unreachable: the token is kept, and --local deletes it here only.
        expectSuccess(try asEmployee(["login", "--user", "alice@example.com", "--password-stdin"], stdin: "a new mailbox password\n", home: home))
        serve.stop()
        let unreachable = try asEmployee(["logout"], home: home)
        #expect(unreachable.status == 1 && unreachable.stderr.contains("the token is still kept"), "\(unreachable)")
        #expect(FileManager.default.fileExists(atPath: home + "/config/clientpass/session"))
        let forgotten = try asEmployee(["logout", "--local"], home: home)
        #expect(forgotten.status == 0 && forgotten.stdout.contains("Deleted the token on this computer"), "\(forgotten)")
        #expect(!FileManager.default.fileExists(atPath: home + "/config/clientpass/session"))
    }
}

/// A loopback port that listens and never answers: counts the connections made to it.
final class TrapListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try bindLoopbackSocket(listening: true)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    /// The connections waiting to be accepted (each is accepted and closed).
    func connections() -> Int {
        var count = 0
        while true {
            let accepted = accept(descriptor, nil, nil)
            guard accepted >= 0 else { return count }
            close(accepted)
            count += 1
        }
    }
}
