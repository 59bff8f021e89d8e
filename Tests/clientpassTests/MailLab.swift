import ClientPassTestSupport
import Foundation
import Testing

/// Real mail servers on loopback for end-to-end tests: Dovecot 2.3 asking clientpass through
/// checkpassword, in a temporary folder with free high ports. Stopped when released.
final class MailLab: @unchecked Sendable {
    let sandbox: Sandbox
    let folder: String
    let ports: [String: Int]
    private var servers: [Process] = []
    /// The `serve` processes' ids (through Python's exec, the same processes), in port order.
    private(set) var servePIDs: [pid_t] = []

    static let mailclient = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/mailclient.py").path
    static let smtpsink = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/smtpsink.py").path

    /// Where the relay MTA behind Dovecot's submission service writes what it receives.
    var relayed: String { folder + "/relayed" }

    /// A store for group dovecot with alice@example.com, and Dovecot serving IMAP, POP3 and
    /// submission (SMTP AUTH) on loopback.
    /// With `proxy`, also nginx's mail proxy asking `clientpass serve` (auth_http), in front of a
    /// second Dovecot that trusts the proxy (the decision is made at nginx).
    /// With `lua`, also a Dovecot whose Lua passdb (contrib/dovecot/clientpass.lua) asks
    /// `clientpass serve` through `POST /auth/decide`; with `postfix` (and `lua`), also Debian's
    /// Postfix, whose submission port asks that Dovecot and which delivers to it over LMTP, as
    /// docs/postfix.md says.
    ///
    /// With `postgresql` (a store's URL), the store is there instead of a file, no Dovecot asks
    /// through checkpassword, and `nodes` `serve` processes answer behind nginx: its mail proxy
    /// asks them through an HTTP upstream of nginx's own (port "nginx-http"), which also serves
    /// the page and the API.
    init(proxy: Bool = false, lua: Bool = false, postfix: Bool = false, postgresql: String? = nil, nodes: Int = 1) throws {
        sandbox = try Sandbox(store: postgresql)
        self.nodes = nodes
        folder = sandbox.folder + "/lab"
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        chmod(sandbox.folder, 0o755)
        chmod(folder, 0o755)
        chmod(folder + "/home", 0o777)
        ports = try Self.freePorts(
            [
                "imap", "pop3", "submission", "serve", "nginx-imap", "nginx-pop3", "nginx-smtp",
                "backend-imap", "backend-pop3", "backend-submission", "lua-imap", "lua-pop3", "lua-submission", "relay",
                "nginx-http",
            ] + (1..<max(nodes, 1)).map { "serve\($0)" })
        expectSuccess(try sandbox.run(["admin", "init"] + (postgresql == nil ? ["--group", "dovecot"] : [])))
        expectSuccess(try sandbox.run(["admin", "account", "add", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n"))
        if postgresql == nil { try startDovecot() }
        if proxy || lua {
            try startServe()
        }
        if lua {
            // docs/postfix.md's Dovecot 2.3 block: the auth socket and LMTP for Postfix.
            self.postfix = try postfix ? PostfixLab(folder: folder + "/postfix", inside: folder + "/postfix", mailboxes: ["alice@example.com"]) : nil
            let sockets = try self.postfix.map {
                try DocumentedBlock.text(
                    "docs/postfix.md", marker: PostfixLab.marker + " (Dovecot 2.3)",
                    substituting: [
                        ("/var/spool/postfix/", $0.spool)
                    ])
            }
            // docs/dovecot.md's Lua passdb for 2.3, with a shorter wait than the documented 10 s for
            // a serve that hangs.
            let passdb = try DocumentedBlock.text(
                "docs/dovecot.md", marker: "<!-- The block below is the one DovecotLuaTests runs",
                substituting: [
                    ("http://127.0.0.1:8787/", "http://127.0.0.1:\(ports["serve"]!)/"), ("/etc/dovecot/clientpass-secret", folder + "/shared-secret"),
                    ("/usr/share/clientpass/dovecot/clientpass.lua", DocumentedBlock.repository.appendingPathComponent("contrib/dovecot/clientpass.lua").path),
                ])
            try startDovecot(
                name: "lua",
                authentication: (sockets ?? "") + passdb + """
                    import_environment = $import_environment CLIENTPASS_DECIDE_TIMEOUT_SECONDS=6
                    """ + mailUser(allowingAllUsers: postfix))
            try self.postfix?.start()
        }
        if proxy {
            // The backend trusts the proxy only: nginx authenticates to it after clientpass
            // allowed the login (proxy_smtp_auth), and messages go on to the relay MTA.
            try startServer("/usr/bin/python3", [Self.smtpsink, String(ports["relay"]!), relayed], log: folder + "/relay.log")
            try Self.waitForListener(ports["relay"]!)
            try startDovecot(
                name: "backend",
                authentication: try DocumentedBlock.text(
                    "docs/nginx.md", marker: "<!-- The block below is the one NginxTests runs (Dovecot 2.3 backend)",
                    substituting: [
                        ("10.0.0.4/32", "127.0.0.1/32"), ("uid=vmail gid=vmail home=/var/vmail/%d/%n", "uid=nobody gid=nogroup home=\(folder)/home/%n"),
                        ("submission_relay_port = 25\n", "submission_relay_port = \(ports["relay"]!)\n"),
                    ]))
            try startNginx()
        }
    }

    deinit {
        if ProcessInfo.processInfo.environment["CLIENTPASS_KEEP_LAB"] != nil {
            for log in ["dovecot.log", "serve.log", "nginx-error.log", "backend/dovecot.log", "lua/dovecot.log"] {
                try? FileManager.default.copyItem(
                    atPath: folder + "/" + log, toPath: "/tmp/kept-lab-\(ports["imap"]!)-" + log.replacingOccurrences(of: "/", with: "-"))
            }
        }
        postfix?.stop()
        for server in servers where server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
    }

    /// Starts a server in the foreground (daemons would outlive the test) and keeps it.
    func startServer(_ executable: String, _ arguments: [String], log: String) throws {
        servers.append(try launchServer(executable, arguments, log: log, in: folder))
    }

    var dovecotConfig: String { folder + "/dovecot.conf" }

    /// Logs in to the Dovecot whose Lua passdb asks `clientpass serve`.
    func loginThroughLua(_ service: String, password: String, source: String = "127.0.0.1", forwarding client: String? = nil) throws -> Int32 {
        try login(service, password: password, source: source, port: ports["lua-" + (service == "smtp" ? "submission" : service)]!, forwarding: client)
    }

    /// Signs the certificate of nginx's TLS, with `proxy`.
    private(set) var proxyAuthority: String?

    /// Logs in through nginx's mail proxy instead of Dovecot directly: over TLS for IMAP and
    /// POP3, with STARTTLS for SMTP, as docs/nginx.md's block wants.
    func loginThroughProxy(_ service: String, password: String, source: String = "127.0.0.1", sendingTo recipient: String? = nil) throws -> Int32 {
        try login(
            service, password: password, source: source, port: ports["nginx-" + service]!, sendingTo: recipient,
            tls: [service == "smtp" ? "--starttls" : "--tls", proxyAuthority ?? ""])
    }

    /// The Postfix in front of the Lua passdb's Dovecot, with `postfix`.
    private(set) var postfix: PostfixLab?

    /// The mailboxes' static userdb (nobody owns them here); with `allowingAllUsers`, as
    /// docs/postfix.md wants it for LMTP on 2.3.
    private func mailUser(allowingAllUsers: Bool = false) -> String {
        """

        userdb {
          driver = static
          args = uid=nobody gid=nogroup home=\(folder)/home/%n\(allowingAllUsers ? " allow_all_users=yes" : "")
        }

        """
    }

    /// - Parameter authentication: the passdb and userdb; docs/dovecot.md's checkpassword block
    ///   by default.
    private func startDovecot(name: String = "", authentication: String? = nil) throws {
        let prefix = name.isEmpty ? "" : name + "-"
        let folder = name.isEmpty ? self.folder : self.folder + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o755)
        let authentication =
            try authentication
            ?? DocumentedBlock.text(
                "docs/dovecot.md", marker: "<!-- The block below is the one DovecotTests runs (checkpassword)",
                substituting: [
                    ("/usr/bin/clientpass", clientpassBinary.path), ("/var/lib/clientpass/clientpass.sqlite", sandbox.store),
                    ("uid=vmail gid=vmail home=/var/vmail/%d/%n", "uid=nobody gid=nogroup home=\(self.folder)/home/%n"),
                ])
        let config = """
            base_dir = \(folder)/run
            state_dir = \(folder)/state
            log_path = \(folder)/dovecot.log
            instance_name = clientpass-test-\(ports[prefix + "imap"]!)
            protocols = imap pop3 submission
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_failure_delay = 0
            auth_cache_size = 0
            default_internal_user = dovecot
            default_login_user = dovenull
            mail_location = maildir:\(self.folder)/home/%n/Maildir
            hostname = mail.test
            submission_relay_host = 127.0.0.1
            submission_relay_port = \(ports["relay"]!)
            # The webmail host of the first-party tests: Dovecot believes the client address it
            # forwards (IMAP ID x-originating-ip, XCLIENT) and tells clientpass both.
            login_trusted_networks = \(Self.webmailHost)/32
            \(authentication)
            service anvil {
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }
            service imap-login {
              inet_listener imap {
                port = \(ports[prefix + "imap"]!)
              }
            }
            service pop3-login {
              inet_listener pop3 {
                port = \(ports[prefix + "pop3"]!)
              }
            }
            service submission-login {
              inet_listener submission {
                port = \(ports[prefix + "submission"]!)
              }
            }

            """
        try config.write(toFile: folder + "/dovecot.conf", atomically: true, encoding: .utf8)
        try startServer("/usr/sbin/dovecot", ["-F", "-c", folder + "/dovecot.conf"], log: folder + "/dovecot.out")
        for service in ["imap", "pop3", "submission"] { try Self.waitForListener(ports[prefix + service]!) }
    }

    let sharedSecret = "lab-shared-secret-" + UUID().uuidString

    /// The store's path, or its URL on PostgreSQL.
    var store: String { sandbox.store }
    /// How many `serve` processes answer (ports "serve", "serve1", …).
    let nodes: Int
    var servePorts: [Int] { [ports["serve"]!] + (1..<max(nodes, 1)).map { ports["serve\($0)"]! } }

    private func startServe() throws {
        try (sharedSecret + "\n").write(toFile: folder + "/shared-secret", atomically: true, encoding: .utf8)
        // As docs/dovecot.md says: Dovecot's auth process reads it as the dovecot group.
        chown(folder + "/shared-secret", 0, getgrnam("dovecot")?.pointee.gr_gid ?? 0)
        chmod(folder + "/shared-secret", 0o640)
        for (index, port) in servePorts.enumerated() {
            try startServeNode(port: port, log: folder + "/serve\(index == 0 ? "" : String(index)).log")
        }
    }

    private func startServeNode(port: Int, log: String) throws {
        try startServer(
            clientpassBinary.path,
            [
                "serve", "--store", store, "--listen", "127.0.0.1:\(port)",
                "--shared-secret-file", folder + "/shared-secret",
                "--imap-backend", "127.0.0.1:\(ports["backend-imap"]!)",
                "--pop3-backend", "127.0.0.1:\(ports["backend-pop3"]!)",
                "--smtp-backend", "127.0.0.1:\(ports["backend-submission"]!)",
            ],
            log: log)
        servePIDs.append(servers.last!.processIdentifier)
        try Self.waitForListener(port)
    }

    private func startNginx() throws {
        let config = """
            daemon off;
            pid \(folder)/nginx.pid;
            error_log \(folder)/nginx-error.log info;
            load_module /usr/lib/nginx/modules/ngx_mail_module.so;
            events { worker_connections 64; }
            \(nodes > 1 ? """
            http {
              access_log off;
              upstream clientpass { \(servePorts.map { "server 127.0.0.1:\($0);" }.joined(separator: " ")) }
              server {
                listen 127.0.0.1:\(ports["nginx-http"]!);
                location / { proxy_pass http://clientpass; proxy_set_header X-Forwarded-For $remote_addr; }
              }
            }
            """ : "")

            """
        // docs/nginx.md's mail block, with a certificate of the lab's own authority.
        let authority = try TestCertificateAuthority(in: folder + "/ca")
        let (certificate, key) = try authority.issue("mail", commonName: "mail.test", extensions: ["subjectAltName=DNS:mail.test"])
        proxyAuthority = authority.certificate
        let mail = try DocumentedBlock.nginxMail(
            authHTTP: "127.0.0.1:\(nodes > 1 ? ports["nginx-http"]! : ports["serve"]!)", secret: sharedSecret,
            certificate: certificate, key: key,
            imap: ports["nginx-imap"]!, pop3: ports["nginx-pop3"]!, smtp: ports["nginx-smtp"]!)
        try (config + mail).write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        try startServer("/usr/sbin/nginx", ["-e", folder + "/nginx-startup.log", "-p", folder, "-c", folder + "/nginx.conf"], log: folder + "/nginx.out")
        for service in ["nginx-imap", "nginx-pop3", "nginx-smtp"] { try Self.waitForListener(ports[service]!) }
    }

    /// The loopback address that plays the company's webmail in front of Dovecot.
    static let webmailHost = "127.0.0.77"

    /// One login through the webmail host, forwarding the employee's address.
    func loginThroughWebmail(_ service: String, user: String = "alice@example.com", password: String, forwarding client: String) throws -> Int32 {
        try login(service, user: user, password: password, source: Self.webmailHost, forwarding: client)
    }

    /// One login with a real client (Python's imaplib, poplib or smtplib).
    /// - Returns: 0 logged in, 1 refused by the server, 2 other failure.
    func login(
        _ service: String, user: String = "alice@example.com", password: String, source: String = "127.0.0.1", port: Int? = nil,
        forwarding client: String? = nil, sendingTo recipient: String? = nil, tls: [String] = []
    ) throws -> Int32 {
        let port = port ?? ports[service == "smtp" ? "submission" : service]!
        let forward = (client.map { ["--forward", $0] } ?? []) + (recipient.map { ["--send", $0] } ?? []) + tls
        let result = try runProcess(
            "/usr/bin/python3", [Self.mailclient, service, "127.0.0.1", String(port), user, "--source", source] + forward,
            stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: folder)
        if result.status == 2 { Issue.record("\(service) client failed: \(result)") }
        return result.status
    }

    /// Free TCP ports on loopback, found by binding to port 0.
    static func freePorts(_ names: [String]) throws -> [String: Int] {
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import socket
                sockets = [socket.socket() for _ in range(\(names.count))]
                for s in sockets: s.bind(("127.0.0.1", 0))
                print(" ".join(str(s.getsockname()[1]) for s in sockets))
                """,
            ], stdin: nil, environment: [:], in: "/tmp")
        let numbers = result.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard numbers.count == names.count else { throw POSIXError(.EADDRINUSE) }
        return Dictionary(uniqueKeysWithValues: zip(names, numbers))
    }

    static func waitForListener(_ port: Int) throws {
        for _ in 0..<200 {
            let probe = try runProcess(
                "/usr/bin/python3", ["-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 1)"],
                stdin: nil, environment: [:], in: "/tmp")
            if probe.status == 0 { return }
            usleep(50_000)
        }
        Issue.record("nothing listens on port \(port)")
        throw POSIXError(.ECONNREFUSED)
    }
}

/// An IMAP session kept open by the Python client, to see whether the server ends it.
final class OpenSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(lab: MailLab, password: String, source: String = "127.0.0.1") throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [MailLab.mailclient, "imap", "127.0.0.1", String(lab.ports["imap"]!), "alice@example.com", "--source", source, "--session"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
    }

    /// The next line the client prints.
    func line() -> String {
        var bytes: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sends NOOP: "OK" while the session works, "CLOSED" once the server ended it.
    func noop() -> String {
        input.fileHandleForWriting.write(Data("NOOP\n".utf8))
        return line()
    }
}
