import ClientPassTestSupport
import Foundation
import Testing

/// `clientpass checkpassword` by its contract, without Dovecot: fd 3, SERVICE, TCPREMOTEIP, the
/// reply program, exit 1 and 111.
@Suite struct CheckpasswordTests {
    /// Runs checkpassword with `request` on fd 3 and `env` as the whole environment (no PATH or
    /// HOME, as under Dovecot); the reply program prints USER.
    func run(_ sandbox: Sandbox, _ request: String, env: [String: String], limitKiB: Int? = nil, store: String? = nil) throws -> RunResult {
        let requestFile = sandbox.folder + "/request-\(UUID().uuidString)"
        try Data(request.utf8).write(to: URL(fileURLWithPath: requestFile))
        let reply = sandbox.folder + "/reply.sh"
        try "#!/bin/sh\necho \"USER=$USER\"\n".write(toFile: reply, atomically: true, encoding: .utf8)
        chmod(reply, 0o755)
        let limit = limitKiB.map { "ulimit -v \($0); " } ?? ""
        let script = "\(limit)exec \(clientpassBinary.path) checkpassword --store '\(store ?? sandbox.store)' \(reply) 3< \(requestFile)"
        return try runProcess("/bin/sh", ["-c", script], stdin: nil, environment: env, in: sandbox.folder)
    }

    let imapFromOffice = ["SERVICE": "imap", "TCPREMOTEIP": "10.0.3.7"]

