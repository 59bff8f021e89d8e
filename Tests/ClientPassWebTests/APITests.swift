@testable import ClientPassCore
import ClientPassTestSupport
@testable import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A client of the self-service API for the in-process tests: JSON in, status and JSON out.
struct APIClient {
    let client: any TestClientProtocol
    var token: String?

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        /// The problem's stable name (`signed-out`, `throttled`…).
        var problem: String? { (object["type"] as? String)?.components(separatedBy: "/").last }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil) async throws -> Answer {
        var headers: HTTPFields = [.accept: "application/json, application/problem+json, application/yaml"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        }
        return try await client.execute(uri: "/api/v1" + path, method: method, headers: headers, body: buffer) { response in
            Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// Signs in and keeps the token.
    mutating func signIn(_ account: String = "alice@example.com", _ password: String = alicePassword) async throws -> Answer {
        let answer = try await call(.post, "/session", ["account": account, "password": password])
        token = answer.object["token"] as? String
        return answer
    }
}

@Suite struct APITests {
    /// Sign in, then every operation, then sign out: the token ends.
    @Test func theWholeRoundThroughTheAPI() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            let session = try await api.signIn()
            #expect(session.status == .created, "\(session.body)")
            #expect(session.object["account"] as? String == "alice@example.com")
            #expect(session.object["idle_timeout_seconds"] as? Int == 15 * 60)
            #expect(session.headers[.cacheControl] == "no-store")

            let list = try await api.call(.get, "/passwords")
            #expect(list.status == .ok && list.array.map { $0["label"] as? String } == ["Phone"])

            let created = try await api.call(
                .post, "/passwords", ["label": "Laptop", "protocols": ["imap", "smtp"], "networks": ["198.51.100.0/24"], "expires": "90d"])
            #expect(created.status == .created, "\(created.body)")
            let secret = try #require(created.object["password"] as? String)
            #expect(created.object["protocols"] as? [String] == ["imap", "smtp"])
            // The servers the page would show with it: the lab's IMAP and SMTP.
            let servers = try #require(created.object["servers"] as? [[String: Any]], "\(created.body)")
            #expect(
                servers.map { "\($0["protocol"] ?? "") \($0["host"] ?? ""):\($0["port"] ?? "") \($0["security"] ?? "")" }
                    == ["imap mail.example.com:993 tls", "smtp mail.example.com:587 starttls"], "\(servers)")
            #expect(try await lab.imapAllows("alice@example.com", secret), "the password the API printed opens IMAP")
            let id = try #require(created.object["id"] as? Int)

            let renamed = try await api.call(.patch, "/passwords/\(id)", ["label": "Work laptop"])
            #expect(renamed.status == .ok && renamed.object["label"] as? String == "Work laptop")
            #expect(try await api.call(.patch, "/passwords/\(id)", ["label": ""]).problem == "invalid-input")

            let access = try await api.call(.get, "/access")
            #expect(access.status == .ok)
            #expect(access.object["third_party_clients"] as? String == "allowed")
            #expect(access.object["address"] as? String == "127.0.0.1")

            let activity = try await api.call(.get, "/activity")
            #expect(activity.status == .ok)
            #expect(activity.array.contains { ($0["text"] as? String)?.contains("You signed in with the clientpass command line") == true })

            let revoked = try await api.call(.delete, "/passwords/\(id)")
            #expect(revoked.status == .ok && revoked.object["revoked"] as? [Int] == [id])
            #expect(try await !lab.imapAllows("alice@example.com", secret))
            let all = try await api.call(.delete, "/passwords")
            #expect(all.status == .ok && (all.object["revoked"] as? [Int])?.count == 1)

            #expect(try await api.call(.delete, "/session").status == .noContent)
            let after = try await api.call(.get, "/passwords")
            #expect(after.status == .unauthorized && after.problem == "signed-out")
            #expect(after.headers[.contentType] == "application/problem+json")
            #expect(after.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    /// Sign-in takes the mailbox password only, and is throttled like the page's.
    @Test func signInRefusesAppPasswordsAndIsThrottled() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            let withAppPassword = try await api.signIn("alice@example.com", lab.alicePhone)
            #expect(withAppPassword.status == .unauthorized && withAppPassword.problem == "wrong-credentials")
            #expect(try await api.signIn("nobody@example.com", alicePassword).problem == "wrong-credentials", "no account: the same answer")
            var last: APIClient.Answer?
            for _ in 0..<12 { last = try await api.signIn("alice@example.com", "not the password") }
            #expect(last?.status == .tooManyRequests && last?.problem == "throttled")
            #expect(Int(last?.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await api.signIn().status == .tooManyRequests, "throttled on the page's counters")
        }
    }

    /// Outside attack, round two (issue 28): what reaches the API before any handler. Each of
    /// these answered otherwise in 0.12.1.
    @Test func requestsAreRefusedBeforeAnyHandlerReadsThem() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            func send(_ method: HTTPRequest.Method = .post, _ path: String = "/api/v1/session", body: String?, headers: HTTPFields) async throws
                -> APIClient.Answer
            {
                try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                    APIClient.Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
                }
            }
            let signIn = #"{"account":"alice@example.com","password":"\#(alicePassword)"}"#
            // 1. A body past the limit is refused, not read whole (a 200 MB one grew serve by 600 MB).
            let padded = #"{"account":"alice@example.com","password":"x","pad":""# + String(repeating: "x", count: 100_000) + #""}"#
            let huge = try await send(body: padded, headers: [.contentType: "application/json"])
            #expect(huge.status == .contentTooLarge && huge.problem == "too-large", "\(huge.status) \(huge.body.prefix(200))")
            // 2. No Content-Type, or another one: a page at any origin can send those without a
            //    preflight, so none is read as JSON.
            for type in [nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"] {
                var headers: HTTPFields = [:]
                if let type { headers[.contentType] = type }
                let answer = try await send(body: signIn, headers: headers)
                #expect(answer.status == .unsupportedMediaType && answer.problem == "unsupported-media-type", "\(type ?? "no type"): \(answer.status)")
            }
            #expect(try await send(body: signIn, headers: [.contentType: "application/json; charset=utf-8"]).status == .created)
            //    A browser's request from another site is refused whatever its type.
            for headers: HTTPFields in [
                [.contentType: "application/json", .origin: "https://evil.example"],
                [.contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                [.contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "same-site"],
                [.contentType: "application/json", .origin: "null"],
            ] {
                let answer = try await send(body: signIn, headers: headers)
                #expect(answer.status == .forbidden && answer.problem == "cross-origin", "\(headers): \(answer.status)")
            }
            let direct = try await send(body: signIn, headers: [.contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "none"])
            #expect(direct.status == .created, "typed into the address bar, or from a tool")
            // None of the refused guesses counted: the right password still signs in, and no
            // failure was recorded for the address.
            #expect(try lab.store.decisionSnapshot(accountKey: "alice@example.com", address: IPAddress("127.0.0.1")!, at: lab.clock.now).accountFailures == 0)
            // 9. What the generated code cannot read is said in the API's words.
            for (body, expected) in [
                (#"{"account":1,"password":"x"}"#, #"the field "account" has the wrong type"#),
                (#"{"password":"x"}"#, #"the field "account" is missing"#),
                (#"{"account":null,"password":"x"}"#, #"the field "account" must not be null"#),
                (#"["a"]"#, "the request body must be a JSON object"),
                (#"{"account":"#, "the request body is not valid JSON"),
                ("\u{FF}\u{FE}", "the request body is not valid JSON"),
            ] {
                let answer = try await send(body: body, headers: [.contentType: "application/json"])
                #expect(answer.status == .badRequest && answer.problem == "invalid-input", "\(body): \(answer.body)")
                #expect((answer.object["detail"] as? String)?.contains(expected) == true, "\(body): \(answer.body)")
                for word in ["DecodingError", "CodingKeys", "Dictionary<", "underlying", "Swift.", "typeMismatch", "keyNotFound"] {
                    #expect(!answer.body.contains(word), "\(body): \(answer.body)")
                }
            }
            var api = APIClient(client: client)
            _ = try await api.signIn()
            let badProtocol = try await api.call(.post, "/passwords", ["label": "X", "protocols": ["gopher"]])
            #expect(badProtocol.object["detail"] as? String == #"the field "protocols[0]" has a value the API does not take"#, "\(badProtocol.body)")
            // 11. A path with an empty segment reaches no handler without the middleware.
            for path in ["//api/v1/passwords", "/api//v1/passwords", "//api/v1/session"] {
                let answer = try await send(.get, path, body: nil, headers: [.authorization: "Bearer \(api.token ?? "")"])
                #expect(answer.status == .notFound && answer.problem == "not-found", "\(path): \(answer.status) \(answer.body)")
            }
            #expect(try await send(.get, "//passwords", body: nil, headers: [:]).status == .notFound)
        }
    }

    /// 5. One account's sign-ins end none of another account's sessions, and an account that
    /// signs in more often than a person does is held off.
    @Test func oneAccountsSignInsLeaveOthersAlone() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            var bob = APIClient(client: client)
            #expect(try await bob.signIn("bob@example.com", bobPassword).status == .created)
            var tokens: [String] = []
            for _ in 0..<DecisionEngine.signInLimit.count {
                lab.clock.advance(by: 1)
                var alice = APIClient(client: client)
                let answer = try await alice.signIn()
                #expect(answer.status == .created, "\(answer.body)")
                tokens.append(alice.token ?? "")
            }
            var more = APIClient(client: client)
            let refused = try await more.signIn()
            #expect(refused.status == .tooManyRequests && refused.problem == "throttled", "\(refused.body)")
            #expect(try await bob.call(.get, "/passwords").status == .ok, "bob's session outlived alice's sign-ins")
            #expect(try await APIClient(client: client, token: tokens.last).call(.get, "/passwords").status == .ok)
            #expect(
                try await APIClient(client: client, token: tokens.first).call(.get, "/passwords").problem == "signed-out",
                "alice's oldest session made room for her newest")
            lab.clock.advance(minutes: 16)
            #expect(try await more.signIn().status == .created, "the limit is per window")
        }
    }

    /// 6. The first sign-in of an imported account rehashes its mailbox password, and so does
    /// a sign-in after the Argon2id cost went up: the session it makes works, and the account's
    /// other sessions go on (a rehash is no new password).
    @Test func aSignInThatRehashesKeepsItsSessionAndTheOthers() async throws {
        let lab = try PageLab()
        let zoe = AccountImportFile(parsing: "zoe@example.com:{PLAIN}zoes imported password\n", format: .passwdFile, allowWeak: true)
        _ = try lab.manager.importAccounts(zoe.entries, by: .admin(osUser: "t"))
        // The same store served at a higher mailbox-password cost (the configuration changed).
        let clock = lab.clock
        let dearer = DecisionEngine(
            store: lab.store,
            mailboxHasher: MailboxPasswordHasher(parameters: Argon2idParameters(iterations: 2, memoryKiB: 8)),
            pool: PageLab.pool, now: { clock.now })
        let dearerApp = Application(
            router: buildRouter(
                ServeConfiguration(
                    sharedSecret: try SharedSecret(AuthEndpointTests.secret),
                    page: PageConfiguration()),
                engine: dearer, logger: Logger(label: "test")))
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            #expect(try await api.signIn("zoe@example.com", "zoes imported password").status == .created)
            #expect(try lab.manager.account(named: "zoe@example.com").mailboxPasswordHash.hasPrefix("$argon2id$"), "rehashed at sign-in")
            #expect(try await api.call(.get, "/passwords").status == .ok, "the imported account's first token works")

            let browser = TestBrowser(client)
            _ = try await browser.signIn()
            #expect(try await browser.get("/").body.contains("Phone"))
            let before = try lab.manager.account(named: "alice@example.com").mailboxPasswordHash
            let login = try await dearer.decide(
                LoginRequest(
                    user: "alice@example.com", secret: Secret(alicePassword), service: .imap,
                    address: IPAddress("198.51.100.7")!))
            #expect(login.isAllowed)
            #expect(try lab.manager.account(named: "alice@example.com").mailboxPasswordHash != before, "a mail login rehashed it")
            #expect(try await browser.get("/").body.contains("Phone"), "the page's session outlived the rehash")
        }
        try await dearerApp.test(.router) { (client: any TestClientProtocol) async throws -> Void in
            var bob = APIClient(client: client)
            #expect(try await bob.signIn("bob@example.com", bobPassword).status == .created)
            #expect(try await bob.call(.get, "/passwords").status == .ok, "a token made by a sign-in that rehashed works")
        }
    }

    /// A token ends when idle, when too old, when the account is disabled and when its mailbox
    /// password changes; a page cookie is no token, and another account's password is not found.
    @Test func tokensEndAsPageSessionsEnd() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            _ = try await api.signIn()
            lab.clock.advance(minutes: 16)
            #expect(try await api.call(.get, "/passwords").problem == "signed-out", "idle")

            _ = try await api.signIn()
            for _ in 0..<52 {
                lab.clock.advance(minutes: 14)
                _ = try await api.call(.get, "/passwords")
            }
            #expect(try await api.call(.get, "/passwords").problem == "signed-out", "older than 12 hours")

            _ = try await api.signIn()
            #expect(try await api.call(.get, "/passwords/1").status != .ok)
            #expect(try await api.call(.delete, "/passwords/1").status == .ok, "alice's own password 1")
            let bob = try #require(try lab.manager.appPasswords(of: lab.manager.account(named: "bob@example.com")).first)
            #expect(try await api.call(.delete, "/passwords/\(bob.id + 100)").problem == "not-found")
            #expect(try await api.call(.patch, "/passwords/2", ["label": "Mine now"]).problem == "not-found", "bob's password 2 is not alice's")

            _ = try lab.manager.setMailboxPassword(of: lab.alice, to: Secret("a brand new mailbox password"), by: .admin(osUser: "t"))
            #expect(try await api.call(.get, "/access").problem == "signed-out", "a new mailbox password")
            _ = try await api.signIn("alice@example.com", "a brand new mailbox password")
            _ = try lab.manager.setStatus(.disabled, of: lab.alice, by: .admin(osUser: "t"))
            #expect(try await api.call(.get, "/access").problem == "signed-out", "a disabled account")
            #expect(try await api.signIn("alice@example.com", "a brand new mailbox password").problem == "account-disabled")
        }
        // A page's session cookie is not an API token.
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.signIn("bob@example.com", bobPassword)
            let api = APIClient(client: client, token: browser.cookies["clientpass_session"])
            #expect(try await api.call(.get, "/passwords").problem == "signed-out")
        }
    }

    /// Past 5 minutes, creating asks for the mailbox password again, on the page and through the
    /// API alike (one rule, in SelfServiceOperations); the cap on passwords refuses both too.
    @Test func thePageAndTheAPIFollowTheSameRules() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            _ = try await api.signIn("bob@example.com", bobPassword)
            let browser = TestBrowser(client)
            _ = try await browser.signIn("bob@example.com", bobPassword)
            lab.clock.advance(minutes: 6)
            _ = try await api.call(.get, "/passwords")
            let home = try await browser.get("/")
            let needed = try await api.call(.post, "/passwords", ["label": "Tablet 2"])
            #expect(needed.status == .unauthorized && needed.problem == "reauthentication-required")
            let page = try await browser.post("/passwords", [("csrf", home.csrf ?? ""), ("label", "Tablet 2"), ("expires", "")])
            #expect(page.status == .unauthorized && page.error?.contains("Confirm your mailbox password") == true)
            let confirmed = try await api.call(.post, "/passwords", ["label": "Tablet 2", "password": bobPassword])
            #expect(confirmed.status == .created)

            try await lab.store.writer.write { db in try db.execute(sql: "UPDATE domain_policy SET max_app_passwords = 3") }
            let full = try await api.call(.post, "/passwords", ["label": "One too many"])
            #expect(full.status == .conflict && full.problem == "limit-reached")
            let fullPage = try await browser.post(
                "/passwords",
                [
                    ("csrf", home.csrf ?? ""), ("label", "One too many"), ("expires", ""),
                    ("password", bobPassword),
                ])
            #expect(fullPage.status == .conflict)
        }
    }

    /// The document is served, and every route it names answers as it says (nothing 404 or
    /// 500): the routes come from the document.
    @Test func everyRouteOfTheDocumentAnswers() async throws {
        let lab = try PageLab()
        let document = APIDocument.yaml
        #expect(document.hasPrefix("openapi: 3.1.0"))
        var routes: [(String, HTTPRequest.Method)] = []
        var path: String?
        var inPaths = false
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    "), !line.hasPrefix("     "), let path,
                let method = ["get:": HTTPRequest.Method.get, "post:": .post, "patch:": .patch, "delete:": .delete][trimmed]
            {
                routes.append((path.replacingOccurrences(of: "{id}", with: "1"), method))
            }
        }
        #expect(routes.count == 10, "\(routes)")
        let named = routes
        try await lab.app.test(.router) { client in
            var api = APIClient(client: client)
            let served = try await api.call(.get, "/openapi.yaml")
            #expect(served.status == .ok && served.body == document, "\(served.status) \(served.body.prefix(300))")
            _ = try await api.signIn()
            // Revoking all and signing out last: the routes before them need the password and the token.
            let ordered =
                named.filter { !($0.1 == .delete && ($0.0 == "/passwords" || $0.0 == "/session")) }
                + named.filter { $0.1 == .delete && $0.0 == "/passwords" } + named.filter { $0.1 == .delete && $0.0 == "/session" }
            for (path, method) in ordered {
                let body: [String: Any]? =
                    method == .post || method == .patch
                    ? (path == "/session" ? ["account": "alice@example.com", "password": alicePassword] : ["label": "Route check"]) : nil
                let answer = try await api.call(method, path, body)
                if ![200, 201, 204].contains(Int(answer.status.code)) { Issue.record("\(method) \(path): \(answer.status) \(answer.body)") }
            }
            #expect(try await api.call(.get, "/nothing-here").problem == "not-found")
            #expect(try await api.call(.post, "/passwords", ["no label": true]).problem == "invalid-input")
        }
    }
}
