import ClientPassCore
import Foundation
import HummingbirdTLS

/// An IP address and a port: where a mail protocol's real server listens (nginx's `Auth-Server`
/// and `Auth-Port`), or where `serve` itself listens.
public struct IPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let port: Int

    /// Parses `HOST:PORT` with a literal IPv4 address or `[IPv6]:PORT` (nginx wants an address,
    /// not a name).
    /// - Throws: ``InputError``.
    public init(parsing text: String) throws {
        guard let (host, portText, _) = splitHostAndPort(Substring(text)) else {
            throw InputError("\(Quoted(text)) is not ADDRESS:PORT (e.g. 127.0.0.1:143 or [2001:db8::1]:143)")
        }
        guard let address = IPAddress(String(host)) else {
            throw InputError("\(Quoted(String(host))) is not an IP address: give a literal address (nginx's Auth-Server needs one)")
        }
        self.address = address
        self.port = try parsePort(portText)
    }

    public var description: String { address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }
}

/// `HOST:PORT` or `[IPv6]:PORT` split at its last colon; `nil` when it is neither.
func splitHostAndPort(_ text: Substring) -> (host: Substring, port: Substring, bracketed: Bool)? {
    if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
        return (text[text.index(after: text.startIndex)..<close], text[text.index(close, offsetBy: 2)...], true)
    }
    if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
        return (text[..<colon], text[text.index(after: colon)...], false)
    }
    return nil
}

/// A TCP port, 1 to 65535. - Throws: ``InputError``.
func parsePort(_ text: Substring) throws -> Int {
    guard let port = Int(text), (1...65535).contains(port) else {
        throw InputError("\(Quoted(String(text))) is not a port number (1–65535)")
    }
    return port
}

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
