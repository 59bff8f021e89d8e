import ClientPassCore
import ClientPassEdge
import ClientPassTestSupport
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The decision endpoints in-process (`app.test(.router)`), on an in-memory store at low
/// Argon2id cost.
@Suite struct AuthEndpointTests {
    static let secret = "a-shared-secret-for-tests-0123456789"
    static let pool = HashingPool(size: 2)

    struct Lab {
        let store: SQLiteStore
        let app: any ApplicationProtocol
        let phone: String
    }

    func makeLab(allow: Bool = true, mailboxHasher: (any PasswordHasher)? = nil) throws -> Lab {
        let fixture = try TestStore()
        let store = fixture.store
        let phone = try fixture.issue("Phone").displayPassword
        if allow { try fixture.allowThirdPartyClients() }
        let configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(Self.secret),
            backends: [
                .imap: try IPEndpoint(parsing: "192.0.2.10:143"), .smtp: try IPEndpoint(parsing: "[2001:db8::25]:587"),
            ])
        let engine = DecisionEngine(store: store, mailboxHasher: mailboxHasher, pool: Self.pool)
        let router = buildRouter(configuration, engine: engine, logger: Logger(label: "test"))
        return Lab(store: store, app: Application(router: router), phone: phone)
    }

    func nginxHeaders(
        user: String = "alice@example.com", password: String, protocol service: String = "imap", address: String = "198.51.100.7",
        attempt: Int = 1, secret: String? = AuthEndpointTests.secret, method: String = "plain"
    ) -> HTTPFields {
        var headers = HTTPFields()
        if let secret { headers[HTTPField.Name("X-Clientpass-Secret")!] = secret }
        headers[HTTPField.Name("Auth-Method")!] = method
        headers[HTTPField.Name("Auth-User")!] = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        headers[HTTPField.Name("Auth-Pass")!] = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        headers[HTTPField.Name("Auth-Protocol")!] = service
        headers[HTTPField.Name("Auth-Login-Attempt")!] = String(attempt)
        headers[HTTPField.Name("Client-IP")!] = address
        return headers
    }

    func field(_ name: String, _ response: TestResponse) -> String? {
        response.headers[HTTPField.Name(name)!]
    }

    @Test func anAllowNamesTheBackend() async throws {
        let lab = try makeLab()
        try await lab.app.test(.router) { client in
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: lab.phone)) { response in
                #expect(response.status == .ok)
                #expect(field("Auth-Status", response) == "OK")
                #expect(field("Auth-Server", response) == "192.0.2.10")
                #expect(field("Auth-Port", response) == "143")
            }
            // The backend is given the account's own name, whatever case the client typed.
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(user: "ALICE@Example.COM", password: lab.phone)) { response in
                #expect(field("Auth-Status", response) == "OK")
                #expect(field("Auth-User", response) == "alice@example.com")
            }
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: alicePassword, protocol: "smtp")) { response in
                #expect(field("Auth-Status", response) == "OK")
                #expect(field("Auth-Server", response) == "2001:db8::25")
                #expect(field("Auth-Port", response) == "587")
            }
        }
    }

    @Test func aDenialSaysNothingOfTheReason() async throws {
        let lab = try makeLab(allow: false)
        try await lab.app.test(.router) { client in
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: lab.phone, protocol: "smtp")) { response in
                #expect(field("Auth-Status", response) == "Invalid login or password")
                #expect(field("Auth-Error-Code", response) == "535 5.7.8")
                #expect(field("Auth-Server", response) == nil)
                #expect(field("Auth-Wait", response) == nil)
            }
        }
        let denial = try lab.store.auditEvents(account: "alice@example.com", since: nil, limit: 5).first
        #expect(denial?.reason == .thirdPartyBlocked)
    }

    @Test func withoutTheSharedSecretNothingIsDecided() async throws {
        let lab = try makeLab()
        try await lab.app.test(.router) { client in
            for secret in [nil, "wrong", Self.secret + "x"] as [String?] {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: lab.phone, secret: secret)) { response in
                    #expect(response.status == .forbidden)
                    #expect(field("Auth-Status", response) == nil)
                }
            }
            try await client.execute(
                uri: "/auth/decide", method: .post, headers: [.authorization: "Bearer wrong"],
                body: ByteBuffer(string: #"{"user":"alice@example.com","password":"x","protocol":"imap","address":"1.2.3.4"}"#)
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try lab.store.auditEvents(account: "alice@example.com", since: nil, limit: 50).allSatisfy { $0.kind != .loginDenied })
    }

    @Test func challengeResponseMethodsAndGarbageAreRefused() async throws {
        let lab = try makeLab()
        try await lab.app.test(.router) { client in
            for headers in [
                nginxHeaders(password: lab.phone, method: "cram-md5"), nginxHeaders(password: lab.phone, protocol: "http"),
                nginxHeaders(password: lab.phone, address: "not-an-ip"),
            ] {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: headers) { response in
                    #expect(field("Auth-Status", response) == "Invalid login or password")
                }
            }
        }
    }

    @Test func throttledLoginsWaitABoundedNumberOfTimes() async throws {
        let lab = try makeLab()
        try await lab.app.test(.router) { client in
            for _ in 0..<10 {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: "wrong guess")) { _ in }
            }
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: lab.phone, attempt: 1)) { response in
                #expect(field("Auth-Status", response) == "Invalid login or password")
                #expect(field("Auth-Wait", response) == "3")
            }
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: lab.phone, attempt: 3)) { response in
                #expect(field("Auth-Wait", response) == nil)
            }
        }
    }

    /// `/auth/decide` takes the connecting host (Dovecot's real_rip): a first-party host makes
    /// the login first-party. nginx's Client-IP is only ever the client: never first-party.
    @Test func onlyTheConnectingAddressMakesALoginFirstParty() async throws {
        let lab = try makeLab(allow: false)
        try lab.store.addFirstPartyHost(IPNetwork(parsing: "10.99.0.5"), note: "Roundcube", by: .admin(osUser: "test"), at: Date())
        let bearer: HTTPFields = [.authorization: "Bearer \(Self.secret)", .contentType: "application/json"]
        func decide(_ body: String) async throws -> [String: Any]? {
            try await lab.app.test(.router) { client in
                try await client.execute(uri: "/auth/decide", method: .post, headers: bearer, body: ByteBuffer(string: body)) { response in
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                }
            }
        }
        let base = #"{"user":"alice@example.com","password":"\#(alicePassword)","protocol":"imap","address":"203.0.113.5""#
        #expect(try await decide(base + #","connecting_address":"10.99.0.5"}"#)?["decision"] as? String == "allow")
        #expect(try await decide(base + "}")?["reason"] as? String == "third_party_blocked")
        #expect(try await decide(base + #","connecting_address":"203.0.113.5"}"#)?["reason"] as? String == "third_party_blocked")
        let withAppPassword = (base + #","connecting_address":"10.99.0.5"}"#).replacingOccurrences(of: alicePassword, with: lab.phone)
        #expect(try await decide(withAppPassword)?["reason"] as? String == "app_password_first_party")
        try await lab.app.test(.router) { client in
            try await client.execute(
                uri: "/auth/decide", method: .post, headers: bearer,
                body: ByteBuffer(string: base + #","connecting_address":"webmail"}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/auth/nginx", method: .get, headers: nginxHeaders(password: alicePassword, address: "10.99.0.5")) { response in
                #expect(field("Auth-Status", response) != "OK")
            }
        }
    }

    @Test func theJSONDecision() async throws {
        let lab = try makeLab()
        let bearer: HTTPFields = [.authorization: "Bearer \(Self.secret)", .contentType: "application/json"]
        try await lab.app.test(.router) { client in
            let body = #"{"user":"ALICE@example.com","password":"\#(lab.phone)","protocol":"imap","address":"::ffff:198.51.100.7"}"#
            try await client.execute(uri: "/auth/decide", method: .post, headers: bearer, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["decision"] as? String == "allow")
                #expect(json?["reason"] is NSNull)
                #expect(json?["account"] as? String == "alice@example.com")
            }
            let wrong = #"{"user":"alice@example.com","password":"nope","protocol":"pop3","address":"198.51.100.8"}"#
            try await client.execute(uri: "/auth/decide", method: .post, headers: bearer, body: ByteBuffer(string: wrong)) { response in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["decision"] as? String == "deny")
                #expect(json?["reason"] as? String == "bad_credential")
                // The keys sorted, the same bytes every time.
                #expect(String(buffer: response.body) == #"{"account":null,"decision":"deny","reason":"bad_credential","warm":false}"#)
            }
            for bad in [
                #"{"user":"alice"}"#, "not json", #"{"user":"a","password":"b","protocol":"http","address":"1.2.3.4"}"#,
                #"{"user":"a","password":"b","protocol":"imap","address":"1.2.3"}"#,
            ] {
                try await client.execute(uri: "/auth/decide", method: .post, headers: bearer, body: ByteBuffer(string: bad)) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    // Machine answers: the page's middleware (HTML errors, CSP) is on the page's routes only.
                    #expect(response.headers[.contentSecurityPolicy] == nil)
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") != true)
                }
            }
            // A JSON route takes JSON only (issue 28); and no body past 64 KiB is read.
            for type in [nil, "text/plain", "application/x-www-form-urlencoded"] {
                var headers: HTTPFields = [.authorization: "Bearer \(Self.secret)"]
                if let type { headers[.contentType] = type }
                try await client.execute(uri: "/auth/decide", method: .post, headers: headers, body: ByteBuffer(string: wrong)) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type ?? "no type")")
                }
            }
            try await client.execute(
                uri: "/auth/decide", method: .post, headers: bearer,
                body: ByteBuffer(string: String(repeating: " ", count: 70_000) + wrong)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Clientpass-Version")!] == ClientPassVersion.current)
                #expect(response.headers[.contentSecurityPolicy] == nil)
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: ["127.0.0.1:143", "[::1]:8787"])
    func backendsParse(text: String) throws {
        #expect(try IPEndpoint(parsing: text).description == text)
    }

    @Test(arguments: ["mail.example.com:143", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "::1:143"])
    func badBackendsAreRefused(text: String) {
        #expect(throws: InputError.self) { try IPEndpoint(parsing: text) }
    }

    @Test func sharedSecretsMustBeLong() {
        #expect(throws: InputError.self) { try SharedSecret("short") }
    }
}
