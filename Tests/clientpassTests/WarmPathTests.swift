import ClientPassTestSupport
import Foundation
import Testing

/// `serve`'s warm path across processes: every change an administrator or employee makes with
/// the CLI (another process) reaches the running server at the very next login.
@Suite struct WarmPathTests {
    /// A change through the CLI, the answer expected at the next login, and how to undo it.
    struct Step: CustomStringConvertible {
        let change: [String]
        var stdin: String? = nil
        let secret: Secret
        let expected: String
        let undo: [String]?
        enum Secret { case phone, mailbox }
        var description: String { change.joined(separator: " ") }
    }

    @Test func everyChangeMadeThroughTheCLIReachesTheRunningServerAtTheNextLogin() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let phone = try #require(try sandbox.runAsAlice(["password", "generate", "--label", "Phone", "--json"]).object()["password"] as? String)
        let serve = try ServeProcess(sandbox: sandbox)

        func login(_ secret: Step.Secret) throws -> (answer: String, warm: Bool) {
            let object = try serve.decide(password: secret == .phone ? phone : alicePassword)
            return ((object["reason"] as? String) ?? (object["decision"] as? String ?? "?"), object["warm"] as? Bool ?? false)
        }

        let steps = [
            Step(
                change: ["admin", "account", "disable", "alice@example.com"], secret: .phone, expected: "account_disabled",
                undo: ["admin", "account", "enable", "alice@example.com"]),
            Step(
                change: ["admin", "services", "set", "alice@example.com", "--imap", "off"], secret: .phone, expected: "service_disabled",
                undo: ["admin", "services", "set", "alice@example.com", "--imap", "on"]),
            Step(
                change: ["admin", "policy", "third-party-clients", "block"], secret: .phone, expected: "third_party_blocked",
                undo: ["admin", "policy", "third-party-clients", "allow"]),
            Step(
                change: ["admin", "policy", "enforce-secure-password", "on", "--scope", "all"], secret: .mailbox,
                expected: "secure_password_required", undo: ["admin", "policy", "enforce-secure-password", "off"]),
            Step(
                change: ["admin", "account", "set-password", "alice@example.com", "--password-stdin"], stdin: "another mailbox password\n",
                secret: .mailbox, expected: "bad_credential", undo: nil),
            Step(
                change: ["password", "revoke", "1", "--user", "alice@example.com", "--password-stdin"], stdin: "another mailbox password\n",
                secret: .phone, expected: "bad_credential", undo: nil),
        ]
        for step in steps {
            // Warm first: the first login is decided cold, the second re-uses it.
            let first = try login(step.secret)
            #expect(first.answer == "allow", "before \(step): \(first)")
            let second = try login(step.secret)
            #expect(second == ("allow", true), "before \(step): \(second)")

            expectSuccess(try sandbox.run(step.change, stdin: step.stdin))
            let after = try login(step.secret)
            #expect(after == (step.expected, false), "after \(step): \(after)")
            if let undo = step.undo {
                expectSuccess(try sandbox.run(undo))
                let restored = try login(step.secret)
                #expect(restored == ("allow", false), "after undoing \(step): \(restored)")
            }
        }
    }

    @Test func theWarmPathCanBeTurnedOff() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let serve = try ServeProcess(sandbox: sandbox, arguments: ["--warm-cache-seconds", "0"])
        for _ in 0..<3 {
            let object = try serve.decide(password: alicePassword)
            #expect(object["decision"] as? String == "allow")
            #expect(object["warm"] as? Bool == false)
        }
    }
}

/// `serve` logs one line per decision (journald-friendly, on standard error) and never a secret.
@Suite struct ServeLogTests {
    @Test func oneLinePerDecisionWithoutSecrets() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let phone = try #require(try sandbox.runAsAlice(["password", "generate", "--label", "Phone", "--json"]).object()["password"] as? String)
        let serve = try ServeProcess(sandbox: sandbox)
        _ = try serve.decide(password: phone.replacingOccurrences(of: " ", with: ""))
        _ = try serve.decide(password: phone.replacingOccurrences(of: " ", with: ""))
        _ = try serve.decide(password: "a wrong guess", protocol: "pop3", address: "203.0.113.9")
        let log = try String(contentsOfFile: sandbox.folder + "/serve.log", encoding: .utf8)
        let decisions = log.split(separator: "\n").filter { $0.contains("login decided") }
        #expect(decisions.count == 3, "\(log)")
        #expect(
            decisions[0].contains("decision=allow") && decisions[0].contains("account=alice@example.com")
                && decisions[0].contains("credential=app_password:1") && decisions[0].contains("warm=false")
                && decisions[0].contains("protocol=imap") && decisions[0].contains("address=198.51.100.7"), "\(decisions[0])")
        #expect(decisions[1].contains("warm=true"), "\(decisions[1])")
        #expect(
            decisions[2].contains("decision=deny") && decisions[2].contains("reason=bad_credential")
                && decisions[2].contains("address=203.0.113.9"), "\(decisions[2])")
        for secret in [phone, phone.replacingOccurrences(of: " ", with: ""), "a wrong guess", alicePassword, serve.sharedSecret] {
            #expect(!log.contains(secret))
        }
    }
}

/// `Expect: 100-continue` (what Dovecot's HTTP client sends on each new connection) is answered
/// at once, so the body follows without the client's 2-second wait; the decision is the same.
@Suite struct ExpectContinueTests {
    @Test func theBodyIsAskedForAtOnce() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let serve = try ServeProcess(sandbox: sandbox)
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, socket, sys, time
                port, secret, password = int(sys.argv[1]), sys.argv[2], sys.stdin.readline().rstrip("\\n")
                body = json.dumps({"user": "alice@example.com", "password": password, "protocol": "imap", "address": "198.51.100.7"}).encode()
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                head = ("POST /auth/decide HTTP/1.1\\r\\nHost: clientpass\\r\\nAuthorization: Bearer " + secret +
                        "\\r\\nContent-Type: application/json\\r\\nExpect: 100-continue\\r\\nContent-Length: " + str(len(body)) + "\\r\\n\\r\\n")
                started = time.monotonic()
                connection.sendall(head.encode())
                interim = connection.recv(4096).decode()
                waited = time.monotonic() - started
                connection.sendall(body)
                answer = b""
                while b"\\r\\n\\r\\n" not in answer or not answer.rstrip().endswith(b"}"):
                    answer += connection.recv(4096)
                print(json.dumps({"interim": interim, "waited": waited, "final": answer.decode()}))
                """, String(serve.port), serve.sharedSecret,
            ], stdin: alicePassword + "\n", environment: [:], in: sandbox.folder)
        let answer = try result.object()
        let interim = answer["interim"] as? String ?? ""
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(result)")
        #expect((answer["waited"] as? Double ?? 9) < 1, "\(answer)")
        let final = answer["final"] as? String ?? ""
        #expect(final.hasPrefix("HTTP/1.1 200 OK\r\n") && final.contains("\"decision\":\"allow\""), "\(final)")
    }
}
