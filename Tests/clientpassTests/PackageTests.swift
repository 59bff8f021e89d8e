import ClientPassTestSupport
import Foundation
import Testing

/// The Debian packages `make deb` builds (CLIENTPASS_DEB_DIR), each in a fresh root of its own
/// release made with mmdebstrap from Debian's packages: the previous build installed by apt
/// (dependencies from Debian), the binary and the files where Debian keeps them, the maintainer
/// scripts' user, folders and secret, a store made as the clientpass user, serve started with
/// the unit's own ExecStart line, the store and the directory's files within reach of Dovecot's
/// group, an upgrade that keeps every credential, then remove (store and settings kept) and
/// purge (nothing left).
@Suite(
    .enabled(if: TestTier.outsideServers, "needs fresh Debian roots (make test)"),
    .enabled(if: PackageLab.isAvailable, "needs the packages of `make deb` in CLIENTPASS_DEB_DIR and mmdebstrap, as root (make test)"))
struct PackageTests {
    @Test(arguments: ["bookworm", "trixie"])
    func installServeUpgradeRemovePurge(release: String) throws {
        let lab = try PackageLab(release: release)
        let root = lab.root
        // Installed by apt, with what the maintainer scripts make.
        let version = try lab.run(["clientpass", "--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix(lab.upstreamVersion), "\(version)")
        for (path, mode, owner) in [
            ("/etc/clientpass", 0o755, "root:root"), ("/etc/clientpass/shared-secret", 0o640, "root:clientpass"),
            ("/var/lib/clientpass", 0o2770, "clientpass:clientpass"), ("/etc/clientpass/clientpass.yaml", 0o644, "root:root"),
            ("/usr/bin/clientpass", 0o755, "root:root"),
        ] {
            let stat = try lab.run(["stat", "-c", "%a %U:%G", path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(stat == "\(String(mode, radix: 8)) \(owner)", "\(path): \(stat)")
        }
        let secret = try String(contentsOfFile: root + "/etc/clientpass/shared-secret", encoding: .utf8)
        #expect(secret.range(of: #"^[0-9a-f]{64}\n$"#, options: .regularExpression) != nil)
        for file in [
            "/usr/share/man/man1/clientpass.serve.1.gz", "/usr/share/bash-completion/completions/clientpass",
            "/usr/share/zsh/vendor-completions/_clientpass", "/usr/share/fish/vendor_completions.d/clientpass.fish",
            "/usr/share/clientpass/dovecot/clientpass.lua", "/usr/share/doc/clientpass/copyright",
            "/usr/share/doc/clientpass/changelog.Debian.gz", "/usr/share/doc/clientpass/examples/clientpass.yaml", lab.unit,
        ] {
            #expect(FileManager.default.fileExists(atPath: root + file), "\(file)")
        }
        #expect(
            try lab.run(["man", "-P", "cat", "clientpass.serve"]).stdout.contains("--warm-cache-seconds")
                || !FileManager.default.fileExists(atPath: root + "/usr/bin/man"))

        // The store, as the clientpass user; then every check of the configuration passes.
        let port = try MailLab.freePorts(["serve"])["serve"]!
        try lab.edit("/etc/clientpass/clientpass.yaml", replacing: "listen: 127.0.0.1:8787", with: "listen: 127.0.0.1:\(port)")
        expectSuccess(try lab.run(["runuser", "-u", "clientpass", "--", "clientpass", "admin", "init"]))
        expectSuccess(try lab.run(["clientpass", "config", "check"]))
        expectSuccess(try lab.run(["runuser", "-u", "clientpass", "--", "clientpass", "admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(
            try lab.run(
                ["runuser", "-u", "clientpass", "--", "clientpass", "admin", "account", "add", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n"))
        let generated = try lab.run(
            [
                "runuser", "-u", "clientpass", "--", "clientpass", "password", "generate", "--label", "Phone", "--json",
                "--user", "alice@example.com", "--password-stdin",
            ], stdin: alicePassword + "\n")
        let phone = try #require(try? generated.object()["password"] as? String, "\(generated)")

        // serve, as the unit starts it: its ExecStart line, as its user.
        let unit = try String(contentsOfFile: root + lab.unit, encoding: .utf8)
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") }).dropFirst("ExecStart=".count)
        #expect(!unit.split(separator: "\n").contains { $0.hasPrefix("Environment=") })
        do {
            let serve = try launchServer(
                "/usr/sbin/chroot",
                [root, "setpriv", "--reuid=clientpass", "--regid=clientpass", "--init-groups"]
                    + execStart.split(separator: " ").map(String.init),
                log: lab.folder + "/serve.log", in: lab.folder)
            defer { serve.terminate(); serve.waitUntilExit() }
            try MailLab.waitForListener(port)
            let health = try runProcess(
                "/usr/bin/python3",
                [
                    "-c",
                    """
                    import urllib.request
                    response = urllib.request.urlopen("http://127.0.0.1:\(port)/healthz", timeout=10)
                    print(response.status, response.read().decode().strip())
                    """,
                ], stdin: nil, environment: [:], in: lab.folder)
            #expect(health.stdout.hasPrefix("200 store: ok"), "\(health)")
            if release == "trixie" {
                try lab.dovecot24AsDocumented(serve: port, phone: phone)
            }
        }
        let startLog = try String(contentsOfFile: lab.folder + "/serve.log", encoding: .utf8)
        #expect(
            startLog.contains("with the store /var/lib/clientpass/clientpass.sqlite")
                && startLog.contains("configuration file /etc/clientpass/clientpass.yaml"),
            "\(startLog)")
        let verify = try lab.run(["systemd-analyze", "verify", "--man=no", lab.unit])
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify)")

        // Dovecot's group: a store it shares (docs/operations.md), and the directory's files in
        // /etc/clientpass with the modes docs/operations.md gives them.
        expectSuccess(try lab.run(["clientpass", "admin", "init", "--group", "dovecot", "--store", "/srv/mail/clientpass/clientpass.sqlite"]))
        try "reader-password\n".write(toFile: root + "/etc/clientpass/ldap-password", atomically: true, encoding: .utf8)
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: root + "/etc/clientpass/corp-ca.pem", atomically: true, encoding: .utf8)
        expectSuccess(try lab.run(["chgrp", "dovecot", "/etc/clientpass/ldap-password"]))
        expectSuccess(try lab.run(["chmod", "0640", "/etc/clientpass/ldap-password"]))
        expectSuccess(try lab.run(["chmod", "0644", "/etc/clientpass/corp-ca.pem"]))
        let asDovecot = ["setpriv", "--reuid=dovecot", "--regid=dovecot", "--init-groups"]
        expectSuccess(try lab.run(asDovecot + ["clientpass", "admin", "policy", "show", "--store", "/srv/mail/clientpass/clientpass.sqlite"]))
        expectSuccess(try lab.run(asDovecot + ["cat", "/etc/clientpass/ldap-password", "/etc/clientpass/corp-ca.pem"]))
        #expect(try lab.run(asDovecot + ["cat", "/etc/clientpass/shared-secret"]).status != 0, "serve's secret is not Dovecot's")

        // The upgrade, from the apt repository `make apt-repo` makes, added as docs/install.md
        // says: it keeps the store, every credential in it, the secret and the settings.
        let repository = try lab.serveRepository()
        defer { repository.terminate(); repository.waitUntilExit() }
        let everything = ["runuser", "-u", "clientpass", "--", "clientpass", "admin", "export", "--include-hashes"]
        let trail = ["runuser", "-u", "clientpass", "--", "clientpass", "admin", "audit", "--json"]
        let storeBefore = try lab.run(everything), trailBefore = try lab.run(trail)
        expectSuccess(storeBefore)
        expectSuccess(trailBefore)
        let update = try lab.run(["apt-get", "update", "-q"])
        #expect(update.status == 0 && !update.stderr.contains("NO_PUBKEY") && !update.stdout.contains("Err:"), "\(update)")
        let upgrade = try lab.run(["apt-get", "upgrade", "-y", "-q"])
        #expect(upgrade.status == 0, "\(upgrade)")
        #expect(try lab.run(["dpkg-query", "-W", "-f", "${Version}", "clientpass"]).stdout == lab.currentVersion)
        // Every account, hash, policy setting and audit entry as it was (the export's own time aside).
        let storeAfter = try lab.run(everything), trailAfter = try lab.run(trail)
        func stored(_ export: RunResult) -> [Substring] { export.stdout.split(separator: "\n").filter { !$0.contains("\"exported_at\"") } }
        #expect(storeAfter.status == 0 && stored(storeAfter) == stored(storeBefore), "\(storeAfter)")
        #expect(storeBefore.stdout.contains("alice@example.com") && storeBefore.stdout.contains("$argon2id$"))
        #expect(trailAfter.status == 0 && trailAfter.stdout == trailBefore.stdout, "\(trailAfter)")
        let check = try lab.run(
            [
                "runuser", "-u", "clientpass", "--", "clientpass", "check", "--user", "alice@example.com", "--protocol", "imap",
                "--from", "127.0.0.1", "--dry-run",
            ], stdin: phone + "\n")
        #expect(check.status == 0 && check.stdout.contains("allow: app password 1 \"Phone\""), "\(check)")
        #expect(try String(contentsOfFile: root + "/etc/clientpass/shared-secret", encoding: .utf8) == secret)
        #expect(try String(contentsOfFile: root + "/etc/clientpass/clientpass.yaml", encoding: .utf8).contains("listen: 127.0.0.1:\(port)"))

        // Removing keeps the store and the settings; purging leaves nothing of clientpass.
        expectSuccess(try lab.run(["apt-get", "remove", "-y", "-q", "clientpass"]))
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/bin/clientpass"))
        for kept in ["/var/lib/clientpass/clientpass.sqlite", "/etc/clientpass/clientpass.yaml", "/etc/clientpass/shared-secret"] {
            #expect(FileManager.default.fileExists(atPath: root + kept), "\(kept) kept after remove")
        }
        expectSuccess(try lab.run(["apt-get", "purge", "-y", "-q", "clientpass"]))
        // The directory's files are the administrator's own: they go with the folder only once removed.
        for left in [
            "/var/lib/clientpass", "/usr/share/clientpass", "/usr/share/doc/clientpass", lab.unit, "/etc/clientpass/clientpass.yaml",
            "/etc/clientpass/shared-secret",
        ] {
            #expect(!FileManager.default.fileExists(atPath: root + left), "\(left) left after purge")
        }
        #expect(try lab.run(["dpkg-query", "-W", "clientpass"]).status != 0)
    }

    /// lintian has nothing to say of either package beyond the overrides the package explains.
    @Test func lintianIsClean() throws {
        for deb in try PackageLab.packages() {
            let result = try runProcess(
                "/usr/bin/lintian", ["--fail-on", "error,warning", "--no-tag-display-limit", deb], stdin: nil,
                environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": "/tmp"], in: "/tmp")
            #expect(result.status == 0 && !result.stdout.contains("W: ") && !result.stdout.contains("E: "), "\(deb): \(result)")
        }
    }
}

/// A fresh root of one release with the previous build of its package installed by apt.
final class PackageLab {
    static let folder = ProcessInfo.processInfo.environment["CLIENTPASS_DEB_DIR"] ?? ""
    static var isAvailable: Bool {
        getuid() == 0 && !folder.isEmpty && FileManager.default.fileExists(atPath: "/usr/bin/mmdebstrap") && ((try? packages().count) ?? 0) >= 2
    }

    /// The packages of this build (not the previous ones).
    static func packages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".deb") }.sorted().map { folder + "/" + $0 }
    }

    let release: String
    let folder: String
    let root: String
    /// The package's file name.
    let current: String
    let currentVersion: String
    let upstreamVersion: String
    let unit: String

    init(release: String) throws {
        self.release = release
        let suffix = release == "bookworm" ? "~deb12" : "~deb13"
        unit = release == "bookworm" ? "/lib/systemd/system/clientpass.service" : "/usr/lib/systemd/system/clientpass.service"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientpass-package-\(UUID().uuidString)").path
        root = folder + "/root"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let package = try Self.packages().first(where: { $0.hasSuffix("\(suffix)_amd64.deb") }),
            let previous = try FileManager.default.contentsOfDirectory(atPath: Self.folder + "/previous").first(where: { $0.hasSuffix("\(suffix)_amd64.deb") })
        else { throw LabFailure(description: "no package for \(release) in \(Self.folder) (and its previous build in previous/)") }
        current = (package as NSString).lastPathComponent
        currentVersion = String(current.dropFirst("clientpass_".count).dropLast("_amd64.deb".count))
        upstreamVersion = String(currentVersion.prefix { $0 != "-" })
        // Debian 13's Dovecot 2.4 with its Lua passdb, for docs/dovecot.md's block.
        let dovecot = release == "trixie" ? ["dovecot-imapd", "dovecot-pop3d", "dovecot-submissiond", "dovecot-auth-lua"] : []
        let made = try runProcess(
            ReferenceTests.root + "/scripts/package-root.sh",
            [release, root, "systemd", "dovecot-core", "man-db"] + dovecot + [Self.folder + "/previous/" + previous],
            stdin: nil, environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"], in: folder)
        guard made.status == 0 else { throw LabFailure(description: "mmdebstrap failed: \(made)") }
        // A host has /proc, where the Swift runtime reads its arguments; a fresh root does not.
        let proc = try runProcess("/usr/bin/mount", ["-t", "proc", "proc", root + "/proc"], stdin: nil, environment: [:], in: folder)
        guard proc.status == 0 else { throw LabFailure(description: "mount /proc: \(proc)") }
    }

    /// `make apt-repo` of this build, signed with a key made for the test, served over HTTP on
    /// loopback and added to the root's sources with its key in a keyring named by signed-by,
    /// as docs/install.md says.
    func serveRepository() throws -> Process {
        let home = folder + "/gnupg"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "GNUPGHOME": home]
        let key = try runProcess(
            "/usr/bin/gpg",
            [
                "--batch", "--passphrase", "", "--quick-gen-key", "clientpass test repository <repo@example.com>",
                "ed25519", "sign", "never",
            ], stdin: nil, environment: environment, in: folder)
        guard key.status == 0 else { throw LabFailure(description: "gpg: \(key)") }
        let made = try runProcess(
            ReferenceTests.root + "/scripts/apt-repo.sh", [Self.folder, folder + "/repo", "repo@example.com"], stdin: nil,
            environment: environment, in: folder)
        guard made.status == 0 else { throw LabFailure(description: "apt-repo.sh: \(made)") }
        try expectRepositoryUnchanged(byAMissingRelease: environment)
        let keyring = try runProcess(
            "/usr/bin/gpg", ["--batch", "--output", root + "/usr/share/keyrings/clientpass.gpg", "--export", "repo@example.com"],
            stdin: nil, environment: environment, in: folder)
        guard keyring.status == 0 else { throw LabFailure(description: "gpg --export: \(keyring)") }
        let port = try MailLab.freePorts(["repo"])["repo"]!
        try """
        Types: deb
        URIs: http://127.0.0.1:\(port)
        Suites: \(release)
        Components: main
        Signed-By: /usr/share/keyrings/clientpass.gpg

        """.write(toFile: root + "/etc/apt/sources.list.d/clientpass.sources", atomically: true, encoding: .utf8)
        let server = try launchServer(
            "/usr/bin/python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder + "/repo", String(port)],
            log: folder + "/repo.log", in: folder)
        try MailLab.waitForListener(port)
        return server
    }

    /// A second `make apt-repo` from a folder that has only this release's package stops
    /// before it changes anything: the repository is byte for byte as it was.
    func expectRepositoryUnchanged(byAMissingRelease environment: [String: String]) throws {
        let repository = folder + "/repo"
        func snapshot() throws -> [String: Data] {
            let files = try FileManager.default.subpathsOfDirectory(atPath: repository)
            return try Dictionary(
                uniqueKeysWithValues: files.sorted().map { path in
                    var directory: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: repository + "/" + path, isDirectory: &directory)
                    return (path, directory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: repository + "/" + path)))
                })
        }
        let before = try snapshot()
        let partial = folder + "/one-release"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        let suffix = release == "trixie" ? "deb13" : "deb12"
        let package = try Self.packages().first { $0.hasSuffix("~\(suffix)_amd64.deb") }!
        try? FileManager.default.removeItem(atPath: partial + "/" + (package as NSString).lastPathComponent)
        try FileManager.default.copyItem(atPath: package, toPath: partial + "/" + (package as NSString).lastPathComponent)
        let refused = try runProcess(
            ReferenceTests.root + "/scripts/apt-repo.sh", [partial, repository, "repo@example.com"], stdin: nil,
            environment: environment, in: folder)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no package for \(release == "trixie" ? "bookworm" : "trixie")"))
        let after = try snapshot()
        #expect(after.keys.sorted() == before.keys.sorted())
        #expect(after == before)
    }

