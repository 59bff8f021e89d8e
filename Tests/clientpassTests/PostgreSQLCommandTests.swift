import ClientPassTestSupport
import Foundation
import Synchronization
import Testing

/// The command line on a PostgreSQL store (a real server from Debian, started by the tests):
/// the same commands, the same answers, and a store moved there and back.
@Suite(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)")) struct PostgreSQLCommandTests {
    /// Checks a login from the command line: 0 allowed.
    func check(_ sandbox: Sandbox, _ secret: String, store: String) throws -> RunResult {
        try sandbox.run(
            ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "127.0.0.1", "--json"],
            stdin: secret + "\n", environment: ["CLIENTPASS_STORE": store])
    }

    @Test func everyCommandWorksOnAPostgreSQLStore() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        let created = try sandbox.run(["admin", "init", "--json"])
        expectSuccess(created)
        #expect(try created.object()["store"] as? String == "postgresql://clientpass@127.0.0.1:\(lab.port)/\(database.name)?sslmode=disable")
        #expect(try sandbox.run(["admin", "init"]).status == 1)
        expectSuccess(try sandbox.run(["admin", "department", "add", "Sales"]))
        expectSuccess(
            try sandbox.run(
                ["admin", "account", "add", "alice@example.com", "--department", "Sales", "--password-stdin"],
                stdin: alicePassword + "\n"))
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let generated = try sandbox.run(
            ["password", "generate", "--label", "Outlook", "--json", "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n")
        expectSuccess(generated)
        let appPassword = try #require(try generated.object()["password"] as? String)
        #expect(try check(sandbox, appPassword, store: database.url).status == 0)
        #expect(try check(sandbox, "wrong guess", store: database.url).status != 0)
        // What the store holds is PostgreSQL's: the rows are there for psql to see.
        #expect(try lab.psql("SELECT name FROM account", database: database.name) == "alice@example.com")
        #expect(try lab.psql("SELECT COUNT(*) FROM app_password", database: database.name) == "1")
        let audit = try sandbox.run(["admin", "audit", "--json"]).array()
        #expect(audit.last?["action"] as? String == "store.initialized")
        #expect(audit.contains { $0["action"] as? String == "app_password.created" })

        // A file's commands say what to do on PostgreSQL instead.
        let backup = try sandbox.run(["admin", "backup", sandbox.folder + "/backup.sqlite"])
        #expect(backup.status == 64 && backup.stderr.contains("pg_dump"), "\(backup)")
        // A password in the URL would be in the process list: refused, and not repeated.
        let withPassword = "postgresql://clientpass:hunter2secret@127.0.0.1:\(lab.port)/\(database.name)"
        let refused = try sandbox.run(["admin", "account", "list"], environment: ["CLIENTPASS_STORE": withPassword])
        #expect(refused.status == 64 && refused.stderr.contains("password file") && !refused.stderr.contains("hunter2secret"), "\(refused)")
        // Unreachable: a failure that says so, not a crash and not an answer.
        let unreachable = try sandbox.run(
            ["admin", "account", "list"],
            environment: ["CLIENTPASS_STORE": "postgresql://clientpass@127.0.0.1:1/none?sslmode=disable"])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("postgresql://clientpass@127.0.0.1:1/none"), "\(unreachable)")
        let clearText = try sandbox.run(
            ["admin", "account", "list"],
            environment: ["CLIENTPASS_STORE": "postgresql://clientpass@db.example.com/clientpass?sslmode=disable"])
        #expect(clearText.status == 64 && clearText.stderr.contains("clear text"), "\(clearText)")
    }

    /// Each way a connection fails says which, at once: a wrong password after one attempt at
    /// the server (0.12.1 made a dozen, which a lockout or fail2ban counts, then reported a
    /// timeout), no password, a database that is not there, nobody listening, TLS the server
    /// does not offer, a name that does not resolve.
    @Test func everyConnectionFailureSaysWhich() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        let wrongFile = sandbox.folder + "/wrong-pgpass"
        try "127.0.0.1:\(lab.port):*:\(PostgreSQLLab.user):not-the-password\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        chmod(wrongFile, 0o600)
        let emptyFile = sandbox.folder + "/empty-pgpass"
        try "# no line for this server\n".write(toFile: emptyFile, atomically: true, encoding: .utf8)
        chmod(emptyFile, 0o600)
        func failures() throws -> Int {
            try String(contentsOfFile: lab.folder + "/server.log", encoding: .utf8).components(separatedBy: "password authentication failed").count - 1
        }
        let before = try failures()
        let started = Date()
        let wrong = try sandbox.run(
            ["admin", "account", "list"],
            environment: [
                "CLIENTPASS_STORE": "postgresql://\(PostgreSQLLab.user)@127.0.0.1:\(lab.port)/\(database.name)?sslmode=disable&passfile=\(wrongFile)"
            ])
        #expect(wrong.status == 1 && wrong.stderr.contains("PostgreSQL refused the password of \(PostgreSQLLab.user)"), "\(wrong)")
        #expect(Date().timeIntervalSince(started) < 4, "at once, not after the 5 s timeout")
        #expect(!wrong.stderr.contains("not-the-password"))
        #expect(try failures() == before + 1, "one failed login at the server")
        for (url, expected) in [
            ("postgresql://\(PostgreSQLLab.user)@127.0.0.1:\(lab.port)/\(database.name)?sslmode=disable&passfile=\(emptyFile)", "and none was given"),
            (
                "postgresql://\(PostgreSQLLab.user)@127.0.0.1:\(lab.port)/no_such_database?sslmode=disable&passfile=\(lab.passwordFile)",
                "no database no_such_database"
            ),
            ("postgresql://\(PostgreSQLLab.user)@127.0.0.1:1/\(database.name)?sslmode=disable&passfile=\(lab.passwordFile)", "nothing listens at 127.0.0.1:1"),
            ("postgresql://\(PostgreSQLLab.user)@127.0.0.1:\(lab.port)/\(database.name)?sslmode=require&passfile=\(lab.passwordFile)", "does not offer TLS"),
            ("postgresql://\(PostgreSQLLab.user)@no-such-host.invalid/\(database.name)?sslmode=require&passfile=\(lab.passwordFile)", "does not resolve"),
        ] {
            let refused = try sandbox.run(["admin", "account", "list"], environment: ["CLIENTPASS_STORE": url])
            #expect(refused.status == 1 && refused.stderr.contains(expected), "\(url): \(refused)")
            // config check reaches the database too, and says the same.
            let file = sandbox.folder + "/check.yaml"
            try "store: \"\(url)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
            let checked = try sandbox.run(["config", "check", file])
            #expect(checked.status == 1 && checked.stdout.contains("\(file):1: store: ") && checked.stdout.contains(expected), "\(url): \(checked)")
        }
        // config check: a database without a store says so; a store says OK; nothing is changed.
        let empty = try lab.makeDatabase()
        let file = sandbox.folder + "/check.yaml"
        try "store: \"\(empty.url)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let noStore = try sandbox.run(["config", "check", file])
        #expect(noStore.status == 1 && noStore.stdout.contains("holds no clientpass store"), "\(noStore)")
        #expect(try lab.psql("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'", database: empty.name) == "0")
        try "store: \"\(database.url)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let good = try sandbox.run(["config", "check", file])
        #expect(good.status == 0 && good.stdout.contains("\(file): OK"), "\(good)")
    }

    @Test func aStoreMovesToPostgreSQLAndBackWithEveryCredential() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let generated = try sandbox.runAsAlice(["password", "generate", "--label", "Phone", "--json"]).object()
        let appPassword = try #require(generated["password"] as? String)
        #expect(try check(sandbox, "a wrong guess", store: sandbox.store).status != 0)

        func export(_ store: String) throws -> NSDictionary {
            var export = try sandbox.run(["admin", "export", "--include-hashes"], environment: ["CLIENTPASS_STORE": store]).object()
            export["exported_at"] = nil
            return NSDictionary(dictionary: export)
        }

        let copied = try sandbox.run(["admin", "store", "copy", "--from", sandbox.store, "--to", database.url, "--json"])
        expectSuccess(copied)
        let summary = try copied.object()
        #expect(summary["accounts"] as? Int == 1 && summary["app_passwords"] as? Int == 1 && summary["verified"] as? Bool == true)
        #expect(try export(sandbox.store) == export(database.url))
        // The throttling counters came along too: the failure before the copy is there.
        #expect(try lab.psql("SELECT COUNT(*) FROM login_failure", database: database.name) == "1")
        // The selector key moved with the hashes: the app password opens mail on the copy.
        #expect(try check(sandbox, appPassword, store: database.url).status == 0)
        #expect(try check(sandbox, alicePassword, store: database.url).status == 0)

        // A target that holds a store is refused, and left as it was.
        let again = try sandbox.run(["admin", "store", "copy", "--from", sandbox.store, "--to", database.url])
        #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again)")
        let existingFile = try sandbox.run(["admin", "store", "copy", "--from", database.url, "--to", sandbox.store])
        #expect(existingFile.status == 1, "\(existingFile)")

        let back = sandbox.folder + "/back/clientpass.sqlite"
        expectSuccess(try sandbox.run(["admin", "store", "copy", "--from", database.url, "--to", back]))
        #expect(try export(database.url) == export(back))
        #expect(try check(sandbox, appPassword, store: back).status == 0)
    }
}

