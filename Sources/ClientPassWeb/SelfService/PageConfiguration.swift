import ClientPassCore
import ClientPassEdge
import Foundation

/// The self-service page's settings.
public struct PageConfiguration: Sendable {
    /// A session unused this long ends.
    public var sessionIdleTimeout: TimeInterval
    /// A session ends this long after sign-in, however busy.
    public var sessionMaximumAge: TimeInterval
    /// Creating an app password asks for the mailbox password again once the last sign-in (or
    /// confirmation) is older than this.
    public var reauthenticationAfter: TimeInterval
    /// The servers shown with a new app password, for the mail client's settings; a protocol
    /// without one is not shown.
    public var mailServers: [MailService: MailServer]
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed. Requests
    /// from anywhere else are taken at their TCP peer address, as plain HTTP.
    public var trustedProxies: [IPNetwork]
    /// The most sessions kept at once; past it, the least recently used ends.
    public var maximumSessions: Int
    /// The most sessions (page and API) one account keeps; past it, its least recently used
    /// ends, never another account's.
    public var maximumSessionsPerAccount: Int
    /// Signs the Mail profiles behind the created page's QR code; `nil`: they are unsigned, and
    /// the page says so.
    public var profileSigner: ProfileSigner?
    /// Whom device owners ask, printed on the device cards the help desk prints from the page
    /// (`help_desk`, CLIENTPASS_HELP_DESK).
    public var helpDesk: String?
    /// What employees call the password they sign in with, in every text they read.
    public var passwordTerm = PasswordTerm.standard
    /// The page's outside address, for the links the product makes; `nil`: each link names the
    /// host the browser asked for (``Visit/host``).
    public var publicURL: PublicURL?
    /// `serve` itself speaks HTTPS (set from ``ServeConfiguration/tls``): cookies are `Secure`.
    public var isServedOverTLS = false

    public static let defaultIdleMinutes = 15
    public static let idleMinutesRange = ConfigFile.sessionIdleMinutesRange

    public init(
        sessionIdleTimeout: TimeInterval = TimeInterval(defaultIdleMinutes * 60), sessionMaximumAge: TimeInterval = 12 * 3600,
        reauthenticationAfter: TimeInterval = 5 * 60, mailServers: [MailService: MailServer] = [:],
        trustedProxies: [IPNetwork] = [], maximumSessions: Int = 10_000, maximumSessionsPerAccount: Int = 20
    ) {
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaximumAge = sessionMaximumAge
        self.reauthenticationAfter = reauthenticationAfter
        self.mailServers = mailServers
        self.trustedProxies = trustedProxies
        self.maximumSessions = maximumSessions
        self.maximumSessionsPerAccount = maximumSessionsPerAccount
    }

    /// The address links to the page start with: ``publicURL`` when set, else the scheme and host
    /// of this visit.
    func publicURL(for visit: Visit) -> PublicURL {
        if let publicURL { return publicURL }
        // The visit's host has been checked to be a host name or an address with a port.
        return (try? PublicURL(parsing: "\(visit.isSecure ? "https" : "http")://\(visit.host ?? "localhost")")) ?? Self.fallbackURL
    }

    private static let fallbackURL = try! PublicURL(parsing: "http://localhost")

    /// Parses an idle time in whole minutes, 1 to 1440.
    /// - Throws: ``InputError``.
    public static func idleMinutes(parsing text: String) throws -> Int {
        guard let minutes = Int(text), idleMinutesRange.contains(minutes) else {
            throw InputError(
                "\(Quoted(text)) is not a session idle time: give whole minutes from \(idleMinutesRange.lowerBound) to \(idleMinutesRange.upperBound)")
        }
        return minutes
    }
}
