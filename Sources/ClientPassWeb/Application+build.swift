import ClientPassCore
import Foundation
import Hummingbird
import Logging

/// The HTTP application of `clientpass serve`: the mail servers' decision endpoints and health.
/// Tests and `serve` build the same application.
/// - Parameters:
///   - configuration: listen address, shared secret, backends.
///   - engine: the decision engine over the store.
///   - terminator: ends open sessions after changes made through the web (none yet).
///   - logger: where the application logs; one line per decision, never a secret.
///   - metrics: what `GET /metrics` reports.
public func buildApplication(_ configuration: ServeConfiguration, engine: DecisionEngine, logger: Logger,
                             metrics: ServeMetrics = ServeMetrics()) -> some ApplicationProtocol {
    let router = buildRouter(configuration, engine: engine, logger: logger, metrics: metrics)
    return Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "clientpass"),
                       logger: logger)
}

/// The routes, separately, for in-process tests.
public func buildRouter(_ configuration: ServeConfiguration, engine: DecisionEngine, logger: Logger,
                        metrics: ServeMetrics = ServeMetrics()) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/metrics") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: metrics.render(engine: engine))))
    }
    router.get("/healthz") { _, _ -> Response in
        do {
            _ = try engine.store.policy()
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        } catch {
            logger.warning("health check failed: \(error.localizedDescription)")
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "store unavailable\n")))
        }
    }
    NginxAuthController(configuration: configuration, engine: engine, logger: logger, metrics: metrics).register(on: router)
    DecideController(configuration: configuration, engine: engine, logger: logger, metrics: metrics).register(on: router)
    return router
}