/// Two `serve` nodes on one PostgreSQL store, with the warm path on.
@Suite(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)")) struct PostgreSQLNodesTests {
    @Test func aChangeThroughAnyNodeOrTheCLIReachesEveryNodeAtItsNextLogin() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let phone = try sandbox.generateAppPassword(label: "Phone")
        let nodeA = try ServeProcess(sandbox: sandbox)
        let nodeB = try ServeProcess(sandbox: sandbox)

        // Warm on both nodes.
        for node in [nodeA, nodeB] {
            #expect(try node.decideStatus(password: phone) == (200, "allow"))
            #expect(try node.decide(password: phone)["warm"] as? Bool == true)
        }
        // Revoked through the CLI: refused at both nodes at the very next login.
        expectSuccess(
            try sandbox.run(
                ["password", "revoke", "1", "--user", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n"))
        #expect(try nodeB.decideStatus(password: phone) == (200, "bad_credential"))
        #expect(try nodeA.decideStatus(password: phone) == (200, "bad_credential"))
        // Blocked through the CLI while warm at node A: node B refuses at once.
        let laptop = try sandbox.generateAppPassword(label: "Laptop")
        #expect(try nodeA.decideStatus(password: laptop) == (200, "allow"))
        #expect(try nodeA.decide(password: laptop)["warm"] as? Bool == true)
        #expect(try nodeB.decideStatus(password: laptop) == (200, "allow"))
        expectSuccess(try sandbox.run(["admin", "account", "disable", "alice@example.com"]))
        #expect(try nodeB.decideStatus(password: laptop) == (200, "account_disabled"))
        #expect(try nodeA.decideStatus(password: laptop) == (200, "account_disabled"))
        expectSuccess(try sandbox.run(["admin", "account", "enable", "alice@example.com"]))
        #expect(try nodeA.decideStatus(password: laptop) == (200, "allow"))

        // The database goes away: temporary failures, never an allow from memory; back, and
        // both nodes answer again without a restart.
        #expect(try nodeB.decideStatus(password: laptop) == (200, "allow"))
        #expect(try nodeB.decide(password: laptop)["warm"] as? Bool == true)
        try lab.cutOff(database.name)
        defer { try? lab.reopen(database.name) }
        for node in [nodeA, nodeB] {
            let answer = try node.decideStatus(password: laptop)
            #expect(answer.status == 503, "with the database down: \(answer)")
        }
        #expect(try nodeA.nginxStatus(password: laptop) == "Temporary server problem, try again later")
        try lab.reopen(database.name)
        for node in [nodeA, nodeB] {
            var answer = try node.decideStatus(password: laptop)
            let deadline = Date().addingTimeInterval(30)
            while answer.status != 200 && Date() < deadline {
                usleep(200_000)
                answer = try node.decideStatus(password: laptop)
            }
            #expect(answer == (200, "allow"), "after the database came back: \(answer)")
        }
        #expect(try nodeA.decideStatus(password: "a wrong guess") == (200, "bad_credential"))
    }

    /// The database restarted (`pg_ctl restart`) while two nodes decide logins and the CLI adds
    /// accounts: only right allows and temporary failures, both nodes answer again by
    /// themselves, and every change the CLI said it made is there, once.
    @Test func aRestartUnderLoadGivesOnlyRightAllowsAndLosesNothing() throws {
        let lab = try PostgreSQLLab.makePrivate()
        let database = try lab.makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        // Throttling out of the way: the load's wrong guesses must not turn the right ones away.
        expectSuccess(
            try sandbox.run([
                "admin", "policy", "throttling", "--account-failures", "100000", "--address-failures", "1000000",
                "--account-wide-failures", "1000000",
            ]))
        let phone = try sandbox.generateAppPassword(label: "Phone")
        let revoked = try sandbox.generateAppPassword(label: "Old laptop")
        expectSuccess(
            try sandbox.run(
                ["password", "revoke", "2", "--user", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n"))
        let nodes = [try ServeProcess(sandbox: sandbox), try ServeProcess(sandbox: sandbox)]
        // Each worker only asks: the processes outlive the workers.
        nonisolated(unsafe) let askers = nodes

        let answers = Mutex<[(secret: String, status: Int, answer: String)]>([])
        let running = Mutex(true)
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var round = 0
                while running.withLock({ $0 }) {
                    round += 1
                    let (name, secret) = [("phone", phone), ("revoked", revoked), ("wrong", "a wrong guess")][round % 3]
                    let address = "198.51.100.\(worker * 50 + round % 50 + 1)"
                    if let answer = try? askers[(worker + round) % 2].decideStatus(password: secret, address: address) {
                        answers.withLock { $0.append((name, answer.status, answer.answer)) }
                    }
                }
            }
        }
        // The CLI adds accounts throughout; the ones it reports added must all be there after.
        var added: [String] = []
        var refused = 0
        let restartAt = Date().addingTimeInterval(1.5)
        var restarted = false
        for index in 0..<40 {
            if !restarted && Date() >= restartAt {
                try lab.restart()
                restarted = true
            }
            let name = "user\(index)@example.com"
            let result = try sandbox.run(["admin", "account", "add", name, "--password-stdin"], stdin: "mailbox password \(index)\n")
            if result.status == 0 { added.append(name) } else { refused += 1 }
        }
        if !restarted { try lab.restart() }
        running.withLock { $0 = false }
        group.wait()

        let seen = answers.withLock { $0 }
        #expect(seen.count > 20, "the load ran: \(seen.count) answers")
        for answer in seen {
            switch (answer.secret, answer.status) {
            case ("phone", 200): #expect(answer.answer == "allow", "\(answer)")
            case (_, 200): #expect(answer.answer != "allow", "a revoked or wrong password was allowed: \(answer)")
            case (_, 503): break
            default: Issue.record("neither an answer nor a temporary failure: \(answer)")
            }
        }
        // Both nodes come back by themselves.
        for node in nodes {
            var answer = try node.decideStatus(password: phone, address: "203.0.113.9")
            let deadline = Date().addingTimeInterval(30)
            while answer.status != 200 && Date() < deadline {
                usleep(200_000)
                answer = try node.decideStatus(password: phone, address: "203.0.113.9")
            }
            #expect(answer == (200, "allow"), "after the restart: \(answer)")
        }
        // Nothing the CLI reported is lost, nothing it refused is half there.
        let accounts = try sandbox.run(["admin", "account", "list", "--json"]).array().compactMap { $0["name"] as? String }
        #expect(Set(accounts) == Set(["alice@example.com"] + added), "added \(added.count), refused \(refused)")
        let audit = try sandbox.run(["admin", "audit", "--json", "--limit", "10000"]).array()
        #expect(audit.filter { $0["action"] as? String == "account.added" }.count == added.count + 1)
    }

    /// Two nodes (through the API) and the CLI issue app passwords for one account at once: the
    /// cap holds across the three processes, every password reported issued is there after, with
    /// its audit entry, and no refused one is.
    @Test func twoNodesAndTheCLIWritingAtOnceLoseNothing() throws {
        let database = try PostgreSQLLab.shared().makeDatabase()
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        let nodes = [try ServeProcess(sandbox: sandbox), try ServeProcess(sandbox: sandbox)]
        let perWriter = 12
        // Each node: its own session, then `perWriter` passwords one after another, in a thread
        // of a Python process started beside the CLI's loop.
        let script = """
            import json, sys, threading, urllib.request, urllib.error
            password = sys.stdin.readline().rstrip("\\n")
            def call(port, method, path, token=None, body=None):
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1" + path, method=method,
                                                 data=json.dumps(body).encode() if body else None,
                                                 headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
                try:
                    response = urllib.request.urlopen(request, timeout=60)
                    return response.status, response.read().decode()
                except urllib.error.HTTPError as error:
                    return error.code, error.read().decode()
            results = {}
            def writer(port, node):
                status, text = call(port, "POST", "/session", body={"account": "alice@example.com", "password": password})
                token = json.loads(text)["token"]
                results[node] = [call(port, "POST", "/passwords", token, {"label": f"node {node} #{k}"})[0] for k in range(\(perWriter))]
            threads = [threading.Thread(target=writer, args=(port, node)) for node, port in enumerate([\(nodes[0].port), \(nodes[1].port)])]
            for thread in threads: thread.start()
            for thread in threads: thread.join()
            print(json.dumps(results))
            """
        let scriptFile = sandbox.folder + "/writers.py"
        try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
        let api = Process()
        api.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        api.arguments = [scriptFile]
        let input = Pipe(), output = Pipe()
        api.standardInput = input
        api.standardOutput = output
        api.standardError = FileHandle.nullDevice
        try api.run()
        input.fileHandleForWriting.write(Data((alicePassword + "\n").utf8))
        try input.fileHandleForWriting.close()

        var cliIssued = 0
        for index in 0..<perWriter {
            let result = try sandbox.run(
                ["password", "generate", "--label", "cli #\(index)", "--json", "--user", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n")
            if result.status == 0 {
                cliIssued += 1
            } else {
                #expect(result.stderr.contains("25"), "refused only for the cap: \(result)")
            }
        }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        api.waitUntilExit()
        let parsed = try? JSONSerialization.jsonObject(with: text) as? [String: [Int]]
        let statuses = try #require(parsed, "\(String(decoding: text, as: UTF8.self))")
        let apiIssued = statuses.values.joined().filter { $0 == 201 }.count
        #expect(statuses.values.joined().allSatisfy { $0 == 201 || $0 == 409 }, "issued or refused for the cap: \(statuses)")

        // 36 asked for, 25 allowed: exactly the cap, each one reported issued is there.
        #expect(apiIssued + cliIssued == 25, "API \(apiIssued), CLI \(cliIssued)")
        let listed = try sandbox.run(
            ["password", "list", "--json", "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n"
        ).array()
        #expect(listed.count == 25)
        #expect(Set(listed.compactMap { $0["id"] as? Int }).count == 25, "no id given twice")
        let audit = try sandbox.run(["admin", "audit", "--json", "--limit", "10000"]).array()
        #expect(audit.filter { $0["action"] as? String == "app_password.created" }.count == 25)
    }

    /// Two nodes behind nginx: its mail proxy asks them in turn (IMAP and SMTP, with Dovecot
    /// behind), and an API session made through one works through the other until it ends.
    @Test func twoNodesBehindNginxAnswerTheMailProxyAndShareSessions() throws {
        let database = try PostgreSQLLab.shared().makeDatabase()
        let mail = try MailLab(proxy: true, postgresql: database.url, nodes: 2)
        let sandbox = mail.sandbox
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let generated = try sandbox.run(
            ["password", "generate", "--label", "Phone", "--json", "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n")
        let phone = try #require(try generated.object()["password"] as? String, "\(generated)")

        for _ in 0..<4 { #expect(try mail.loginThroughProxy("imap", password: phone) == 0) }
        #expect(try mail.loginThroughProxy("smtp", password: phone) == 0)
        #expect(try mail.loginThroughProxy("imap", password: "a wrong guess") == 1)
        for log in ["serve.log", "serve1.log"] {
            let text = (try? String(contentsOfFile: mail.folder + "/" + log, encoding: .utf8)) ?? ""
            #expect(text.contains("login decided"), "node \(log) answered nginx too")
        }
        expectSuccess(
            try sandbox.run(
                ["password", "revoke", "1", "--user", "alice@example.com", "--password-stdin"],
                stdin: alicePassword + "\n"))
        for _ in 0..<2 { #expect(try mail.loginThroughProxy("imap", password: phone) == 1, "revoked, at either node") }

        // The API through nginx's upstream: one token, requests spread over both nodes.
        let statuses = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys, urllib.request, urllib.error
                base = "http://127.0.0.1:\(mail.ports["nginx-http"]!)/api/v1"
                def call(method, path, token=None, body=None):
                    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
                    try:
                        response = urllib.request.urlopen(request, timeout=30)
                        return response.status, response.read().decode()
                    except urllib.error.HTTPError as error:
                        return error.code, error.read().decode()
                status, text = call("POST", "/session", body={"account": "alice@example.com", "password": sys.stdin.readline().rstrip("\\n")})
                token = json.loads(text)["token"]
                seen = [call("GET", "/passwords", token)[0] for _ in range(6)]
                ended = call("DELETE", "/session", token)[0]
                after = [call("GET", "/passwords", token)[0] for _ in range(4)]
                print(status, " ".join(map(str, seen)), ended, " ".join(map(str, after)))
                """,
            ], stdin: alicePassword + "\n", environment: [:], in: sandbox.folder)
        #expect(statuses.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "201 200 200 200 200 200 200 204 401 401 401 401", "\(statuses)")
    }
}