    /// docs/dovecot.md's Debian 13 steps, run in the root as the docs give them, with the
    /// package's own Lua passdb where the docs name it: only the ports, serve's port and where
    /// Dovecot keeps its run-time files are the test's. A login with the app password passes;
    /// a wrong password is refused.
    func dovecot24AsDocumented(serve port: Int, phone: String) throws {
        expectSuccess(try run(["install", "-m", "0640", "-o", "root", "-g", "dovecot", "/etc/clientpass/shared-secret", "/etc/dovecot/clientpass-secret"]))
        expectSuccess(try run(["groupadd", "--gid", "5000", "vmail"]))
        expectSuccess(
            try run(["useradd", "--uid", "5000", "--gid", "vmail", "--home-dir", "/var/vmail", "--create-home", "--shell", "/usr/sbin/nologin", "vmail"]))
        let authority = try TestCertificateAuthority(in: folder + "/ca")
        let (certificate, key) = try authority.issue("mail", commonName: "mail.test", extensions: ["subjectAltName=DNS:mail.test"])
        try FileManager.default.createDirectory(atPath: root + "/etc/dovecot/private", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: root + "/etc/dovecot/private/mail.pem")
        try? FileManager.default.removeItem(atPath: root + "/etc/dovecot/private/mail.key")
        try FileManager.default.copyItem(atPath: certificate, toPath: root + "/etc/dovecot/private/mail.pem")
        try FileManager.default.copyItem(atPath: key, toPath: root + "/etc/dovecot/private/mail.key")
        let ports = try MailLab.freePorts(["imap", "pop3", "submission"])
        let inside = "/run/clientpass-test"
        for sub in ["run", "state"] {
            try FileManager.default.createDirectory(atPath: root + inside + "/main/" + sub, withIntermediateDirectories: true)
        }
        let configuration =
            try DocumentedBlock.text(
                "docs/dovecot.md", marker: "<!-- The block below is the one Dovecot24Tests runs",
                substituting: [("http://127.0.0.1:8787/", "http://127.0.0.1:\(port)/")])
            + Debian13Lab.dovecotPlacement("main", inside: inside, imap: ports["imap"]!, pop3: ports["pop3"]!, submission: ports["submission"]!)
        #expect(configuration.contains("lua_file = /usr/share/clientpass/dovecot/clientpass.lua"))
        try configuration.write(toFile: root + "/etc/dovecot/dovecot.conf", atomically: true, encoding: .utf8)
        expectSuccess(try run(["doveconf", "-n"]))
        let dovecot = try launchServer("/usr/sbin/chroot", [root, "/usr/sbin/dovecot", "-F"], log: folder + "/dovecot.out", in: folder)
        defer { dovecot.terminate(); dovecot.waitUntilExit() }
        try MailLab.waitForListener(ports["imap"]!)
        func login(_ password: String) throws -> RunResult {
            try runProcess(
                "/usr/bin/python3",
                [
                    MailLab.mailclient, "imap", "127.0.0.1", String(ports["imap"]!), "alice@example.com",
                    "--source", "127.0.0.1", "--starttls", authority.certificate,
                ],
                stdin: password + "\n", environment: ["PATH": "/usr/bin:/bin"], in: folder)
        }
        let allowed = try login(phone)
        #expect(
            allowed.stdout.contains("LOGGED-IN"), "\(allowed)\n\((try? String(contentsOfFile: root + inside + "/main/dovecot.log", encoding: .utf8)) ?? "")")
        let refused = try login("not-the-password")
        #expect(!refused.stdout.contains("LOGGED-IN"), "\(refused)")
        let log = (try? String(contentsOfFile: root + inside + "/main/dovecot.log", encoding: .utf8)) ?? ""
        #expect(!log.contains("Error") && !log.contains("Panic"), "\(log)")
    }

    deinit {
        // The folder goes only once /proc is no longer mounted in it.
        _ = try? runProcess("/usr/bin/umount", [root + "/proc"], stdin: nil, environment: [:], in: FileManager.default.temporaryDirectory.path)
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? root
        if !mounts.contains(root) { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// A command in the root, with the root's own PATH.
    func run(_ arguments: [String], stdin: String? = nil) throws -> RunResult {
        try runProcess(
            "/usr/sbin/chroot", [root] + arguments, stdin: stdin,
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": "/root", "LC_ALL": "C.UTF-8",
                "DEBIAN_FRONTEND": "noninteractive",
            ], in: folder)
    }

    /// Changes a line of a file in the root, as an administrator's editor would.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let text = try String(contentsOfFile: root + path, encoding: .utf8)
        guard text.contains(old) else { throw LabFailure(description: "\(path) has no \(old)") }
        try text.replacingOccurrences(of: old, with: new).write(toFile: root + path, atomically: false, encoding: .utf8)
    }
}
