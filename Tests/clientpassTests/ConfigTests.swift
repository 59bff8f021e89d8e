import ClientPassTestSupport
import Foundation
import Testing

/// `clientpass config check` and `serve --config`: every problem with its line, and flag >
/// environment > file > default.
@Suite struct ConfigTests {
    static let broken = """
        store: /nonexistent/store.sqlite
        listen: 127.0.0.1:99999
        shared_secret_file: /nonexistent/secret
        backends:
          imap: mail.example.com:143
          lmtp: 127.0.0.1:24
        warm_cache_secs: 30
        log_level: loud
        argon2id:
          app_password: { iterations: 1, memory_mib: 19 }
          mailbox_password: { iterations: 3, memory_mib: 64, lanes: 4 }
        session_idle_minutes: 0
        mail_servers:
          imap: mail.example.com:1143
          lmtp: mail.example.com:24
        trusted_proxies: [127.0.0.1, 10.0.0.0/33]

        """

    @Test func everyProblemIsReportedWithItsLine() throws {
        let sandbox = try Sandbox()
        let path = sandbox.folder + "/clientpass.yaml"
        try Self.broken.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["config", "check", path])
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let expected = [
            (2, "not a port number"), (5, "not an IP address"), (6, "unknown backend \"lmtp\""),
            (7, "did you mean warm_cache_seconds?"), (8, "log_level must be one of"),
            (10, "weaker than the floor"), (11, "unknown setting argon2id.mailbox_password.lanes"),
            (12, "session_idle_minutes must be a whole number from 1 to 1440"), (14, "has no conventional security"),
            (15, "unknown mail server \"lmtp\""), (16, "trusted_proxies:"),
        ]
        #expect(lines.count == expected.count, "\(result)")
        for (line, message) in expected {
            #expect(lines.contains { $0.hasPrefix("\(path):\(line): ") && $0.contains(message) }, "line \(line): \(result.stdout)")
        }
        let json = try sandbox.run(["config", "check", path, "--json"]).object()
        #expect(json["valid"] as? Bool == false)
        #expect((json["problems"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == expected.map(\.0))

