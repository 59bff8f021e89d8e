import ClientPassCore
import ClientPassEdge
import Foundation
import HummingbirdTLS

/// Everything `clientpass serve` needs, resolved from flags and environment.
public struct ServeConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Required by `/auth/nginx` (in `headerName`) and `/auth/decide` (as a bearer token).
    public var sharedSecret: SharedSecret
    /// The request header nginx sends the shared secret in (`auth_http_header`).
    public var headerName: String
    /// Where nginx proxies each protocol after an allow.
    public var backends: [MailService: IPEndpoint]
    /// Throttled answers ask nginx to wait and retry until this attempt; then they fail.
    public var maximumWaitAttempts: Int
    /// How long nginx waits before retrying a throttled login.
    public var waitSeconds: Int
    /// How long an allow is re-used without Argon2id (see ``WarmCache``); 0 turns the warm path off.
    public var warmCacheSeconds: Int
    /// The self-service page's sessions, mail-server settings and trusted proxies.
    public var page: PageConfiguration
    /// Ends an account's mail sessions after it revokes an app password on the page.
    public var sessionTerminator: SessionTerminator?
    /// HTTPS on the listening socket itself (see ``ServeConfiguration/loadTLS(certificate:key:)``);
    /// `nil`: plain HTTP, for loopback or behind a reverse proxy.
    public var tls: TLSConfiguration?
    /// The bearer token `GET /metrics` asks for. Without one (and without
    /// ``metricsListen``), `/metrics` is not served: its counters would tell an attacker what
    /// became of each attempt.
    public var metricsToken: SharedSecret?
    /// A separate listener that serves `/metrics` only (on loopback or a monitoring network);
    /// the main listener then does not serve it at all.
    public var metricsListen: IPEndpoint?
    /// The mail domains Thunderbird's autoconfig and Outlook's Autodiscover answer for, with the
    /// page's mail servers; none: those endpoints answer 404.
    public var mailDomains: [MailDomain] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8787, sharedSecret: SharedSecret, headerName: String = "X-Clientpass-Secret",
        backends: [MailService: IPEndpoint] = [:], maximumWaitAttempts: Int = 3, waitSeconds: Int = 3,
        warmCacheSeconds: Int = Int(WarmCache.defaultLifetime), page: PageConfiguration = PageConfiguration(),
        sessionTerminator: SessionTerminator? = nil, tls: TLSConfiguration? = nil,
        metricsToken: SharedSecret? = nil, metricsListen: IPEndpoint? = nil
    ) {
        self.metricsToken = metricsToken
        self.metricsListen = metricsListen
        self.warmCacheSeconds = warmCacheSeconds
        self.tls = tls
        self.page = page
        self.sessionTerminator = sessionTerminator
        self.host = host
        self.port = port
        self.sharedSecret = sharedSecret
        self.headerName = headerName
        self.backends = backends
        self.maximumWaitAttempts = maximumWaitAttempts
        self.waitSeconds = waitSeconds
    }
}

extension ServeConfiguration {
    /// Parses a warm-cache lifetime in whole seconds, 0 (off) to ``WarmCache/maximumLifetime``.
    /// - Throws: ``InputError``.
    public static func warmCacheSeconds(parsing text: String) throws -> Int {
        guard let seconds = Int(text), seconds >= 0, seconds <= Int(WarmCache.maximumLifetime) else {
            throw InputError("\(Quoted(text)) is not a warm-cache lifetime: give whole seconds from 0 (off) to \(Int(WarmCache.maximumLifetime))")
        }
        return seconds
    }

    /// A TLS server configuration from a PEM certificate chain (the server's certificate first)
    /// and a PEM private key, with NIOSSL's default protocol versions and cipher suites.
    /// - Throws: ``InputError`` naming the file that cannot be read or used.
    public static func loadTLS(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw InputError("cannot use \(certificate) as a TLS certificate: it must be readable PEM (\(error))")
        }
        guard !chain.isEmpty else { throw InputError("\(certificate) holds no PEM certificate") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw InputError("cannot use \(key) as the TLS private key: it must be a readable, unencrypted PEM key (\(error))")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }

    /// The warm cache these settings ask for, or `nil` when it is off.
    public func makeWarmCache() -> WarmCache? {
        warmCacheSeconds > 0 ? WarmCache(lifetime: TimeInterval(warmCacheSeconds)) : nil
    }
}
