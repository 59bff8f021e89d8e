import ClientPassTestSupport
import Foundation
import Testing

/// Debian 13's Dovecot 2.4, run with chroot in the root `scripts/debian13-root.sh` makes (`make
/// test` makes it once, `CLIENTPASS_DEBIAN13_ROOT` names it), on free loopback ports of this
/// host's network, asking a `clientpass serve` on this host through the Lua passdb. Its
/// configuration is docs/dovecot.md's block, with only paths, ports and host names changed.
/// Stopped, and its folder removed, when released.
final class Debian13Lab: @unchecked Sendable {
    static let root = ProcessInfo.processInfo.environment["CLIENTPASS_DEBIAN13_ROOT"] ?? "/var/cache/clientpass-tests/debian13"
    /// Whether the root is there (`make test` makes it; a bare `swift test` may not have it).
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/.clientpass-root") && getuid() == 0 }

    let sandbox: Sandbox
    let serve: ServeProcess
    let ports: [String: Int]
    /// The lab's folder as this host sees it, and as Dovecot in the root sees it.
    let folder: String
    let inside: String
    /// Signs the certificate Dovecot's TLS shows the test's clients.
    let authority: TestCertificateAuthority
    private var servers: [Process] = []
    /// Debian 13's Postfix in front of the main Dovecot, with `postfix`.
    private(set) var postfix: PostfixLab?

    /// A Dovecot's own part of a test configuration: its folders, log and ports.
    func dovecotPlacement(_ name: String, imap: Int, pop3: Int, submission: Int) -> String {
        Self.dovecotPlacement(name, inside: inside, imap: imap, pop3: pop3, submission: submission)
    }

    /// The same, for a Dovecot whose files are in `inside` (as the root sees it).
    static func dovecotPlacement(_ name: String, inside: String, imap: Int, pop3: Int, submission: Int) -> String {
        """

        # The test's own: its folders, log and ports.
        base_dir = \(inside)/\(name)/run
        state_dir = \(inside)/\(name)/state
        log_path = \(inside)/\(name)/dovecot.log
        instance_name = clientpass-test-\(name)-\(imap)
        listen = 127.0.0.1
        auth_failure_delay = 0
        # Its own ports only: none of the implicit-TLS listeners (993, 995, 465) 2.4 has.
        service imap-login {
          inet_listener imap {
            port = \(imap)
          }
          inet_listener imaps {
            port = 0
          }
        }
        service pop3-login {
          inet_listener pop3 {
            port = \(pop3)
          }
          inet_listener pop3s {
            port = 0
          }
        }
        service submission-login {
          inet_listener submission {
            port = \(submission)
          }
          inet_listener submissions {
            port = 0
          }
        }

        """
    }

