import ClientPassTestSupport
import Foundation
import Testing

/// The self-service commands through the real binary, at production Argon2id cost.
@Suite struct SelfServiceCommandTests {
    @Test func theWalkthroughOfTheReadmeWorks() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let generated = try sandbox.runAsAlice(["password", "generate", "--label", "Outlook on laptop"])
        expectSuccess(generated)
        #expect(generated.stdout.contains("New app password 1 \"Outlook on laptop\""))
        #expect(generated.stdout.range(of: #"\n    [a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}\n"#, options: .regularExpression) != nil)
        #expect(generated.stdout.contains("shown only this once"))
        for label in ["Phone", "Tablet"] {
            expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", label]))
        }
        let list = try sandbox.runAsAlice(["password", "list"])
        expectSuccess(list)
        #expect(list.stdout.contains("ID  LABEL"))
        #expect(list.stdout.contains("never"))
        expectSuccess(try sandbox.runAsAlice(["password", "label", "3", "Outlook (old laptop)"]))
        expectSuccess(try sandbox.runAsAlice(["password", "revoke", "3"]))
        let after = try sandbox.runAsAlice(["password", "list", "--json"]).array()
        #expect(after.map { $0["id"] as? Int } == [1, 2])
        let access = try sandbox.runAsAlice(["access"])
        expectSuccess(access)
        #expect(access.stdout.contains("Third-party clients:  blocked"))
    }

    @Test func generateJSONHasTheDocumentedShape() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let plain = try sandbox.runAsAlice(["password", "generate", "--label", "Outlook", "--json"]).object()
        #expect(Set(plain.keys).isSuperset(of: ["id", "label", "password", "created_at", "protocols", "networks", "expires_at"]))
        #expect(plain["id"] as? Int == 1)
        #expect(plain["label"] as? String == "Outlook")
        #expect((plain["password"] as? String)?.range(of: #"^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$"#, options: .regularExpression) != nil)
        #expect(isRFC3339UTC(plain["created_at"]))
        #expect((plain["protocols"] as? [String]) == [])
        #expect((plain["networks"] as? [String]) == [])
        #expect(plain["expires_at"] is NSNull)

        let limited = try sandbox.runAsAlice([
            "password", "generate", "--label", "Scanner", "--protocols", "smtp,imap",
            "--networks", "10.0.3.0/24,2001:db8::/32", "--expires", "90d", "--json",
        ]).object()
        #expect(limited["id"] as? Int == 2)
        #expect((limited["protocols"] as? [String]) == ["imap", "smtp"])
        #expect((limited["networks"] as? [String]) == ["10.0.3.0/24", "2001:db8::/32"])
        #expect(isRFC3339UTC(limited["expires_at"]))

        let list = try sandbox.runAsAlice(["password", "list", "--json"]).array()
        #expect(list.count == 2)
        for entry in list {
            #expect(entry["password"] == nil, "a listing must never carry a password")
            #expect(
                Set(entry.keys).isSuperset(of: [
                    "id", "label", "created_at", "protocols", "networks", "expires_at",
                    "last_used_at", "last_used_ip", "last_used_protocol",
                ]))
            #expect(entry["last_used_at"] is NSNull && entry["last_used_ip"] is NSNull && entry["last_used_protocol"] is NSNull)
        }
        #expect(list[1]["label"] as? String == "Scanner")
    }

    @Test func accessJSONHasTheDocumentedShape() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let access = try sandbox.runAsAlice(["access", "--json"]).object()
        #expect(Set(access.keys).isSuperset(of: ["account", "services", "third_party_clients", "secure_networks", "secure_password_required", "exception"]))
        #expect(access["account"] as? String == "alice@example.com")
        #expect((access["services"] as? [String: Bool]) == ["imap": true, "pop3": true, "smtp": true])
        #expect(access["third_party_clients"] as? String == "blocked")
        #expect((access["secure_networks"] as? [String]) == [])
        #expect(access["secure_password_required"] as? Bool == false)
        #expect(access["exception"] as? Bool == false)
    }

    @Test func labelAndRevokeChangeOnlyWhatTheySay() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        for label in ["One", "Two", "Three"] { expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", label])) }
        let renamed = try sandbox.runAsAlice(["password", "label", "2", "Second", "--json"]).object()
        #expect(renamed["label"] as? String == "Second")
        let revoked = try sandbox.runAsAlice(["password", "revoke", "1", "--json"]).object()
        #expect((revoked["revoked"] as? [Int]) == [1])
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).array().map { $0["label"] as? String } == ["Second", "Three"])
        // --all says how many and needs --yes when nobody can type the name.
        let unconfirmed = try sandbox.runAsAlice(["password", "revoke", "--all"])
        #expect(
            unconfirmed.status == 64 && unconfirmed.stderr.contains("this would revoke all 2 of your app passwords (alice@example.com); add --yes"),
            "\(unconfirmed)")
        #expect(try sandbox.runAsAlice(["password", "revoke", "--all", "--dry-run"]).stdout.contains("Would: revoke all 2"))
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).array().count == 2)
        let all = try sandbox.runAsAlice(["password", "revoke", "--all", "--yes", "--json"]).object()
        #expect((all["revoked"] as? [Int]) == [2, 3])
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).array().isEmpty)
        // Ids are never reused.
        #expect(try sandbox.runAsAlice(["password", "generate", "--label", "Four", "--json"]).object()["id"] as? Int == 4)
    }

    @Test func anAppPasswordNeverOpensSelfService() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let password = try #require(try sandbox.runAsAlice(["password", "generate", "--label", "Phone", "--json"]).object()["password"] as? String)
        for attempt in [password, password.replacingOccurrences(of: " ", with: "")] {
            let result = try sandbox.runAsAlice(["password", "generate", "--label", "Minted"], password: attempt)
            #expect(result.status == 1)
            #expect(result.stderr.contains("wrong account name or mailbox password"))
            #expect(!result.stderr.contains(attempt))
        }
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).array().count == 1)
        let audit = try sandbox.run(["admin", "audit", "--account", "alice@example.com", "--json"]).array()
        #expect(audit.filter { $0["action"] as? String == "self_service.sign_in_failed" }.count == 2)
        #expect(!audit.description.contains(password))
    }

    /// Each bad input: the documented exit code, a message that names the problem, and no change.
    @Test(
        arguments: [
            (["password", "generate", "--label", ""], 64, "the label is empty"),
            (["password", "generate", "--label", String(repeating: "x", count: 65)], 64, "at most 64"),
            (["password", "generate", "--label", "X", "--networks", "1.1.1.7/24"], 64, "did you mean 1.1.1.0/24?"),
            (["password", "generate", "--label", "X", "--networks", "1.1.1.300"], 64, "not an IPv4 or IPv6 address"),
            (["password", "generate", "--label", "X", "--protocols", "imap,http"], 64, "unknown protocol \"http\""),
            (["password", "generate", "--label", "X", "--expires", "2020-01-01"], 64, "has already passed"),
            (["password", "generate", "--label", "X", "--expires", "soon"], 64, "is not an expiry"),
            (["password", "label", "9", "New"], 1, "has no app password 9"),
            (["password", "revoke", "9"], 1, "has no app password 9"),
            (["password", "revoke", "1", "--all"], 64, "either an app password id or --all"),
            // The other refusals of flags alone: ParseTests.
        ] as [([String], Int32, String)])
    func badInputIsRefusedAndChangesNothing(arguments: [String], status: Int32, message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", "Existing"]))
        let before = try sandbox.runAsAlice(["password", "list", "--json"]).stdout
        let result = try sandbox.runAsAlice(arguments)
        #expect(result.status == status, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).stdout == before)
    }

    /// The command line signs in as the page does: an unknown account and a wrong password get
    /// the same answer, both are audited, and both count towards throttling.
    @Test func unknownAccountsAndWrongPasswordsGetOneAnswerAndAreThrottled() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let unknown = try sandbox.run(["password", "list", "--user", "alic", "--password-stdin"], stdin: alicePassword + "\n")
        let wrong = try sandbox.runAsAlice(["password", "list"], password: "not the password")
        for result in [unknown, wrong] {
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "Error: wrong account name or mailbox password; nothing was changed (only the mailbox password opens self-service, never an app password)\n"
            )
        }
        let badName = try sandbox.run(["password", "list", "--user", "alice smith", "--password-stdin"], stdin: alicePassword + "\n")
        #expect(badName.status == 64)
        let empty = try sandbox.run(["password", "list", "--user", "alice@example.com", "--password-stdin"], stdin: "")
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("standard input is empty"))

        expectSuccess(try sandbox.run(["admin", "policy", "throttling", "--account-failures", "3"]))
        for _ in 0..<2 { _ = try sandbox.runAsAlice(["password", "list"], password: "another guess") }
        let throttled = try sandbox.runAsAlice(["password", "list"])
        #expect(throttled.status == 1)
        #expect(throttled.stderr.contains("too many failed sign-ins for this account or from this host"))
        let audit = try sandbox.run(["admin", "audit", "--account", "alice@example.com", "--json"]).array()
        #expect(audit.filter { $0["action"] as? String == "self_service.sign_in_failed" }.count == 4)
        #expect(audit.first?["reason"] as? String == "throttled")
    }

    /// In the words of a company whose employees know a "company password".
    @Test func theCommandsSayTheConfiguredTerm() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let environment = ["CLIENTPASS_MAILBOX_PASSWORD_TERM": "company password"]
        let worded = try sandbox.run(
            ["password", "list", "--user", "alice@example.com", "--password-stdin"], stdin: "not the password\n",
            environment: environment)
        #expect(
            worded.stderr
                == "Error: wrong account name or company password; nothing was changed (only the company password opens self-service, never an app password)\n",
            "\(worded)")
        let access = try sandbox.run(["access", "--user", "alice@example.com", "--password-stdin"], stdin: alicePassword + "\n", environment: environment)
        #expect(
            access.stdout.contains("mail clients may use the company password or an app password") && !access.stdout.contains("mailbox password"),
            "\(access)")
        // With the servers mail clients use, a new password comes with its settings.
        let generated = try sandbox.run(
            ["password", "generate", "--label", "Laptop", "--user", "alice@example.com", "--password-stdin"],
            stdin: alicePassword + "\n",
            environment: environment.merging(["CLIENTPASS_IMAP_SERVER": "mail.example.com:993", "CLIENTPASS_SMTP_SERVER": "mail.example.com:587"]) { $1 })
        #expect(
            generated.stdout.contains("instead of the company password") && generated.stdout.contains("Settings for the mail client")
                && generated.stdout.contains("SMTP (outgoing)") && generated.stdout.contains("STARTTLS"), "\(generated)")
    }

    @Test func withoutATerminalTheCommandAsksForPasswordStdin() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let result = try sandbox.run(["password", "list", "--user", "alice@example.com"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("pass --password-stdin"))
    }

    @Test func theCapOf25IsReportedClearly() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        for index in 1...25 { expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", "Device \(index)"])) }
        let refused = try sandbox.runAsAlice(["password", "generate", "--label", "One too many"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already has 25 app passwords, the most allowed"))
        #expect(try sandbox.runAsAlice(["password", "list", "--json"]).array().count == 25)
    }

    /// Two processes generating for one account at once: every password is kept, ids are
    /// distinct, and no "database is locked" reaches the user.
    @Test func twoProcessesGeneratingAtOnceLoseNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let perProcess = 10
        let results = try (0..<2).map { worker in
            let script = """
                for i in $(seq 1 \(perProcess)); do
                  printf '%s\\n' "$PW" | "$BIN" password generate --user alice@example.com --label "w\(worker)-$i" --password-stdin --json >/dev/null || echo "failed: $i" >&2
                done
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            var env = ProcessInfo.processInfo.environment
            env["CLIENTPASS_STORE"] = sandbox.store
            env["BIN"] = clientpassBinary.path
            env["PW"] = alicePassword
            process.environment = env
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            return (process, errors)
        }.map { process, errors in
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        let errors = results.joined()
        #expect(errors.isEmpty, "\(errors)")
        let list = try sandbox.runAsAlice(["password", "list", "--json"]).array()
        #expect(list.count == 2 * perProcess)
        let ids = Set(list.compactMap { $0["id"] as? Int })
        #expect(ids == Set(1...(2 * perProcess)))
        #expect(Set(list.compactMap { $0["label"] as? String }).count == 2 * perProcess)
    }

    @Test func everyCommandDocumentsItsExitCodes() throws {
        let sandbox = try Sandbox()
        for command in [
            ["password", "generate"], ["password", "list"], ["password", "label"], ["password", "revoke"], ["access"],
            ["admin", "init"], ["admin", "account", "add"], ["admin", "account", "list"], ["admin", "account", "show"],
            ["admin", "account", "remove"], ["admin", "department", "add"], ["admin", "department", "list"],
            ["admin", "department", "remove"], ["admin", "audit"], ["check"], ["explain"], ["admin", "policy", "show"],
            ["admin", "policy", "third-party-clients"], ["admin", "policy", "enforce-secure-password"],
            ["admin", "policy", "exception", "add"], ["admin", "policy", "exception", "remove"], ["admin", "policy", "exception", "list"],
            ["admin", "policy", "throttling"], ["admin", "network", "add"], ["admin", "network", "list"], ["admin", "network", "remove"],
            ["admin", "services", "set"], ["admin", "account", "disable"], ["admin", "account", "enable"],
            ["admin", "account", "set-password"], ["admin", "password", "list"], ["admin", "password", "revoke"],
            ["admin", "password", "issue"], ["admin", "reset"],
        ] {
            let help = try sandbox.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Exit codes: 0"), "\(command)")
        }
    }
}
