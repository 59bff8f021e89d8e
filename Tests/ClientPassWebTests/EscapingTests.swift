import ClientPassCore
import ClientPassEdge
import ClientPassTestSupport
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Keeps every log line as the stream handler would print it.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var captured: [String] { lines.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLock { $0.append("\(event.level) \(fields) \(event.message)") }
    }
}

/// Attacker-chosen names reach no sink raw (issue 12, item 3): the log, the audit trail.
@Suite struct EscapingTests {
    static let hostile = [
        "bob@example.com\n2026-11-30T10:00:00+0000 info account=bob@example.com decision=allow endpoint=nginx [ClientPassWeb] login decided",
        "\u{1b}[2J\u{1b}]0;owned\u{7}alice@example.com",
        "evil\u{202E}moc.elpmaxe@ecila",
        String(repeating: "x", count: 10_000) + "@example.com",
    ]

    @Test func serveLogsNoRawNameAndNeverAnUnknownOne() async throws {
        let capture = LogCapture()
        let logger = Logger(label: "test") { _ in capture }
        let store = try SQLiteStore.makeInMemory()
        _ = try store.setThirdPartyClients(.allowed, by: .admin(osUser: "t"), at: Date())
        let engine = DecisionEngine(store: store, pool: AuthEndpointTests.pool)
        let configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(AuthEndpointTests.secret), backends: [.imap: try IPEndpoint(parsing: "192.0.2.10:143")])
        let app = Application(router: buildRouter(configuration, engine: engine, logger: logger))
        let endpoints = AuthEndpointTests()
        try await app.test(.router) { client in
            for name in Self.hostile {
                try await client.execute(uri: "/auth/nginx", method: .get, headers: endpoints.nginxHeaders(user: name, password: "guess")) { response in
                    #expect(endpoints.field("Auth-Status", response) != "OK")
                }
            }
            // Invalid UTF-8 in Auth-User is refused before any decision.
            var headers = endpoints.nginxHeaders(password: "guess")
            headers[HTTPField.Name("Auth-User")!] = "al%FF%FEice"
            try await client.execute(uri: "/auth/nginx", method: .get, headers: headers) { response in
                #expect(endpoints.field("Auth-Status", response) == "Invalid login or password")
            }
        }
        let lines = capture.captured
        #expect(lines.count == Self.hostile.count)
        for line in lines {
            #expect(!line.contains("\n") && !line.contains("\u{1b}") && !line.contains("\u{202E}"), "\(line)")
            #expect(!line.contains("account="), "an unknown name was logged: \(line)")
            #expect(line.utf8.count < 1000)
        }
    }

    @Test func theAuditTrailKeepsNoRawText() throws {
        let store = try SQLiteStore.makeInMemory()
        for name in Self.hostile {
            try store.record(
                AuditEvent(
                    at: Date(), kind: .appPasswordRelabeled, actor: .account(name), account: name,
                    subject: .appPassword(id: 1, label: name), old: .text(name), new: .list([name]), note: "login of \(name)"))
        }
        for event in try store.auditEvents(account: nil, since: nil, limit: 100) {
            guard case .account(let actor) = event.actor, case .appPassword(_, let label)? = event.subject else {
                Issue.record("the entry lost its fields")
                continue
            }
            for text in [event.account ?? "", actor, label, event.old?.text ?? "", event.new?.list?.first ?? "", event.note ?? ""] {
                #expect(!Untrusted.hasUnsafeCharacters(text), "\(text.prefix(80))")
                #expect(text.unicodeScalars.count <= 4096 + 32)
            }
        }
    }

    @Test(arguments: [
        ("a\nb", "a\\u{a}b"), ("\u{1b}[31m", "\\u{1b}[31m"), ("x\u{202E}y", "x\\u{202e}y"), ("\u{85}", "\\u{85}"),
        ("\u{2028}", "\\u{2028}"), (String(decoding: [0x61, 0xFF, 0x62] as [UInt8], as: UTF8.self), "a\u{FFFD}b"), ("plain@example.com", "plain@example.com"),
    ])
    func oneFunctionEscapesEverySink(raw: String, escaped: String) {
        #expect(Untrusted.escaped(raw) == escaped)
        #expect(Quoted(raw).description == "\"" + escaped + "\"")
    }

    @Test func longTextIsCutAndCounted() {
        let long = String(repeating: "é", count: 10_000)
        let escaped = Untrusted.escaped(long)
        #expect(escaped.hasPrefix(String(repeating: "é", count: Untrusted.defaultLimit)))
        #expect(escaped.hasSuffix("…[+\((10_000 - Untrusted.defaultLimit) * 2) bytes]"))
    }
}