    /// On PostgreSQL the same answers; a database that cannot be reached is a temporary failure.
    @Test(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)")) func onPostgreSQLAnUnreachableDatabaseIsATemporaryFailure() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let allowed = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice)
        #expect(allowed.status == 0 && allowed.stdout.contains("USER=alice@example.com"), "\(allowed)")
        #expect(try run(sandbox, "alice@example.com\0a wrong guess\0", env: imapFromOffice).status == 1)
        // Under Dovecot's default address-space limit (256 MiB), with the PostgreSQL client's
        // threads and connections: the costliest shapes, each decided.
        var statuses: [Int32] = []
        for index in 0..<6 {
            let request = index.isMultiple(of: 2) ? "alice@example.com\0qwertyuiopasdfgh\0" : "alice@example.com\0\(alicePassword)\0"
            statuses.append(try run(sandbox, request, env: ["SERVICE": "imap", "TCPREMOTEIP": "198.51.100.\(index)"], limitKiB: 262_144).status)
        }
        #expect(statuses == [1, 0, 1, 0, 1, 0], "at 256 MiB: \(statuses)")
        try lab.cutOff(database.name)
        defer { try? lab.reopen(database.name) }
        let down = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice)
        #expect(down.status == 111 && down.stderr.contains("temporary failure") && !down.stdout.contains("USER="), "\(down)")
        let nowhere = try run(
            sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice,
            store: "postgresql://clientpass@127.0.0.1:1/none?sslmode=disable")
        #expect(nowhere.status == 111, "\(nowhere)")
    }

    /// Dovecot's invocation skips the argument parser; every spelling of it still works, and
    /// anything else goes through the parser, with its help and its usage errors.
    @Test func everySpellingOfTheInvocationWorks() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let requestFile = sandbox.folder + "/request"
        try Data("alice@example.com\0\(alicePassword)\0".utf8).write(to: URL(fileURLWithPath: requestFile))
        func run(_ arguments: String, env: [String: String] = [:]) throws -> RunResult {
            try runProcess(
                "/bin/sh", ["-c", "exec \(clientpassBinary.path) checkpassword \(arguments) 3< \(requestFile)"], stdin: nil,
                environment: imapFromOffice.merging(env) { $1 }, in: sandbox.folder)
        }
        for (arguments, env) in [
            ("--store \(sandbox.store) /bin/true", [:]), ("--store=\(sandbox.store) /bin/true", [:]),
            ("/bin/true", ["CLIENTPASS_STORE": sandbox.store]),
        ] {
            let result = try run(arguments, env: env)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        let help = try run("--help")
        #expect(help.status == 0 && help.stdout.contains("USAGE: clientpass checkpassword"), "\(help)")
        for arguments in ["--bogus /bin/true", "--store", "", "/bin/true extra"] {
            let result = try run(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
        }
        let empty = try run("--store= /bin/true")
        #expect(empty.status != 0, "\(empty)")
    }

    @Test func anAllowExecutesTheReplyProgramWithTheCanonicalName() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "network", "add", "10.0.3.0/24"]))
        let allowed = try run(sandbox, "ALICE@example.com\0\(alicePassword)\0\0", env: imapFromOffice)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.stdout == "USER=alice@example.com\n")
        let submission = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: ["SERVICE": "submission", "TCPREMOTEIP": "::ffff:10.0.3.7"])
        #expect(submission.status == 0, "\(submission)")
    }

    /// Postfix asks Dovecot's auth socket for the service `smtp` (docs/postfix.md): SMTP to
    /// clientpass, as Dovecot's own `submission` is; the account's SMTP switch governs both.
    @Test func postfixsServiceIsSMTP() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "network", "add", "10.0.3.0/24"]))
        let request = "alice@example.com\0\(alicePassword)\0"
        #expect(try run(sandbox, request, env: ["SERVICE": "smtp", "TCPREMOTEIP": "10.0.3.7"]).status == 0)
        expectSuccess(try sandbox.run(["admin", "services", "set", "alice@example.com", "--smtp", "off"]))
        for service in ["smtp", "submission"] {
            let refused = try run(sandbox, request, env: ["SERVICE": service, "TCPREMOTEIP": "10.0.3.7"])
            #expect(
                refused.status == 1 && refused.stderr.contains("smtp login of \"alice@example.com\" from 10.0.3.7: deny: service_disabled"),
                "\(service): \(refused)")
        }
        #expect(try run(sandbox, request, env: imapFromOffice).status == 0)
    }

    /// Dovecot's real peer (AUTH_REAL_RIP) is the connecting host: a first-party host there (the
    /// webmail) makes the login first-party, whatever client address it forwards in TCPREMOTEIP.
    @Test func theRealPeerDecidesWhetherALoginIsFirstParty() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "first-party", "add", "127.0.0.77", "--note", "Roundcube"]))
        expectSuccess(try sandbox.run(["admin", "policy", "enforce-secure-password", "on", "--scope", "all"]))
        let request = "alice@example.com\0\(alicePassword)\0"
        let webmail = try run(sandbox, request, env: ["SERVICE": "imap", "TCPREMOTEIP": "203.0.113.5", "AUTH_REAL_RIP": "127.0.0.77"])
        #expect(webmail.status == 0 && webmail.stdout == "USER=alice@example.com\n", "\(webmail)")
        // The same client address connecting itself, or claiming the webmail's address as its own: blocked.
        for env in [
            ["SERVICE": "imap", "TCPREMOTEIP": "203.0.113.5", "AUTH_REAL_RIP": "203.0.113.5"],
            ["SERVICE": "imap", "TCPREMOTEIP": "127.0.0.77", "AUTH_REAL_RIP": "203.0.113.5"],
            ["SERVICE": "imap", "TCPREMOTEIP": "203.0.113.5"],
        ] {
            let result = try run(sandbox, request, env: env)
            #expect(result.status == 1, "\(env): \(result)")
        }
        let malformed = try run(sandbox, request, env: ["SERVICE": "imap", "TCPREMOTEIP": "203.0.113.5", "AUTH_REAL_RIP": "webmail"])
        #expect(malformed.status == 1 && malformed.stderr.contains("AUTH_REAL_RIP is not an IP address"), "\(malformed)")
        let audit = try sandbox.run(["admin", "audit", "--json"]).array()
        #expect(audit.contains { $0["action"] as? String == "policy.changed" && ($0["subject"] as? [String: Any])?["kind"] as? String == "first_party_host" })
    }

    @Test func denialsAndMalformedRequestsExitOne() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        for (request, env) in [
            ("alice@example.com\0\(alicePassword)\0", imapFromOffice),  // blocked
            ("alice@example.com\0\(alicePassword)\0", ["SERVICE": "imap"]),  // no address
            ("alice@example.com\0\(alicePassword)\0", ["SERVICE": "lmtp", "TCPREMOTEIP": "10.0.3.7"]),
            ("alice@example.com", imapFromOffice),  // no NUL
            ("alice@example.com\0" + String(repeating: "x", count: 600) + "\0", imapFromOffice),  // over 512 bytes
            ("alice@example.com\0\0", imapFromOffice.merging(["AUTHORIZED": "1"]) { $1 }),  // userdb lookup
        ] {
            let result = try run(sandbox, request, env: env)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(!result.stderr.contains(alicePassword))
        }
    }

    /// What was typed as the name of an unknown account (often a password) never reaches
    /// Dovecot's log; a name with control characters is escaped.
    @Test func anUnknownNameIsNotLogged() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let unknown = try run(sandbox, "Tr0ub4dor&3\0guess\0", env: imapFromOffice)
        #expect(unknown.status == 1)
        #expect(!unknown.stderr.contains("Tr0ub4dor") && unknown.stderr.contains("unknown account name"), "\(unknown)")
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let known = try run(sandbox, "ALICE@example.com\0guess\0", env: imapFromOffice)
        #expect(known.stderr.contains("\"alice@example.com\"") && known.stderr.contains("bad_credential"), "\(known)")
    }

    @Test func anUnusableStoreOrShortMemoryIsATemporaryFailure() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let missing = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice, store: sandbox.folder + "/none.sqlite")
        #expect(missing.status == 111)
        // Too little address space for Argon2id's 64 MiB: never an allow, never a failed login.
        // (A debug build with its Foundation and PostgreSQL client maps about 176 MiB before it
        // reads its request, and runs within 192 MiB without room for Argon2id; a release build
        // maps less than 128 MiB, and 144 MiB leave it short.)
        #if DEBUG
            let starvedMiB = 192
        #else
            let starvedMiB = 144
        #endif
        let starved = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice, limitKiB: starvedMiB * 1024)
        #expect(starved.status == 111, "\(starved)")
        #expect(starved.stderr.contains("could not be allocated"))
        #expect(starved.stderr.contains("\(starvedMiB) MiB of address space") && starved.stderr.contains("service auth { vsz_limit = 1G }"), "\(starved)")
        #expect(starved.stderr.split(separator: "\n").count == 1)
        let audit = try sandbox.run(["admin", "audit", "--json"]).array()
        #expect(!audit.contains { $0["action"] as? String == "login.denied" })
        let fine = try run(sandbox, "alice@example.com\0\(alicePassword)\0", env: imapFromOffice, limitKiB: 262_144)
        #expect(fine.status == 0, "\(fine)")
    }

    /// Under Dovecot's default address-space limit (256 MiB) every login is decided: no malloc
    /// arena of a concurrency thread takes 64 MiB of it (see CheckpasswordProgram.prepareProcess).
    @Test func loginsAreReliableAtDovecotsDefaultLimit() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        var statuses: [Int32] = []
        for index in 0..<12 {
            // The costliest shapes: an app-shaped guess (both evaluations) and the mailbox password.
            let request = index.isMultiple(of: 2) ? "alice@example.com\0qwertyuiopasdfgh\0" : "alice@example.com\0\(alicePassword)\0"
            statuses.append(try run(sandbox, request, env: ["SERVICE": "imap", "TCPREMOTEIP": "198.51.100.\(index)"], limitKiB: 262_144).status)
        }
        #expect(statuses == Array(repeating: [1, 0], count: 6).flatMap { $0 })
    }
}

