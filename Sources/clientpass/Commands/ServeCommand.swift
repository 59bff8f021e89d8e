import ArgumentParser
import ClientPassCore
import ClientPassWeb
import Foundation
import Hummingbird
import Logging

struct ServeCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the mail servers' decision endpoints over HTTP.",
        discussion: """
            Endpoints: GET /auth/nginx (nginx mail auth_http; the shared secret in the header \
            X-Clientpass-Secret, set with auth_http_header), POST /auth/decide (JSON, for \
            Dovecot's Lua passdb; the shared secret as a bearer token), GET /healthz, GET \
            /metrics (Prometheus text format: decisions by result and reason, decision latency, \
            Argon2id queue depth, throttled addresses; no account names or addresses).

            Each setting comes from its flag, else its environment variable: \
            CLIENTPASS_STORE, CLIENTPASS_LISTEN, CLIENTPASS_SHARED_SECRET_FILE, \
            CLIENTPASS_IMAP_BACKEND, CLIENTPASS_POP3_BACKEND, CLIENTPASS_SMTP_BACKEND, \
            CLIENTPASS_WARM_CACHE_SECONDS. The shared \
            secret is read from a file (first line, at least 16 characters), never from the \
            command line. Listen on loopback or a private network: the endpoints decide logins.

            The warm path: a login allowed a moment ago, repeated with the same secret, protocol \
            and address, is allowed again without Argon2id for --warm-cache-seconds (default \
            300; 0 turns it off), unless anything that could change the answer has changed in \
            the store since, through any process (the CLI included): revocation, reset, \
            disabling, services, policy, networks, enforcement. Expiry and throttling are checked \
            on every login; denials are never re-used. Secrets are never kept, only a keyed hash.

            Exit codes: 0 stopped; 1 the store cannot be opened or the address cannot be bound; \
            64 usage error (missing shared secret, malformed address or backend).
            """)

    @Option(name: .long, help: ArgumentHelp("The store file (default: $CLIENTPASS_STORE, else \(SQLiteStore.defaultPath)).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Address and port to listen on (default 127.0.0.1:8787).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("File whose first line is the shared secret mail servers must send.", valueName: "path"))
    var sharedSecretFile: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends IMAP after an allow.", valueName: "address:port"))
    var imapBackend: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends POP3 after an allow.", valueName: "address:port"))
    var pop3Backend: String?

    @Option(name: .long, help: ArgumentHelp("Where nginx sends SMTP after an allow.", valueName: "address:port"))
    var smtpBackend: String?

    @Option(name: .long, help: ArgumentHelp("How long an allow is re-used without Argon2id; 0 turns the warm path off (default 300, at most 3600).", valueName: "seconds"))
    var warmCacheSeconds: String?

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func execute() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        let configuration: ServeConfiguration
        do {
            guard let secretFile = setting(sharedSecretFile, "CLIENTPASS_SHARED_SECRET_FILE") else {
                throw ValidationError("give --shared-secret-file (or CLIENTPASS_SHARED_SECRET_FILE): mail servers must prove who they are")
            }
            let listenText = setting(listen, "CLIENTPASS_LISTEN") ?? "127.0.0.1:8787"
            let listenAddress = try Backend(parsing: listenText)
            var backends: [ClientPassCore.Service: Backend] = [:]
            for (service, flag, variable) in [(ClientPassCore.Service.imap, imapBackend, "CLIENTPASS_IMAP_BACKEND"),
                                              (.pop3, pop3Backend, "CLIENTPASS_POP3_BACKEND"), (.smtp, smtpBackend, "CLIENTPASS_SMTP_BACKEND")] {
                if let text = setting(flag, variable) { backends[service] = try Backend(parsing: text) }
            }
            let warmSeconds = try setting(warmCacheSeconds, "CLIENTPASS_WARM_CACHE_SECONDS")
                .map(ServeConfiguration.warmCacheSeconds(parsing:)) ?? Int(WarmCache.defaultLifetime)
            configuration = ServeConfiguration(host: listenAddress.address.description, port: listenAddress.port,
                                               sharedSecret: try SharedSecret(contentsOfFile: secretFile), backends: backends,
                                               warmCacheSeconds: warmSeconds)
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
        let path = setting(store, "CLIENTPASS_STORE") ?? SQLiteStore.defaultPath
        let engine = DecisionEngine(store: try SQLiteStore(openingAt: path), warmCache: configuration.makeWarmCache())
        var logger = Logger(label: "clientpass")
        logger.logLevel = logLevel
        logger.notice("serving on \(configuration.host):\(configuration.port) with the store \(path)")
        let app = buildApplication(configuration, engine: engine, logger: logger)
        try await app.runService()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
