import ClientPassCore
import ClientPassTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import ClientPassWeb

/// A warning that outside requests can repeat is logged once a minute, with a count of the ones
/// held back: a misconfiguration or an attack cannot fill the disk.
@Suite struct WarningLimiterTests {
    @Test func aRepeatedWarningIsLoggedOnceAMinuteWithACount() {
        let capture = LogCapture()
        let logger = Logger(label: "test") { _ in capture }
        let clock = TestClock()
        let limiter = WarningLimiter(now: { clock.now })
        for _ in 0..<1000 { limiter.warning("backend imap", "no backend", logger: logger) }
        limiter.warning("another kind", "something else", logger: logger)
        #expect(capture.captured.count == 2)
        clock.advance(by: 61)
        limiter.warning("backend imap", "no backend", logger: logger)
        #expect(capture.captured.count == 3)
        #expect(capture.captured.last?.contains("held_back=999") == true, "\(capture.captured)")
    }

    /// An allowed nginx login without a backend for its protocol: one line, however many logins.
    @Test func aMissingBackendWarnsOnce() async throws {
        let capture = LogCapture()
        let logger = Logger(label: "test") { _ in capture }
        let fixture = try TestStore()
        try fixture.allowThirdPartyClients()
        let configuration = ServeConfiguration(sharedSecret: try SharedSecret(AuthEndpointTests.secret))
        let engine = DecisionEngine(store: fixture.store, pool: AuthEndpointTests.pool, warmCache: WarmCache())
        let app = Application(router: buildRouter(configuration, engine: engine, logger: logger))
        try await app.test(.router) { client in
            for _ in 0..<20 {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: AuthEndpointTests().nginxHeaders(password: alicePassword)) { response in
                    #expect(response.headers[HTTPField.Name("Auth-Status")!] != "OK")
                }
            }
        }
        #expect(capture.captured.filter { $0.contains("no backend is configured for imap") }.count == 1)
    }
}