/// checkpassword processes share the throttling counters through the store: guesses sent at
/// once from many processes get no more tries than guesses sent one by one (issue 12, item 1).
@Suite struct CheckpasswordConcurrencyTests {
    @Test func concurrentProcessesHashAtMostTheLimit() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let wrong = sandbox.folder + "/wrong"
        try Data("alice@example.com\0wrong guess\0".utf8).write(to: URL(fileURLWithPath: wrong))
        let right = sandbox.folder + "/right"
        try Data("alice@example.com\0\(alicePassword)\0".utf8).write(to: URL(fileURLWithPath: right))
        // 40 processes at once, as Dovecot starts them for 40 connections; each writes its exit status.
        let script = """
            for i in $(seq 40); do
                (\(clientpassBinary.path) checkpassword --store \(sandbox.store) /bin/true 3< \(wrong); echo $? > status-$i) &
            done
            # Not `wait`: the test runner's children may start with SIGCHLD blocked, and then
            # the shell never wakes. Each status file is written when its process has ended.
            for _ in $(seq 600); do [ "$(ls status-* 2>/dev/null | wc -l)" -ge 40 ] && break; sleep 0.1; done
            sleep 0.2
            cat status-*
            """
        let burst = try runProcess("/bin/sh", ["-c", script], stdin: nil, environment: ["SERVICE": "imap", "TCPREMOTEIP": "198.51.100.7"], in: sandbox.folder)
        let statuses = burst.stdout.split(separator: "\n")
        #expect(statuses.count == 40 && statuses.allSatisfy { $0 == "1" || $0 == "111" }, "\(burst)")
        let audit = try sandbox.run(["admin", "audit", "--json", "--limit", "1000"]).array()
        let hashed = audit.filter { $0["reason"] as? String == "bad_credential" }.count
        #expect(hashed <= 10, "\(hashed) guesses were hashed")
        // The throttled ones leave one audit entry, however many arrived together.
        #expect(audit.filter { $0["reason"] as? String == "throttled" }.count == 1)
        let after = try runProcess(
            "/bin/sh", ["-c", "exec \(clientpassBinary.path) checkpassword --store \(sandbox.store) /bin/true 3< \(right)"],
            stdin: nil, environment: ["SERVICE": "imap", "TCPREMOTEIP": "198.51.100.7"], in: sandbox.folder)
        #expect(after.status == 1, "the right password after the burst: \(after)")
        #expect(after.stderr.contains("throttled"), "\(after)")
    }
}

