@testable import ClientPassCore
import ClientPassTestSupport
@testable import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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

            let created = try await api.call(.post, "/passwords", ["label": "Laptop", "protocols": ["imap", "smtp"], "networks": ["198.51.100.0/24"], "expires": "90d"])
            #expect(created.status == .created, "\(created.body)")
            let secret = try #require(created.object["password"] as? String)
            #expect(created.object["protocols"] as? [String] == ["imap", "smtp"])
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
            let fullPage = try await browser.post("/passwords", [("csrf", home.csrf ?? ""), ("label", "One too many"), ("expires", ""),
                                                                 ("password", bobPassword)])
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
               let method = ["get:": HTTPRequest.Method.get, "post:": .post, "patch:": .patch, "delete:": .delete][trimmed] {
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
            let ordered = named.filter { !($0.1 == .delete && ($0.0 == "/passwords" || $0.0 == "/session")) }
                + named.filter { $0.1 == .delete && $0.0 == "/passwords" } + named.filter { $0.1 == .delete && $0.0 == "/session" }
            for (path, method) in ordered {
                let body: [String: Any]? = method == .post || method == .patch
                    ? (path == "/session" ? ["account": "alice@example.com", "password": alicePassword] : ["label": "Route check"]) : nil
                let answer = try await api.call(method, path, body)
                if ![200, 201, 204].contains(Int(answer.status.code)) { Issue.record("\(method) \(path): \(answer.status) \(answer.body)") }
            }
            #expect(try await api.call(.get, "/nothing-here").problem == "not-found")
            #expect(try await api.call(.post, "/passwords", ["no label": true]).problem == "invalid-input")
        }
    }
}
