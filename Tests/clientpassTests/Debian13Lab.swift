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

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let sandbox: Sandbox
    let serve: ServeProcess
    let ports: [String: Int]
    /// The lab's folder as this host sees it, and as Dovecot in the root sees it.
    let folder: String
    let inside: String
    /// Signs the certificate Dovecot's TLS shows the test's clients.
    let authority: TestCertificateAuthority
    private var servers: [Process] = []

    /// The configuration block of docs/dovecot.md's Debian 13 section, as written there.
    static func documentedConfiguration() throws -> String {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/dovecot.md"), encoding: .utf8)
        guard let marker = text.range(of: "<!-- The block below is the one Dovecot24Tests runs"),
              let open = text.range(of: "```\n", range: marker.upperBound..<text.endIndex),
              let close = text.range(of: "\n```\n", range: open.upperBound..<text.endIndex) else {
            throw LabError("docs/dovecot.md has no Dovecot 2.4 block after its marker")
        }
        return String(text[open.upperBound..<close.lowerBound]) + "\n"
    }

    init() throws {
        sandbox = try Sandbox()
        expectSuccess(try sandbox.run(["admin", "init"]))
        expectSuccess(try sandbox.run(["admin", "account", "add", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n"))
        serve = try ServeProcess(sandbox: sandbox)
        ports = try MailLab.freePorts(["imap", "pop3", "submission", "relay"])
        inside = "/run/clientpass-tests/\(ports["imap"]!)"
        folder = Self.root + inside
        let manager = FileManager.default
        try? manager.removeItem(atPath: folder)
        for sub in ["etc/private", "share", "vmail", "run", "state"] {
            try manager.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        chown(folder + "/vmail", 5000, 5000)
        // The files the docs install, where the docs put them (under the lab's folder).
        authority = try TestCertificateAuthority(in: sandbox.folder + "/ca")
        let (certificate, key) = try authority.issue("mail", commonName: "mail.test", extensions: ["subjectAltName=DNS:mail.test"])
        try manager.copyItem(atPath: certificate, toPath: folder + "/etc/private/mail.pem")
        try manager.copyItem(atPath: key, toPath: folder + "/etc/private/mail.key")
        try manager.copyItem(atPath: Self.repository.appendingPathComponent("contrib/dovecot/clientpass.lua").path,
                             toPath: folder + "/share/clientpass.lua")
        try (serve.sharedSecret + "\n").write(toFile: folder + "/etc/clientpass-secret", atomically: true, encoding: .utf8)
        chown(folder + "/etc/clientpass-secret", 0, try Self.group("dovecot"))
        chmod(folder + "/etc/clientpass-secret", 0o640)

        let documented = try Self.documentedConfiguration()
        var configuration = documented
        for (from, to) in [("/etc/dovecot/", inside + "/etc/"), ("/usr/local/share/clientpass/dovecot/", inside + "/share/"),
                           ("/var/vmail/", inside + "/vmail/"), ("http://127.0.0.1:8787/", "http://127.0.0.1:\(serve.port)/"),
                           ("192.0.2.10/32", MailLab.webmailHost + "/32"),
                           ("submission_relay_port = 25\n", "submission_relay_port = \(ports["relay"]!)\n")] {
            guard configuration.contains(from) else { throw LabError("docs/dovecot.md's block no longer has \(from)") }
            configuration = configuration.replacingOccurrences(of: from, with: to)
        }
        configuration += """

            # The test's own: its folders, log and ports; a shorter wait for a serve that hangs.
            base_dir = \(inside)/run
            state_dir = \(inside)/state
            log_path = \(inside)/dovecot.log
            instance_name = clientpass-test-\(ports["imap"]!)
            listen = 127.0.0.1
            auth_failure_delay = 0
            import_environment {
              CLIENTPASS_DECIDE_TIMEOUT_SECONDS = 6
            }
            service imap-login {
              inet_listener imap {
                port = \(ports["imap"]!)
              }
            }
            service pop3-login {
              inet_listener pop3 {
                port = \(ports["pop3"]!)
              }
            }
            service submission-login {
              inet_listener submission {
                port = \(ports["submission"]!)
              }
            }

            """
        try configuration.write(toFile: folder + "/dovecot.conf", atomically: true, encoding: .utf8)
        let checked = try runProcess("/usr/sbin/chroot", [Self.root, "/usr/bin/doveconf", "-c", inside + "/dovecot.conf", "-n"],
                                     stdin: nil, environment: ["PATH": "/usr/sbin:/usr/bin:/bin"], in: "/")
        guard checked.status == 0 else { throw LabError("doveconf refuses the documented configuration: \(checked.stderr)") }
        servers.append(try launchServer("/usr/bin/python3", [MailLab.smtpsink, String(ports["relay"]!), folder + "/relayed"],
                                        log: folder + "/relay.log", in: folder))
        servers.append(try launchServer("/usr/sbin/chroot", [Self.root, "/usr/sbin/dovecot", "-F", "-c", inside + "/dovecot.conf"],
                                        log: folder + "/dovecot.out", in: folder))
        for name in ["relay", "imap", "pop3", "submission"] { try MailLab.waitForListener(ports[name]!) }
    }

    deinit {
        for server in servers.reversed() where server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func group(_ name: String) throws -> gid_t {
        let groups = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
        for line in groups.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 2, fields[0] == name, let id = gid_t(fields[2]) { return id }
        }
        throw LabError("no group \(name) in the Debian 13 root")
    }

    /// One login with a real client, over TLS (STARTTLS) as the documented `ssl = required`
    /// wants; the client's output too (`LOGGED-IN`, `refused: …`).
    func login(_ service: String, user: String = "alice@example.com", password: String, source: String = "127.0.0.1",
               forwarding client: String? = nil, sendingTo recipient: String? = nil) throws -> RunResult {
        let port = ports[service == "smtp" ? "submission" : service]!
        let extra = (client.map { ["--forward", $0] } ?? []) + (recipient.map { ["--send", $0] } ?? [])
        return try runProcess("/usr/bin/python3", [MailLab.mailclient, service, "127.0.0.1", String(port), user, "--source", source,
                                                   "--starttls", authority.certificate] + extra,
                              stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: folder)
    }

    var dovecotLog: String { (try? String(contentsOfFile: folder + "/dovecot.log", encoding: .utf8)) ?? "" }
    var serveLog: String { (try? String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)) ?? "" }
}