/// `clientpass serve` refuses a configuration it cannot serve safely, before it listens.
@Suite struct ServeConfigurationTests {
    @Test func badSettingsAreUsageErrors() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let short = sandbox.folder + "/short-secret"
        try "tooshort\n".write(toFile: short, atomically: true, encoding: .utf8)
        chmod(short, 0o600)
        let good = sandbox.folder + "/secret"
        try "0123456789abcdef0123456789abcdef\n".write(toFile: good, atomically: true, encoding: .utf8)
        chmod(good, 0o640)
        let open = sandbox.folder + "/open-secret"
        try "0123456789abcdef0123456789abcdef\n".write(toFile: open, atomically: true, encoding: .utf8)
        chmod(open, 0o644)
        for (arguments, message) in [
            (["serve"], "give --shared-secret-file"),
            (["serve", "--shared-secret-file", sandbox.folder + "/missing"], "cannot read the shared secret file"),
            (["serve", "--shared-secret-file", short], "use at least 16"),
            (["serve", "--shared-secret-file", good, "--imap-backend", "mail.example.com:143"], "not an IP address"),
            (["serve", "--shared-secret-file", good, "--listen", "127.0.0.1:99999"], "not a port number"),
            (["serve", "--shared-secret-file", good, "--warm-cache-seconds", "86400"], "not a warm-cache lifetime"),
            (["serve", "--shared-secret-file", good, "--metrics-token-file", sandbox.folder + "/missing"], "cannot read the metrics token file"),
            (["serve", "--shared-secret-file", good, "--metrics-token-file", short], "the metrics token has 8 characters"),
            (["serve", "--shared-secret-file", open], "the shared secret file \(open) can be read by anyone on this host"),
            (["serve", "--shared-secret-file", good, "--metrics-token-file", open], "the metrics token file \(open) can be read by anyone"),
        ] {
            let result = try sandbox.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(result)")
            #expect(!result.stderr.contains("Usage: clientpass <subcommand>"))
        }
    }
}
