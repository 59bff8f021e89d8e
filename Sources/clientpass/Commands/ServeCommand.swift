import ArgumentParser
import ClientPassCore
import ClientPassEdge
import ClientPassPostgreSQL
import ClientPassDirectory
import ClientPassWeb
import Foundation
import Hummingbird
import Logging

struct ServeCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the self-service page and the mail servers' decision endpoints over HTTP.",
        discussion: """
            The self-service page is at /: employees sign in with their account name and \
            mailbox password (never an app password; failures are throttled like logins) to \
            list, create, rename and revoke their app passwords, see their access and their \
            account's recent activity. Sessions live in the store (every serve on it knows \
            them, and a restart signs nobody out; an account keeps at most 20) and end after \
            --session-idle-minutes unused (default 15) or 12 hours. A new app \
            password is shown with the servers given by --imap-server, --pop3-server and \
            --smtp-server (HOST:PORT, plus tls or starttls for unusual ports). Behind a reverse \
            proxy, list it with --trusted-proxies: only then are X-Forwarded-For (the client's \
            address, for throttling and "Your access") and X-Forwarded-Proto believed, and \
            cookies are marked Secure when it says https. Links the page hands out (the set-up \
            link behind a new password's QR code) start with --public-url, the page's address \
            as browsers outside reach it (e.g. https://mail.example.com); without it, with the \
            host the browser asked for (a trusted proxy's X-Forwarded-Host, else Host). Serve the page to browsers over HTTPS: \
            through such a proxy, or with --tls-certificate and --tls-key (PEM files), which \
            make serve itself speak HTTPS only, mark cookies Secure and send \
            Strict-Transport-Security.

            After an app password is created on the page, a QR code links to a Mail profile for \
            iPhone, iPad and Mac (once, within 10 minutes, on any serve on the store). With --profile-signing-certificate \
            and --profile-signing-key the profile is signed (CMS), so the device shows it as \
            verified; without them it is unsigned, and the page says so. An expired certificate, \
            an encrypted key or a key of another certificate stops serve from starting.

            Endpoints for mail servers and monitoring: GET /auth/nginx (nginx mail auth_http; the shared secret in the header \
            X-Clientpass-Secret, set with auth_http_header), POST /auth/decide (JSON, for \
            Dovecot's Lua passdb; the shared secret as a bearer token), GET /healthz, GET \
            /metrics (Prometheus text format: decisions by result and reason, decision latency, \
            Argon2id queue depth, throttled addresses, the page's sign-ins and sessions; no \
            account names or addresses). /metrics is served only with a bearer token \
            (--metrics-token-file, a file whose first line is the token) or on a listener of its \
            own (--metrics-listen, for loopback or a monitoring network), or both: its counters \
            would tell an attacker what became of each attempt. Without either it answers 404.

            Argon2id work in flight is bounded: 8 logins of one account, 32 from one address \
            (an IPv4 address or an IPv6 /64) and 64 per core at once. Past a bound, a login is \
            answered "try later" without hashing or counting: nginx gets Auth-Wait, \
            /auth/decide 503 with Retry-After, the page 429 with Retry-After.

            Each setting comes from its flag, else its environment variable: \
            CLIENTPASS_STORE, CLIENTPASS_LISTEN, CLIENTPASS_SHARED_SECRET_FILE, \
            CLIENTPASS_IMAP_BACKEND, CLIENTPASS_POP3_BACKEND, CLIENTPASS_SMTP_BACKEND, \
            CLIENTPASS_WARM_CACHE_SECONDS, CLIENTPASS_SESSION_IDLE_MINUTES, CLIENTPASS_IMAP_SERVER, \
            CLIENTPASS_POP3_SERVER, CLIENTPASS_SMTP_SERVER, CLIENTPASS_TRUSTED_PROXIES, CLIENTPASS_PUBLIC_URL, \
            CLIENTPASS_MAILBOX_PASSWORD_TERM (what employees call the password they sign in with, \
            "company password" in directory mode, say; "mailbox password" by default), \
            CLIENTPASS_TLS_CERTIFICATE, CLIENTPASS_TLS_KEY, CLIENTPASS_METRICS_TOKEN_FILE, \
            CLIENTPASS_METRICS_LISTEN, CLIENTPASS_PROFILE_SIGNING_CERTIFICATE, \
            CLIENTPASS_PROFILE_SIGNING_KEY, CLIENTPASS_PROFILE_SIGNING_CHAIN, \
            CLIENTPASS_HELP_DESK (whom to ask, on device cards), \
            CLIENTPASS_KICK_COMMAND (run after an app password is revoked on the page), else the \
            configuration file (--config, \
            CLIENTPASS_CONFIG, else /etc/clientpass/clientpass.yaml when it exists; `clientpass \
            config check` validates it), else the default. serve logs at start where each \
            setting that is not its default came from, and warns of a flag or variable that \
            hides a value of the file. The shared \
            secret is read from a file (first line, at least 16 characters), never from the \
            command line: --shared-secret-file, else /etc/clientpass/shared-secret when it exists. Listen on loopback or a private network: the endpoints decide logins.

            The warm path: a login allowed a moment ago, repeated with the same secret, protocol \
            and address, is allowed again without Argon2id for --warm-cache-seconds (default \
            300; 0 turns it off), unless anything that could change the answer has changed in \
            the store since, through any process (the CLI included): revocation, reset, \
            disabling, services, policy, networks, enforcement. Expiry and throttling are checked \
            on every login; denials are never re-used. Secrets are never kept, only a keyed hash.

            Exit codes: 0 stopped; 1 the store cannot be opened or the address cannot be bound; \
            64 usage error (missing shared secret, malformed address or backend, a configuration \
            file with problems).
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Address and port to listen on (default 127.0.0.1:8787).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("File whose first line is the shared secret mail servers must send.", valueName: "path"), completion: .file())
    var sharedSecretFile: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends IMAP after an allow.", valueName: "address:port"))
    var imapBackend: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends POP3 after an allow.", valueName: "address:port"))
    var pop3Backend: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends SMTP after an allow.", valueName: "address:port"))
    var smtpBackend: String?

    @Option(
        name: .long,
        help: ArgumentHelp("How long an allow is re-used without Argon2id; 0 turns the warm path off (default 300, at most 3600).", valueName: "seconds"))
    var warmCacheSeconds: String?

    @Option(name: .long, help: ArgumentHelp("Minutes after which an unused self-service session ends (default 15, 1–1440).", valueName: "minutes"))
    var sessionIdleMinutes: String?

    @Option(name: .long, help: ArgumentHelp("The IMAP server employees type into mail clients, shown with a new app password.", valueName: "host:port"))
    var imapServer: String?

    @Option(name: .long, help: ArgumentHelp("The POP3 server employees type into mail clients.", valueName: "host:port"))
    var pop3Server: String?

    @Option(name: .long, help: ArgumentHelp("The SMTP server employees type into mail clients.", valueName: "host:port"))
    var smtpServer: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated addresses or ranges.", valueName: "list"))
    var trustedProxies: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The page's address as browsers outside reach it, for the links it makes (e.g. https://mail.example.com).", valueName: "url"))
    var publicURL: String?

    @Option(name: .long, help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "path"), completion: .file())
    var tlsCertificate: String?

    @Option(name: .long, help: ArgumentHelp("The PEM private key of --tls-certificate.", valueName: "path"), completion: .file())
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("File whose first line is the bearer token GET /metrics asks for.", valueName: "path"), completion: .file())
    var metricsTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Serve GET /metrics on this address and port only (not on --listen).", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical (default info).", valueName: "level"))
    var logLevel: Logger.Level?

    @Option(
        name: .customLong("mail-domain"),
        help: ArgumentHelp(
            "A mail domain whose addresses get the mail servers' settings from Thunderbird's autoconfig and Outlook's Autodiscover (repeatable).",
            valueName: "domain"))
    var mailDomains: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Sign Mail profiles with this PEM certificate (followed by any intermediates; with --profile-signing-key).", valueName: "path"),
        completion: .file())
    var profileSigningCertificate: String?

    @Option(name: .long, help: ArgumentHelp("The unencrypted PEM private key of --profile-signing-certificate.", valueName: "path"), completion: .file())
    var profileSigningKey: String?

    @Option(name: .long, help: ArgumentHelp("More intermediate certificates (PEM) sent with signed profiles.", valueName: "path"), completion: .file())
    var profileSigningChain: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The configuration file (default: $CLIENTPASS_CONFIG, else \(ConfigFile.defaultPath) when it exists).", valueName: "path"),
        completion: .file())
    var config: String?

    /// The shared secret's file when no setting names one and it exists (the packages make it).
    static let defaultSharedSecretFile = "/etc/clientpass/shared-secret"

    func execute() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        // Flag, then environment, then the file, then the default.
        var file = ConfigFile()
        let configPath = config ?? ConfigFile.implicitPath
        if let configPath {
            let (loaded, problems) = ConfigFile.load(configPath)
            guard problems.isEmpty else {
                throw ValidationError(
                    "\(configPath) has problems (see `clientpass config check \(configPath)`):\n"
                        + problems.map { "  \($0)" }.joined(separator: "\n"))
            }
            file = loaded
        }
        var configuration: ServeConfiguration
        do {
            let defaultSecretFile = FileManager.default.fileExists(atPath: Self.defaultSharedSecretFile) ? Self.defaultSharedSecretFile : nil
            guard let secretFile = setting(sharedSecretFile, "CLIENTPASS_SHARED_SECRET_FILE") ?? file.sharedSecretFile ?? defaultSecretFile else {
                throw ValidationError(
                    "give --shared-secret-file (or CLIENTPASS_SHARED_SECRET_FILE, or shared_secret_file in the configuration file), or put the secret in \(Self.defaultSharedSecretFile): mail servers must prove who they are"
                )
            }
            let listenAddress = try setting(listen, "CLIENTPASS_LISTEN").map(IPEndpoint.init(parsing:)) ?? file.listen ?? IPEndpoint(parsing: "127.0.0.1:8787")
            var backends = file.backends
            for (service, flag, variable) in [
                (MailService.imap, imapBackend, "CLIENTPASS_IMAP_BACKEND"),
                (.pop3, pop3Backend, "CLIENTPASS_POP3_BACKEND"), (.smtp, smtpBackend, "CLIENTPASS_SMTP_BACKEND"),
            ] {
                if let text = setting(flag, variable) { backends[service] = try IPEndpoint(parsing: text) }
            }
            let warmSeconds =
                try setting(warmCacheSeconds, "CLIENTPASS_WARM_CACHE_SECONDS")
                .map(ServeConfiguration.warmCacheSeconds(parsing:)) ?? file.warmCacheSeconds ?? Int(WarmCache.defaultLifetime)
            var page = PageConfiguration(mailServers: file.mailServers, trustedProxies: file.trustedProxies ?? [])
            let idleMinutes =
                try setting(sessionIdleMinutes, "CLIENTPASS_SESSION_IDLE_MINUTES").map(PageConfiguration.idleMinutes(parsing:))
                ?? file.sessionIdleMinutes ?? PageConfiguration.defaultIdleMinutes
            page.sessionIdleTimeout = TimeInterval(idleMinutes * 60)
            for (service, flag) in [(MailService.imap, imapServer), (.pop3, pop3Server), (.smtp, smtpServer)] {
                if let text = setting(flag, MailServer.environmentVariables[service]!) { page.mailServers[service] = try MailServer(parsing: text) }
            }
            if let text = setting(trustedProxies, "CLIENTPASS_TRUSTED_PROXIES") { page.trustedProxies = try IPNetwork.parseList(text) }
            page.publicURL = try setting(publicURL, "CLIENTPASS_PUBLIC_URL").map(PublicURL.init(parsing:)) ?? file.publicURL
            page.passwordTerm = try setting(nil, PasswordTerm.environmentVariable).map(PasswordTerm.init(validating:)) ?? file.mailboxPasswordTerm ?? .standard
            page.helpDesk = setting(nil, DeviceCard.helpDeskVariable) ?? file.helpDesk
            page.profileSigner = try ProfileSigningFiles.resolve(
                certificate: profileSigningCertificate, key: profileSigningKey, chain: profileSigningChain,
                environment: environment, file: file.profileSigning)?.load()
            let certificate = setting(tlsCertificate, "CLIENTPASS_TLS_CERTIFICATE") ?? file.tlsCertificate
            let key = setting(tlsKey, "CLIENTPASS_TLS_KEY") ?? file.tlsKey
            guard (certificate == nil) == (key == nil) else {
                throw ValidationError("give both --tls-certificate and --tls-key, or neither")
            }
            let tls = try certificate.map { try ServeConfiguration.loadTLS(certificate: $0, key: key!) }
            let metricsToken = try (setting(metricsTokenFile, "CLIENTPASS_METRICS_TOKEN_FILE") ?? file.metricsTokenFile)
                .map { try SharedSecret(contentsOfFile: $0, what: "metrics token") }
            let metricsAddress = try setting(metricsListen, "CLIENTPASS_METRICS_LISTEN").map(IPEndpoint.init(parsing:)) ?? file.metricsListen
            configuration = ServeConfiguration(
                host: listenAddress.address.description, port: listenAddress.port,
                sharedSecret: try SharedSecret(contentsOfFile: secretFile), backends: backends,
                warmCacheSeconds: warmSeconds, page: page,
                sessionTerminator: SessionTerminator(command: setting(nil, SessionTerminator.environmentVariable) ?? file.kickCommand),
                tls: tls, metricsToken: metricsToken, metricsListen: metricsAddress)
            let domainTexts =
                mailDomains.isEmpty
                ? (setting(nil, "CLIENTPASS_MAIL_DOMAINS")?.split(separator: ",").map(String.init) ?? [])
                : mailDomains
            configuration.mailDomains = domainTexts.isEmpty ? file.mailDomains : try domainTexts.map(MailDomain.init(parsing:))
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
        let location: StoreLocation
        do {
            location = try StoreLocation(parsing: storeOptions.path(configured: file.store))
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
        let path = location.description
        let engine = DecisionEngine(store: try location.open(), warmCache: configuration.makeWarmCache(), directory: LDAPConnector())
        var logger = Logger(label: "clientpass")
        logger.logLevel = logLevel ?? file.logLevel ?? .info
        // argon2id: in the file is 0.13's: the parameters are the store's now, for every process.
        if file.hashing != .standard, let configPath {
            let store = engine.store
            let fromFile = file.hashing
            if try await store.performing({ try store.adoptHashing(fromFile, from: configPath, at: Date()) }) {
                logger.notice(
                    "the store now hashes with \(configPath)'s argon2id (\(describeHashing(file.hashing))) for every process; remove argon2id: from the file, and change them with `clientpass admin policy hashing`"
                )
            } else {
                let stored = try await store.performing { try store.policy().hashing }
                if stored != file.hashing {
                    logger.warning(
                        "\(configPath)'s argon2id (\(describeHashing(file.hashing))) no longer applies: every process hashes with the store's (\(describeHashing(stored))); remove it, and change the store's with `clientpass admin policy hashing`"
                    )
                }
            }
        }
        logger.notice(
            "clientpass \(ClientPassVersion.current) serving \(configuration.tls == nil ? "HTTP" : "HTTPS") on \(configuration.host):\(configuration.port) with the store \(path)"
        )
        let (origins, hidden) = settingOrigins(file, path: configPath)
        logger.notice(
            "settings: \(origins.isEmpty ? "" : origins.joined(separator: ", ") + "; ")every other setting has its default\(configPath.map { " (configuration file \($0))" } ?? " (no configuration file)")"
        )
        for override in hidden { logger.warning("\(override)") }
        if let metricsListen = configuration.metricsListen {
            logger.notice("serving /metrics only on \(metricsListen)\(configuration.metricsToken == nil ? "" : ", behind its bearer token")")
        } else if configuration.metricsToken == nil {
            logger.notice("/metrics is off: give --metrics-token-file or --metrics-listen to serve it")
        }
        if let signer = configuration.page.profileSigner {
            logger.notice("signing Mail profiles as \(signer.subject), valid until \(signer.notAfter.formatted(.iso8601))")
        }
        for service in MailService.allCases where configuration.backends[service] == nil {
            logger.warning(
                "no --\(service.rawValue)-backend: nginx logins over \(service.displayName) cannot succeed (logins through Dovecot's passdb are not affected)")
        }
        // Several nodes on PostgreSQL: a change through any node or the CLI drops what this node
        // remembers at once (the warm path reads the generation before every answer anyway).
        var generationWatch: Task<Void, Never>?
        if let shared = engine.store as? any SharedStore, let cache = engine.warmCache {
            generationWatch = shared.watchGeneration { cache.removeAll() }
        }
        defer { generationWatch?.cancel() }
        let app = try buildApplication(configuration, engine: engine, logger: logger)
        try await app.runService()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
