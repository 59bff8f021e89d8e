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

/// `GET /metrics`: Prometheus's text format, and counters that move with decisions.
@Suite struct MetricsTests {
    static let token = "metrics-token-for-tests-0123456789"
    static let authorization: HTTPFields = [.authorization: "Bearer \(token)"]

    /// Samples by series (`name{labels}`), read the way Prometheus reads the text format: every
    /// line is a comment (`# HELP`, `# TYPE`) or `series value`, every series has a TYPE.
    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                try #require(parts.count == 4 && ["counter", "gauge", "histogram"].contains(parts[3]), "bad TYPE line: \(line)")
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let space = try #require(line.lastIndex(of: " "), "no value: \(line)")
            let series = String(line[..<space])
            let value = try #require(Double(line[line.index(after: space)...]), "not a number: \(line)")
            let name = String(series.prefix { $0 != "{" })
            #expect(name.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*$"#, options: .regularExpression) != nil, "bad name: \(name)")
            let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) }
            #expect(types[name] != nil || family.flatMap { types[$0] } == "histogram", "no TYPE for \(name)")
            if series.contains("{") {
                #expect(
                    series.hasSuffix("}") && series.range(of: #"^[^{]+\{([a-z_]+="[^"]*",?)+\}$"#, options: .regularExpression) != nil,
                    "bad labels: \(series)")
            }
            samples[series] = value
        }
        return samples
    }

    @Test func countersMoveWithDecisions() async throws {
        let fixture = try TestStore(clock: TestClock(Date()))
        let store = fixture.store
        let phone = try fixture.issue("Phone").displayPassword
        try fixture.allowThirdPartyClients()
        _ = try store.setThrottling(ThrottlePolicy(accountFailures: 2, addressFailures: 100, window: 900), by: fixture.admin, at: Date())
        let configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(AuthEndpointTests.secret), backends: [.imap: try IPEndpoint(parsing: "192.0.2.10:143")],
            metricsToken: try SharedSecret(Self.token))
        // A pool of its own: the queue depth it reports must not count other suites' work.
        let engine = DecisionEngine(store: store, pool: HashingPool(size: 2), warmCache: WarmCache())
        let app = Application(router: buildRouter(configuration, engine: engine, logger: Logger(label: "test"), metrics: ServeMetrics()))
        let endpoints = AuthEndpointTests()

        try await app.test(.router) { client in
            func scrape() async throws -> [String: Double] {
                try await client.execute(uri: "/metrics", method: .get, headers: Self.authorization) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    return try Self.parse(String(buffer: response.body))
                }
            }
            let before = try await scrape()
            #expect(before["clientpass_argon2id_queue_depth"] == 0)
            #expect(before["clientpass_throttled_addresses"] == 0)
            #expect(before[#"clientpass_decision_duration_seconds_count{path="cold"}"#] == 0)

            for password in [phone, phone, "wrong one", "wrong two", "wrong three"] {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: endpoints.nginxHeaders(password: password)) { _ in }
            }
            let after = try await scrape()
            #expect(after[#"clientpass_decisions_total{result="allow",reason="none",path="cold"}"#] == 1)
            #expect(after[#"clientpass_decisions_total{result="allow",reason="none",path="warm"}"#] == 1)
            #expect(after[#"clientpass_decisions_total{result="deny",reason="bad_credential",path="cold"}"#] == 2)
            #expect(after[#"clientpass_decisions_total{result="deny",reason="throttled",path="cold"}"#] == 1)
            #expect(after[#"clientpass_decision_duration_seconds_count{path="cold"}"#] == 4)
            #expect(after[#"clientpass_decision_duration_seconds_count{path="warm"}"#] == 1)
            #expect(after[#"clientpass_decision_duration_seconds_bucket{path="cold",le="+Inf"}"#] == 4)
            #expect(after["clientpass_throttled_addresses"] == 1)
            #expect(after["clientpass_warm_cache_entries"] == 1)
            // Nothing identifies a person or a machine.
            let text = try await client.execute(uri: "/metrics", method: .get, headers: Self.authorization) { String(buffer: $0.body) }
            #expect(!text.contains("alice") && !text.contains("198.51.100.7"))
        }
    }

    @Test func signInsAndSessionsOfThePage() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            func scrape() async throws -> [String: Double] {
                try await client.execute(uri: "/metrics", method: .get, headers: Self.authorization) { try Self.parse(String(buffer: $0.body)) }
            }
            let before = try await scrape()
            #expect(before[#"clientpass_page_sign_ins_total{result="signed_in"}"#] == 0)
            #expect(before["clientpass_page_sessions"] == 0)
            _ = try await TestBrowser(client).signIn("alice@example.com", "wrong")
            _ = try await TestBrowser(client).signIn("nobody@example.com", "wrong")
            try await TestBrowser(client).signIn()
            try await TestBrowser(client).signIn()
            let after = try await scrape()
            #expect(after[#"clientpass_page_sign_ins_total{result="signed_in"}"#] == 2)
            #expect(after[#"clientpass_page_sign_ins_total{result="wrong_credentials"}"#] == 2)
            #expect(after["clientpass_page_sessions"] == 2)
            lab.clock.advance(minutes: 16)
            #expect(try await scrape()["clientpass_page_sessions"] == 0, "idle sessions are not counted")
        }
    }

    /// `/metrics` is no public oracle: without a token it is not served on the main listener,
    /// with one it asks for it, and `--metrics-listen` moves it off the main listener.
    @Test func metricsNeedATokenOrTheirOwnListener() async throws {
        let store = try SQLiteStore.makeInMemory()
        let engine = DecisionEngine(store: store, pool: AuthEndpointTests.pool)
        let secret = try SharedSecret(AuthEndpointTests.secret)
        func statuses(_ app: some ApplicationProtocol) async throws -> [HTTPResponse.Status] {
            try await app.test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-token-0123456789"], Self.authorization] {
                    statuses.append(
                        try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                            if response.status == .unauthorized { #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true) }
                            return response.status
                        })
                }
                return statuses
            }
        }
        func main(_ configuration: ServeConfiguration) -> some ApplicationProtocol {
            Application(router: buildRouter(configuration, engine: engine, logger: Logger(label: "test")))
        }
        func own(_ configuration: ServeConfiguration) -> some ApplicationProtocol {
            Application(router: buildMetricsRouter(configuration, engine: engine, metrics: ServeMetrics()))
        }
        let listen = try IPEndpoint(parsing: "127.0.0.1:9787")
        let token = try SharedSecret(Self.token)
        #expect(try await statuses(main(ServeConfiguration(sharedSecret: secret))) == [.notFound, .notFound, .notFound])
        #expect(try await statuses(main(ServeConfiguration(sharedSecret: secret, metricsToken: token))) == [.unauthorized, .unauthorized, .ok])
        #expect(try await statuses(main(ServeConfiguration(sharedSecret: secret, metricsListen: listen))) == [.notFound, .notFound, .notFound])
        #expect(try await statuses(own(ServeConfiguration(sharedSecret: secret, metricsListen: listen))) == [.ok, .ok, .ok])
        #expect(
            try await statuses(own(ServeConfiguration(sharedSecret: secret, metricsToken: token, metricsListen: listen)))
                == [.unauthorized, .unauthorized, .ok])
    }
}