        for (text, line, message) in [
            ("listen: [1, 2\n", 2, "not valid YAML"), ("- a list\n", 1, "must be a mapping"),
            ("store: a\nstore: b\n", 2, "set twice"),
        ] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try sandbox.run(["config", "check", path])
            #expect(result.status == 1 && result.stdout.contains(":\(line): ") && result.stdout.contains(message), "\(text): \(result)")
        }
        let missing = try sandbox.run(["config", "check", sandbox.folder + "/none.yaml"])
        #expect(missing.status == 1 && missing.stdout.contains("cannot read"), "\(missing)")
    }

    /// No file anywhere is how serve runs by default: `config check` says so and succeeds.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/etc/clientpass/clientpass.yaml"), "this machine has a configuration file"))
    func noFileIsNotAProblem() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["config", "check"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("No configuration file (/etc/clientpass/clientpass.yaml does not exist and CLIENTPASS_CONFIG is not set)"))
        #expect(try sandbox.run(["config", "check", "--json"]).object()["valid"] as? Bool == true)
    }

    @Test func aGoodFileChecksOutIncludingItsFiles() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let secret = sandbox.folder + "/secret"
        try "0123456789abcdef0123456789abcdef\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        let path = sandbox.folder + "/clientpass.yaml"
        try """
        # serve's settings
        store: \(sandbox.store)
        listen: 127.0.0.1:8787
        shared_secret_file: \(secret)
        backends: { imap: 10.0.0.5:143, smtp: "[2001:db8::25]:587" }
        warm_cache_seconds: 60
        log_level: notice
        session_idle_minutes: 30
        mail_servers: { imap: mail.example.com:993, pop3: "mail.example.com:1995 tls", smtp: mail.example.com:587 }
        trusted_proxies: [127.0.0.1, "10.0.0.0/8"]
        argon2id:
          app_password: { iterations: 3, memory_mib: 32 }

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["config", "check"], environment: ["CLIENTPASS_CONFIG": path])
        #expect(result.status == 0 && result.stdout == "\(path): OK\n", "\(result)")
        // A secret file that is too short, or a store that does not exist, is found too.
        try "short\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        let short = try sandbox.run(["config", "check", path])
        #expect(short.status == 1 && short.stdout.contains("\(path):4: shared_secret_file:"), "\(short)")
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFile() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let path = sandbox.folder + "/clientpass.yaml"
        try "warm_cache_seconds: 0\nlog_level: warning\n".write(toFile: path, atomically: true, encoding: .utf8)

        func warmOnSecondLogin(_ serve: ServeProcess) throws -> Bool {
            _ = try serve.decide(password: alicePassword)
            return try serve.decide(password: alicePassword)["warm"] as? Bool ?? false
        }
        do {
            let fromFile = try ServeProcess(sandbox: sandbox, arguments: ["--config", path])
            #expect(try warmOnSecondLogin(fromFile) == false)
        }
        let log = try String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)
        #expect(!log.contains("login decided"), "log_level warning from the file: \(log)")
        do {
            let fromEnvironment = try ServeProcess(
                sandbox: sandbox, arguments: ["--config", path],
                environment: ["CLIENTPASS_WARM_CACHE_SECONDS": "300"])
            #expect(try warmOnSecondLogin(fromEnvironment) == true)
        }
        do {
            let fromFlag = try ServeProcess(
                sandbox: sandbox, arguments: ["--config", path, "--warm-cache-seconds", "0"],
                environment: ["CLIENTPASS_WARM_CACHE_SECONDS": "300"])
            #expect(try warmOnSecondLogin(fromFlag) == false)
        }
    }

    /// `store:` in the configuration file moves every command and checkpassword, not `serve`
    /// alone: an administrator who follows docs/scaling.md initialises the store the file names.
    @Test func everyCommandTakesTheStoreFromTheFile() throws {
        let sandbox = try Sandbox()
        let path = sandbox.folder + "/clientpass.yaml"
        let store = sandbox.folder + "/from-the-file/clientpass.sqlite"
        try "store: \(store)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["CLIENTPASS_CONFIG": path, "CLIENTPASS_STORE": ""]
        expectSuccess(try sandbox.run(["admin", "init"], environment: environment))
        #expect(FileManager.default.fileExists(atPath: store))
        expectSuccess(
            try sandbox.run(["admin", "account", "add", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n", environment: environment))
        let listed = try sandbox.run(["admin", "account", "list", "--json", "--store", store]).array()
        #expect(listed.map { $0["name"] as? String } == ["alice@example.com"])
        // The environment still beats the file.
        #expect(try sandbox.run(["admin", "account", "list"], environment: ["CLIENTPASS_CONFIG": path]).status != 0, "the sandbox's own store does not exist")
    }

    /// serve says at start where each setting that is not its default came from, and warns of a
    /// flag or variable that hides the file's value (a store moved to PostgreSQL in the file,
    /// while the environment still names the old SQLite file, must not go unnoticed).
    @Test func serveSaysWhereEachSettingCameFrom() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let path = sandbox.folder + "/clientpass.yaml"
        try "store: postgresql://clientpass@db.example.com/clientpass\nwarm_cache_seconds: 0\npublic_url: https://passwords.example.com\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ServeProcess(sandbox: sandbox, arguments: ["--config", path], environment: ["CLIENTPASS_PUBLIC_URL": "https://mail.example.com"])
        }
        let log = try String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)
        #expect(
            log.contains(
                "settings: store from --store, listen from --listen, shared_secret_file from --shared-secret-file, "
                    + "warm_cache_seconds from \(path), public_url from $CLIENTPASS_PUBLIC_URL; every other setting has its default "
                    + "(configuration file \(path))"), "\(log)")
        #expect(log.contains("--store overrides store in \(path), which is not used"), "\(log)")
        #expect(log.contains("$CLIENTPASS_PUBLIC_URL overrides public_url in \(path), which is not used"), "\(log)")
        #expect(!log.contains("warm_cache_seconds in"), "the file's own values are no warning")
    }

    /// The CLI runs kick_command from the file when CLIENTPASS_KICK_COMMAND is not set.
    @Test func theKickCommandComesFromTheEnvironmentElseTheFile() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let path = sandbox.folder + "/clientpass.yaml"
        try "kick_command: /usr/bin/touch \(sandbox.folder)/file-{account}\n".write(toFile: path, atomically: true, encoding: .utf8)
        expectSuccess(try sandbox.run(["admin", "account", "disable", "alice@example.com"], environment: ["CLIENTPASS_CONFIG": path]))
        #expect(FileManager.default.fileExists(atPath: sandbox.folder + "/file-alice@example.com"))
        expectSuccess(try sandbox.run(["admin", "account", "enable", "alice@example.com"]))
        expectSuccess(
            try sandbox.run(
                ["admin", "account", "disable", "alice@example.com"],
                environment: [
                    "CLIENTPASS_CONFIG": path,
                    "CLIENTPASS_KICK_COMMAND": "/usr/bin/touch \(sandbox.folder)/environment-{account}",
                ]))
        #expect(FileManager.default.fileExists(atPath: sandbox.folder + "/environment-alice@example.com"))

        try "kick_command: /usr/bin/true\n".write(toFile: path, atomically: true, encoding: .utf8)
        let check = try sandbox.run(["config", "check", path])
        #expect(check.status == 1 && check.stdout.contains("\(path):1: kick_command must name a program and contain {account}"), "\(check)")
        // A broken file does not stop the change; it says the sessions were not ended.
        expectSuccess(try sandbox.run(["admin", "account", "enable", "alice@example.com"]))
        let disabled = try sandbox.run(["admin", "account", "disable", "alice@example.com"], environment: ["CLIENTPASS_CONFIG": path])
        #expect(disabled.status == 0 && disabled.stderr.contains("were not ended"), "\(disabled)")
    }

    @Test func serveRefusesAFileWithProblems() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let path = sandbox.folder + "/clientpass.yaml"
        try "listen: nowhere\nwarm_cache_seconds: -1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["serve", "--config", path])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("line 1:") && result.stderr.contains("line 2:"), "\(result)")
        // The page's settings as flags and environment are checked as strictly.
        let secret = sandbox.folder + "/secret"
        try "0123456789abcdef0123456789abcdef\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        for (arguments, environment, message) in [
            (["--imap-server", "mail.example.com"], [:], "is not HOST:PORT"),
            (["--smtp-server", "mail.example.com:2525"], [:], "has no conventional security"),
            (["--session-idle-minutes", "0"], [:], "not a session idle time"),
            ([], ["CLIENTPASS_SESSION_IDLE_MINUTES": "forever"], "not a session idle time"),
            (["--trusted-proxies", "proxy.example.com"], [:], "proxy.example.com"),
        ] as [([String], [String: String], String)] {
            let refused = try sandbox.run(["serve", "--shared-secret-file", secret] + arguments, environment: environment)
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(arguments) \(environment): \(refused)")
        }
    }
}

/// The Argon2id parameters are one setting of the store: serve, checkpassword and the CLI hash
/// alike, so a hash is brought up to date once and never rehashed back and forth (0.13 hashed
/// with the file's parameters in serve and the built-in ones everywhere else).
@Suite struct HashingSettingTests {
    static func rehashes(_ sandbox: Sandbox) throws -> [[String: Any]] {
        try sandbox.run(["admin", "audit", "--json"]).array().filter { $0["action"] as? String == "credential.rehashed" }
    }

    @Test func serveCheckpasswordAndTheCommandsHashAlike() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        // 0.13's configuration: argon2id in the file, which serve alone used.
        let path = sandbox.folder + "/clientpass.yaml"
        try "argon2id:\n  mailbox_password: { iterations: 3, memory_mib: 64 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let serve = try ServeProcess(sandbox: sandbox, arguments: ["--config", path])
            #expect(try serve.decide(password: alicePassword)["decision"] as? String == "allow")
        }
        let log = try String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)
        #expect(log.contains("the store now hashes with \(path)'s argon2id"), "\(log)")
        let shown = try sandbox.run(["admin", "policy", "show", "--json"]).object()
        let mailbox = (shown["argon2id"] as? [String: Any])?["mailbox_password"] as? [String: Any]
        #expect(mailbox?["iterations"] as? Int == 3 && mailbox?["memory_mib"] as? Int == 64, "\(shown)")
        // The first login rehashed alice's t=2 hash to t=3; checkpassword, the CLI and serve
        // again leave it as it is.
        #expect(try Self.rehashes(sandbox).count == 1)
        for _ in 0..<2 {
            expectSuccess(
                try sandbox.run(
                    ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "192.0.2.1"],
                    stdin: alicePassword + "\n"))
            let request = sandbox.folder + "/request"
            try Data("alice@example.com\0\(alicePassword)\0".utf8).write(to: URL(fileURLWithPath: request))
            let checked = try runProcess(
                "/bin/sh", ["-c", "exec \(clientpassBinary.path) checkpassword --store \(sandbox.store) /bin/true 3< \(request)"],
                stdin: nil, environment: ["SERVICE": "imap", "TCPREMOTEIP": "192.0.2.1", "PATH": "/usr/bin:/bin"],
                in: sandbox.folder)
            #expect(checked.status == 0, "\(checked)")
            let serve = try ServeProcess(sandbox: sandbox, arguments: ["--config", path])
            #expect(try serve.decide(password: alicePassword)["decision"] as? String == "allow")
        }
        #expect(try Self.rehashes(sandbox).count == 1)
        let hash = try sandbox.run(["admin", "export", "--include-hashes"]).stdout
        #expect(hash.contains("$argon2id$v=19$m=65536,t=3,"), "\(hash)")
    }

    @Test func anAdministratorSetsThemAndTheFloorsHold() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        // Below the floors is a usage error of the flags alone: ParseTests.
        expectSuccess(try sandbox.run(["admin", "policy", "hashing", "--app-password-iterations", "3", "--app-password-memory", "32"]))
        let shown = try sandbox.run(["admin", "policy", "show"]).stdout
        #expect(shown.contains("Hashing (Argon2id):       app passwords t=3, 32 MiB; mailbox passwords t=2, 64 MiB"), "\(shown)")
        let audit = try sandbox.run(["admin", "audit"]).stdout
        #expect(audit.contains("hashing: app passwords t=3, 32 MiB, mailbox passwords t=2, 64 MiB"), "\(audit)")
        // A file's argon2id no longer moves a store an administrator has set.
        let path = sandbox.folder + "/clientpass.yaml"
        try "argon2id:\n  app_password: { iterations: 4, memory_mib: 19 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try ServeProcess(sandbox: sandbox, arguments: ["--config", path]) }
        let log = try String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)
        #expect(log.contains("no longer applies"), "\(log)")
        #expect(try sandbox.run(["admin", "policy", "show"]).stdout.contains("app passwords t=3, 32 MiB"))
    }
}
