import ClientPassCore
import ClientPassTestSupport
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Argon2id at low cost that takes a while and counts: attempts sent together overlap.
final class SlowHasher: PasswordHasher, Sendable {
    private let base = Argon2idHasher(parameters: cheapHashing.mailboxPassword)
    private let counter = Mutex(0)
    let delay: TimeInterval

    init(delay: TimeInterval = 0.02) { self.delay = delay }

    var verifications: Int { counter.withLock { $0 } }
    func hash(_ secret: Secret) throws -> String { try base.hash(secret) }
    func verify(_ secret: Secret, against storedHash: String) throws -> Bool {
        counter.withLock { $0 += 1 }
        Thread.sleep(forTimeInterval: delay)
        return try base.verify(secret, against: storedHash)
    }
    func needsRehash(_ storedHash: String) -> Bool { base.needsRehash(storedHash) }
}

/// Wrong guesses sent together through each of serve's entry points get no more tries than
/// guesses sent one by one (issue 12, item 1): at most the limit (10) are hashed, the rest are
/// throttled or told to try later, and the right password sent after them is refused.
@Suite struct ConcurrentGuessTests {
    static let guesses = 40

    func failureRows(_ store: SQLiteStore, from address: String = "198.51.100.7") throws -> Int {
        try store.warmState(accountKey: "alice@example.com", address: IPAddress(address)!, since: Date(timeIntervalSince1970: 0)).accountFailures
    }

    /// Sends `count` requests at once, `waves` times; returns each answer.
    func together<T: Sendable>(_ count: Int, waves: Int = 3, _ send: @escaping @Sendable () async throws -> T) async throws -> [T] {
        var all: [T] = []
        for _ in 0..<waves {
            all += try await withThrowingTaskGroup(of: T.self) { group in
                for _ in 0..<count { group.addTask { try await send() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        return all
    }

    @Test func throughNginx() async throws {
        let hasher = SlowHasher()
        let lab = try AuthEndpointTests().makeLab(mailboxHasher: hasher)
        let endpoints = AuthEndpointTests()
        try await lab.app.test(.router) { client in
            let statuses = try await together(Self.guesses) {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: endpoints.nginxHeaders(password: "wrong guess")) {
                    endpoints.field("Auth-Status", $0) ?? ""
                }
            }
            #expect(!statuses.contains("OK"))
            #expect(hasher.verifications <= 10, "\(hasher.verifications) guesses were hashed")
            #expect(try failureRows(lab.store) == 10)
            try await client.execute(uri: "/auth/nginx", method: .get, headers: endpoints.nginxHeaders(password: alicePassword)) {
                #expect(endpoints.field("Auth-Status", $0) == NginxAuthControllerTexts.refusal)
            }
        }
    }

    @Test func throughDecide() async throws {
        let hasher = SlowHasher()
        let lab = try AuthEndpointTests().makeLab(mailboxHasher: hasher)
        @Sendable func body(_ password: String) -> ByteBuffer {
            ByteBuffer(string: #"{"user":"alice@example.com","password":"\#(password)","protocol":"imap","address":"198.51.100.7"}"#)
        }
        let headers: HTTPFields = [.authorization: "Bearer \(AuthEndpointTests.secret)", .contentType: "application/json"]
        try await lab.app.test(.router) { client in
            let answers = try await together(Self.guesses) {
                try await client.execute(uri: "/auth/decide", method: .post, headers: headers, body: body("wrong guess")) { response in
                    if response.status == .serviceUnavailable { #expect(response.headers[.retryAfter] != nil) }
                    return (response.status.code, String(buffer: response.body))
                }
            }
            #expect(!answers.contains { $0.1.contains(#""decision":"allow""#) })
            #expect(answers.contains { $0.0 == 503 } || answers.allSatisfy { $0.0 == 200 })
            #expect(hasher.verifications <= 10, "\(hasher.verifications) guesses were hashed")
            #expect(try failureRows(lab.store) == 10)
            try await client.execute(uri: "/auth/decide", method: .post, headers: headers, body: body(alicePassword)) { response in
                #expect(String(buffer: response.body).contains(#""reason":"throttled""#))
            }
        }
    }

    @Test func throughThePage() async throws {
        let hasher = SlowHasher()
        let lab = try PageLab(mailboxHasher: hasher)
        try await lab.app.test(.router) { client in
            let statuses = try await together(Self.guesses) {
                try await TestBrowser(client).signIn("alice@example.com", "wrong guess").status.code
            }
            #expect(!statuses.contains(303) && !statuses.contains(302), "\(statuses)")
            #expect(hasher.verifications <= 10, "\(hasher.verifications) guesses were hashed")
            // The in-process client has no TCP peer: the page counts it as 127.0.0.1.
            #expect(try failureRows(lab.store, from: "127.0.0.1") == 10)
            let page = try await TestBrowser(client).signIn()
            #expect(page.status == .tooManyRequests)
        }
    }
}

enum NginxAuthControllerTexts {
    static let refusal = "Invalid login or password"
}
