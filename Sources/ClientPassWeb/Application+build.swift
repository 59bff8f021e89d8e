import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// The HTTP application of `clientpass serve`: the self-service page, the mail servers'
/// decision endpoints, health and metrics. Tests and `serve` build the same application.
/// - Parameters:
///   - configuration: listen address, shared secret, backends, the page's settings.
///   - engine: the decision engine over the store.
///   - logger: where the application logs; one line per decision, never a secret.
///   - metrics: what `GET /metrics` reports.
/// - Throws: when the TLS configuration cannot be used.
public func buildApplication(
    _ configuration: ServeConfiguration, engine: DecisionEngine, logger: Logger,
    metrics: ServeMetrics = ServeMetrics()
) throws -> some ApplicationProtocol {
    let router = buildRouter(configuration, engine: engine, logger: logger, metrics: metrics)
    // Each connection answers `Expect: 100-continue` at once (Dovecot's HTTP client waits for it).
    let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()]))
    let server: HTTPServerBuilder = try configuration.tls.map { try .tls(http1, tlsConfiguration: $0) } ?? http1
    // `--metrics-listen`: a second listener, for Prometheus only, run alongside.
    let services: [any ServiceLifecycle.Service] =
        configuration.metricsListen.map { listen in
            [
                Application(
                    router: buildMetricsRouter(configuration, engine: engine, metrics: metrics),
                    configuration: .init(address: .hostname(listen.address.description, port: listen.port), serverName: "clientpass-metrics"),
                    logger: logger)
            ]
        } ?? []
    return Application(
        router: router, server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "clientpass"),
        services: services, logger: logger)
}

/// The routes of `--metrics-listen`: `GET /metrics` (behind the bearer token when one is set)
/// and nothing else.
public func buildMetricsRouter(_ configuration: ServeConfiguration, engine: DecisionEngine, metrics: ServeMetrics) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    let health = metrics.health(engine: engine, backends: configuration.backends)
    router.get("/metrics") { request, _ -> Response in
        await metricsResponse(request, token: configuration.metricsToken, required: false, engine: engine, metrics: metrics, health: health)
    }
    return router
}

/// `GET /metrics`, or why not: 401 without the right bearer token when one is set; on the main
/// listener (`required`), 404 when no token is set, since the counters would tell an attacker
/// what became of each attempt.
func metricsResponse(
    _ request: Request, token: SharedSecret?, required: Bool, engine: DecisionEngine, metrics: ServeMetrics,
    health: HealthReport
) async -> Response {
    let plain: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
    if let token {
        guard token.matches(request.bearerToken) else {
            var headers = plain
            headers[.wwwAuthenticate] = "Bearer realm=\"clientpass metrics\""
            return Response(
                status: .unauthorized, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: "GET /metrics needs the bearer token of --metrics-token-file\n")))
        }
    } else if required {
        return Response(
            status: .notFound, headers: plain,
            body: .init(
                byteBuffer: ByteBuffer(
                    string:
                        "/metrics is served only with a bearer token (--metrics-token-file) or on its own listener (--metrics-listen)\n")))
    }
    return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: metrics.render(engine: engine, health: await health.parts(now: Date())))))
}

/// The routes, separately, for in-process tests.
public func buildRouter(
    _ configuration: ServeConfiguration, engine: DecisionEngine, logger: Logger,
    metrics: ServeMetrics = ServeMetrics()
) -> Router<WebRequestContext> {
    let router = Router(context: WebRequestContext.self)
    let renderer: PageRenderer
    do {
        renderer = try PageRenderer(term: configuration.page.passwordTerm)
    } catch {
        preconditionFailure("a page template compiled into clientpass does not parse: \(error)")
    }
    var page = configuration.page
    page.isServedOverTLS = configuration.tls != nil
    let pageMiddleware = PageMiddleware(renderer: renderer, logger: logger, configuration: page)
    if page.isServedOverTLS { router.add(middleware: TransportSecurityMiddleware()) }
    router.add(middleware: UnknownRouteMiddleware(page: pageMiddleware))
    if let executor = engine.store.blockingCallExecutor {
        router.add(middleware: StoreThreadsMiddleware(executor: executor))
    }
    let health = metrics.health(engine: engine, backends: configuration.backends)
    if configuration.metricsListen == nil {
        router.get("/metrics") { request, _ -> Response in
            await metricsResponse(request, token: configuration.metricsToken, required: true, engine: engine, metrics: metrics, health: health)
        }
    }
    // 200 while the store answers: the node decides logins (app passwords at least), so a load
    // balancer keeps it. One line a part; monitoring alerts on a line that is not "ok". The
    // endpoint is public: what failed, with names and addresses, goes to serve's log only.
    router.get("/healthz") { _, _ -> Response in
        let parts = await health.parts(now: Date())
        let storeUp = parts.first { $0.name == "store" }?.isUp ?? false
        for part in parts where !part.isUp { logger.warning("health check: \(part.name) \(part.problem ?? "")") }
        let body = parts.map { "\($0.name): \($0.isUp ? "ok" : "unavailable")" }.joined(separator: "\n") + "\n"
        return Response(
            status: storeUp ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain; charset=utf-8", HTTPField.Name("X-Clientpass-Version")!: ClientPassVersion.current],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    // The mail servers' endpoints: machine answers, no page middleware.
    let auth = router.group("auth")
    let warnings = WarningLimiter()
    NginxAuthController(configuration: configuration, engine: engine, logger: logger, metrics: metrics, warnings: warnings).addRoutes(to: auth)
    DecideController(configuration: configuration, engine: engine, logger: logger, metrics: metrics, warnings: warnings).addRoutes(to: auth)
    // Mail clients that configure themselves: public machine answers, no page middleware.
    ClientSetupController(domains: configuration.mailDomains, servers: page.mailServers).addRoutes(to: router)
    // The self-service page, behind its middleware.
    let manager = CredentialManager(store: engine.store, now: { engine.currentDate })
    let sessions = PageSessions(store: engine.store, configuration: page)
    // A store that cannot be read reports no sessions rather than failing the scrape.
    metrics.observeSessions { (try? sessions.liveCount(at: engine.currentDate)) ?? 0 }
    SelfServiceController(
        configuration: page, engine: engine, manager: manager, sessions: sessions, renderer: renderer,
        terminator: configuration.sessionTerminator, logger: logger, metrics: metrics,
        formKey: SignInFormKey(store: engine.store), profileLinks: ProfileLinks(store: engine.store)
    ).addRoutes(to: router.group().add(middleware: pageMiddleware))
    // The self-service API (openapi.yaml), for the command line on employees' computers.
    router.add(middleware: APIMiddleware(configuration: page, logger: logger))
    let api = SelfServiceAPI(
        engine: engine, manager: manager,
        operations: SelfServiceOperations(engine: engine, configuration: page, terminator: configuration.sessionTerminator, logger: logger),
        tokens: PageSessions(store: engine.store, configuration: page, kind: .api), configuration: page, logger: logger)
    do {
        try api.registerHandlers(on: router, serverURL: URL(string: "/api/v1")!)
    } catch {
        preconditionFailure("the API's routes, generated from openapi.yaml, do not register: \(error)")
    }
    return router
}