    /// Checks a configuration with the root's doveconf, then starts its Dovecot.
    func startDovecot(_ name: String, configuration: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/" + name + "/run", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/" + name + "/state", withIntermediateDirectories: true)
        try configuration.write(toFile: folder + "/" + name + "/dovecot.conf", atomically: true, encoding: .utf8)
        let checked = try runProcess(
            "/usr/sbin/chroot", [Self.root, "/usr/bin/doveconf", "-c", inside + "/" + name + "/dovecot.conf", "-n"],
            stdin: nil, environment: ["PATH": "/usr/sbin:/usr/bin:/bin"], in: "/")
        guard checked.status == 0 else { throw LabError("doveconf refuses the documented configuration: \(checked.stderr)") }
        servers.append(
            try launchServer(
                "/usr/sbin/chroot", [Self.root, "/usr/sbin/dovecot", "-F", "-c", inside + "/" + name + "/dovecot.conf"],
                log: folder + "/" + name + "/dovecot.out", in: folder))
    }

    /// - Parameter proxy: also nginx 1.26's mail proxy (docs/nginx.md's block) asking `serve`,
    ///   in front of a second Dovecot 2.4 that trusts it (docs/nginx.md's backend block).
    /// - Parameter postfix: also Debian 13's Postfix, whose submission port asks the main
    ///   Dovecot's auth socket and which delivers to it over LMTP (docs/postfix.md's blocks).
    init(proxy: Bool = false, postfix: Bool = false) throws {
        sandbox = try Sandbox()
        expectSuccess(try sandbox.run(["admin", "init"]))
        expectSuccess(try sandbox.run(["admin", "account", "add", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n"))
        ports = try MailLab.freePorts([
            "imap", "pop3", "submission", "relay", "backend-imap", "backend-pop3", "backend-submission",
            "nginx-imap", "nginx-pop3", "nginx-smtp",
        ])
        serve = try ServeProcess(
            sandbox: sandbox,
            arguments: proxy
                ? [
                    "--imap-backend", "127.0.0.1:\(ports["backend-imap"]!)",
                    "--pop3-backend", "127.0.0.1:\(ports["backend-pop3"]!)",
                    "--smtp-backend", "127.0.0.1:\(ports["backend-submission"]!)",
                ] : [])
        inside = "/run/clientpass-tests/\(ports["imap"]!)"
        folder = Self.root + inside
        let manager = FileManager.default
        try? manager.removeItem(atPath: folder)
        for sub in ["etc/private", "share", "vmail"] {
            try manager.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        chown(folder + "/vmail", 5000, 5000)
        // The files the docs install, where the docs put them (under the lab's folder).
        authority = try TestCertificateAuthority(in: sandbox.folder + "/ca")
        let (certificate, key) = try authority.issue("mail", commonName: "mail.test", extensions: ["subjectAltName=DNS:mail.test"])
        try manager.copyItem(atPath: certificate, toPath: folder + "/etc/private/mail.pem")
        try manager.copyItem(atPath: key, toPath: folder + "/etc/private/mail.key")
        try manager.copyItem(
            atPath: DocumentedBlock.repository.appendingPathComponent("contrib/dovecot/clientpass.lua").path,
            toPath: folder + "/share/clientpass.lua")
        try (serve.sharedSecret + "\n").write(toFile: folder + "/etc/clientpass-secret", atomically: true, encoding: .utf8)
        chown(folder + "/etc/clientpass-secret", 0, try Self.group("dovecot"))
        chmod(folder + "/etc/clientpass-secret", 0o640)
        servers.append(
            try launchServer(
                "/usr/bin/python3", [MailLab.smtpsink, String(ports["relay"]!), folder + "/relayed"],
                log: folder + "/relay.log", in: folder))

        // docs/dovecot.md's Dovecot, asking serve through the Lua passdb.
        let marker = "<!-- The block below is the one Dovecot24Tests runs"
        var main = try DocumentedBlock.text(
            "docs/dovecot.md", marker: marker,
            substituting: [
                ("/etc/dovecot/", inside + "/etc/"), ("/usr/share/clientpass/dovecot/", inside + "/share/"),
                ("/var/vmail/", inside + "/vmail/"), ("http://127.0.0.1:8787/", "http://127.0.0.1:\(serve.port)/"),
                ("192.0.2.10/32", MailLab.webmailHost + "/32"),
                ("submission_relay_port = 25\n", "submission_relay_port = \(ports["relay"]!)\n"),
            ])
        main += dovecotPlacement("main", imap: ports["imap"]!, pop3: ports["pop3"]!, submission: ports["submission"]!)
        // A shorter wait than the documented 10 s for a serve that hangs.
        main += "import_environment {\n  CLIENTPASS_DECIDE_TIMEOUT_SECONDS = 6\n}\n"
        if postfix {
            let lab = try PostfixLab(folder: folder + "/postfix", inside: inside + "/postfix", root: Self.root, mailboxes: ["alice@example.com"])
            main += try DocumentedBlock.text(
                "docs/postfix.md", marker: PostfixLab.marker + " (Dovecot 2.4)",
                substituting: [
                    ("/var/spool/postfix/", lab.spool)
                ])
            self.postfix = lab
        }
        try startDovecot("main", configuration: main)
        try self.postfix?.start()
        var listeners = ["relay", "imap", "pop3", "submission"]

        if proxy {
            // docs/nginx.md's backend, trusting the proxy on this host, and its nginx.
            var backend = try DocumentedBlock.text(
                "docs/nginx.md", marker: marker + " (backend)",
                substituting: [
                    ("10.0.0.4/32", "127.0.0.1/32"), ("/var/vmail/", inside + "/vmail/"),
                    ("submission_relay_port = 25\n", "submission_relay_port = \(ports["relay"]!)\n"),
                ])
            backend += dovecotPlacement(
                "backend", imap: ports["backend-imap"]!, pop3: ports["backend-pop3"]!,
                submission: ports["backend-submission"]!)
            try startDovecot("backend", configuration: backend)
            let mail = try DocumentedBlock.nginxMail(
                authHTTP: "127.0.0.1:\(serve.port)", secret: serve.sharedSecret,
                certificate: inside + "/etc/private/mail.pem", key: inside + "/etc/private/mail.key",
                imap: ports["nginx-imap"]!, pop3: ports["nginx-pop3"]!, smtp: ports["nginx-smtp"]!)
            let nginx = """
                # The test's own: in the foreground, its files in the lab's folder.
                daemon off;
                pid \(inside)/nginx.pid;
                error_log \(inside)/nginx-error.log info;
                load_module /usr/lib/nginx/modules/ngx_mail_module.so;
                events { worker_connections 64; }

                """ + mail
            try nginx.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
            servers.append(
                try launchServer(
                    "/usr/sbin/chroot",
                    [
                        Self.root, "/usr/sbin/nginx", "-e", inside + "/nginx-startup.log",
                        "-p", inside, "-c", inside + "/nginx.conf",
                    ],
                    log: folder + "/nginx.out", in: folder))
            listeners += ["backend-imap", "backend-pop3", "backend-submission", "nginx-imap", "nginx-pop3", "nginx-smtp"]
        }
        for name in listeners { try MailLab.waitForListener(ports[name]!) }
    }

    deinit {
        postfix?.stop()
        for server in servers.reversed() where server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        // CLIENTPASS_KEEP_LAB keeps the folder (logs, configurations) to look at.
        if ProcessInfo.processInfo.environment["CLIENTPASS_KEEP_LAB"] == nil { try? FileManager.default.removeItem(atPath: folder) }
    }

    static func group(_ name: String) throws -> gid_t {
        let groups = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
        for line in groups.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 2, fields[0] == name, let id = gid_t(fields[2]) { return id }
        }
        throw LabError("no group \(name) in the Debian 13 root")
    }

    /// One login with a real client, over TLS as the documented configurations want (STARTTLS
    /// at Dovecot and on nginx's SMTP port, TLS from the start on nginx's IMAP and POP3 ports);
    /// the client's output too (`LOGGED-IN`, `refused: …`).
    func login(
        _ service: String, user: String = "alice@example.com", password: String, source: String = "127.0.0.1",
        forwarding client: String? = nil, sendingTo recipient: String? = nil, throughProxy: Bool = false
    ) throws -> RunResult {
        let name = service == "smtp" ? (throughProxy ? "smtp" : "submission") : service
        let port = ports[(throughProxy ? "nginx-" : "") + name]!
        let tls = throughProxy && service != "smtp" ? "--tls" : "--starttls"
        let extra = (client.map { ["--forward", $0] } ?? []) + (recipient.map { ["--send", $0] } ?? [])
        return try runProcess(
            "/usr/bin/python3",
            [
                MailLab.mailclient, service, "127.0.0.1", String(port), user, "--source", source,
                tls, authority.certificate,
            ] + extra,
            stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: folder)
    }

    var dovecotLog: String { (try? String(contentsOfFile: folder + "/main/dovecot.log", encoding: .utf8)) ?? "" }
    var serveLog: String { (try? String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)) ?? "" }
}
