import ClientPassTestSupport
import Foundation

/// Debian's Postfix with docs/postfix.md's main.cf and master.cf blocks, on a free loopback
/// port: its submission port asks a Dovecot's auth socket, and it delivers to that Dovecot over
/// LMTP. On this host (Debian 12), or with chroot in the Debian 13 root. Its own folder holds
/// its configuration, queue and log. Stopped when released.
final class PostfixLab {
    /// The folder as this host sees it, and as Postfix sees it (the same without a root).
    let folder: String
    let inside: String
    let root: String?
    let port: Int
    /// Signs the certificate Postfix's TLS shows.
    let authority: TestCertificateAuthority
    private var server: Process?

    /// The queue, as Dovecot's configuration names it: the docs' `/var/spool/postfix/`.
    var spool: String { inside + "/spool/" }
    var log: String { (try? String(contentsOfFile: folder + "/postfix.log", encoding: .utf8)) ?? "" }

    /// Writes the configuration and makes the queue (`postfix check`); `start` once the Dovecot
    /// whose sockets are in the queue runs.
    init(folder: String, inside: String, root: String? = nil, mailboxes: [String]) throws {
        self.folder = folder
        self.inside = inside
        self.root = root
        port = try MailLab.freePorts(["postfix"])["postfix"]!
        try FileManager.default.createDirectory(atPath: folder + "/spool", withIntermediateDirectories: true)
        authority = try TestCertificateAuthority(in: folder + "/ca")
        let (certificate, key) = try authority.issue("mail", commonName: "mail.test", extensions: ["subjectAltName=DNS:mail.test"])
        // Its configuration in etc/ (root's only), apart from the queue, as postfix check wants.
        try FileManager.default.createDirectory(atPath: folder + "/etc", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: certificate, toPath: folder + "/etc/mail.pem")
        try FileManager.default.copyItem(atPath: key, toPath: folder + "/etc/mail.key")
        try mailboxes.map { $0 + " OK\n" }.joined().write(toFile: folder + "/etc/mailboxes", atomically: true, encoding: .utf8)

        let main = """
            # The test's own: its folders, log and port, nothing for this host's mail.
            compatibility_level = 3.6
            queue_directory = \(inside)/spool
            data_directory = \(inside)/data
            meta_directory = /etc/postfix
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = mail.test
            mydestination =
            alias_maps =
            alias_database =
            maillog_file_prefixes = \(inside)
            maillog_file = \(inside)/postfix.log

            """
            + (try DocumentedBlock.text(
                "docs/postfix.md", marker: Self.marker + " (main.cf)",
                substituting: [
                    ("/etc/postfix/", inside + "/etc/")
                ]))
        let master =
            try DocumentedBlock.text(
                "docs/postfix.md", marker: Self.marker + " (master.cf)",
                substituting: [
                    ("submission inet", "127.0.0.1:\(port) inet")
                ]) + """
                # The services Postfix needs besides, as in Debian's master.cf.
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                proxymap  unix  -       -       n       -       -       proxymap
                smtp      unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                lmtp      unix  -       -       n       -       -       lmtp
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd

                """
        try main.write(toFile: folder + "/etc/main.cf", atomically: true, encoding: .utf8)
        try master.write(toFile: folder + "/etc/master.cf", atomically: true, encoding: .utf8)
        // Makes the queue's folders, owned by the postfix user of this host or of the root.
        let checked = try postfix("check")
        guard checked.status == 0 else { throw LabError("postfix check refuses the documented configuration: \(checked.stdout)\(checked.stderr)") }
    }

    static let marker = "<!-- The block below is the one PostfixTests runs"

    /// `postfix -c … ACTION` for this instance, in the root when there is one.
    private func command(_ action: String) -> (executable: String, arguments: [String]) {
        let arguments = ["-c", inside + "/etc", action]
        guard let root else { return ("/usr/sbin/postfix", arguments) }
        return ("/usr/sbin/chroot", [root, "/usr/sbin/postfix"] + arguments)
    }

    private func postfix(_ action: String) throws -> RunResult {
        let (executable, arguments) = command(action)
        return try runProcess(executable, arguments, stdin: nil, environment: ["PATH": "/usr/sbin:/usr/bin:/bin"], in: "/")
    }

    /// Starts Postfix's master in the foreground.
    func start() throws {
        let (executable, arguments) = command("start-fg")
        server = try launchServer(executable, arguments, log: folder + "/postfix.out", in: folder)
        try MailLab.waitForListener(port)
    }

    deinit { stop() }

    /// One SMTP AUTH at the submission port (STARTTLS first), sending a message to `recipient`
    /// with `subject` once logged in; the client's output too (`SENT`, `refused: 535 …`).
    func submit(user: String = "alice@example.com", password: String, to recipient: String, subject: String) throws -> RunResult {
        try runProcess(
            "/usr/bin/python3",
            [
                MailLab.mailclient, "smtp", "127.0.0.1", String(port), user, "--starttls", authority.certificate,
                "--send", recipient, "--subject", subject,
            ],
            stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: folder)
    }

    /// Waits until Postfix's queue is empty (delivered or bounced), at most 20 seconds.
    func waitForEmptyQueue() throws {
        for _ in 0..<200 {
            let queued =
                try FileManager.default.subpathsOfDirectory(atPath: folder + "/spool/active")
                + FileManager.default.subpathsOfDirectory(atPath: folder + "/spool/incoming")
                + FileManager.default.subpathsOfDirectory(atPath: folder + "/spool/maildrop")
            if queued.isEmpty { return }
            usleep(100_000)
        }
        throw LabError("Postfix's queue did not empty: \(log.suffix(2000))")
    }
}

extension PostfixLab {
    /// Stops Postfix's master, and with it its processes. `start-fg` runs the master as a child
    /// of Postfix's script, which a signal would not pass on: `postfix stop` signals the master.
    func stop() {
        guard let server, server.isRunning else { return }
        _ = try? postfix("stop")
        for _ in 0..<100 where server.isRunning { usleep(100_000) }
        if server.isRunning { server.terminate() }
        server.waitUntilExit()
    }
}
