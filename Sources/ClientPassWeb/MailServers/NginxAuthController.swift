import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /auth/nginx`: nginx's mail `auth_http` protocol. The answer is in response headers only:
/// `Auth-Status: OK` with `Auth-Server`/`Auth-Port` and the canonical `Auth-User`, or an error message (never the reason, which
/// goes to the audit trail), `Auth-Wait` while throttled, `Auth-Error-Code` for SMTP.
struct NginxAuthController: Sendable {
    let configuration: ServeConfiguration
    let engine: DecisionEngine
    let logger: Logger
    let metrics: ServeMetrics
    let warnings: WarningLimiter

    static let refusal = "Invalid login or password"
    static let temporary = "Temporary server problem, try again later"

    /// `GET nginx` in `group` (`/auth`).
    func addRoutes(to group: RouterGroup<WebRequestContext>) {
        group.get("nginx") { request, _ in try await handle(request) }
    }

    func header(_ name: String, in request: Request) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }

    /// What nginx's request headers ask, before any decision.
    enum ReadRequest {
        case login(LoginRequest, attempt: Int)
        /// Not a login clientpass can decide (an unknown protocol, a challenge-response method,
        /// a missing or malformed field): refused, for `service` when it is known.
        case refused(MailService?)
    }

    /// Reads `Auth-Protocol`, `Auth-Method`, `Auth-User` and `Auth-Pass` (URL-escaped, valid
    /// UTF-8), `Client-IP` and `Auth-Login-Attempt`. Attacker-chosen throughout: nginx passes
    /// what the mail client sent.
    static func read(_ headers: HTTPFields) -> ReadRequest {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        let protocolName = header("Auth-Protocol")?.lowercased() ?? ""
        guard let service = MailService(rawValue: protocolName) else { return .refused(nil) }
        // Hashed passwords cannot answer challenge-response methods (CRAM-MD5, APOP).
        let method = header("Auth-Method")?.lowercased() ?? ""
        guard method == "plain" || method == "login",
            let user = header("Auth-User")?.removingPercentEncoding,
            let password = header("Auth-Pass")?.removingPercentEncoding,
            let addressText = header("Client-IP"), let address = IPAddress(addressText)
        else {
            return .refused(service)
        }
        let attempt = header("Auth-Login-Attempt").flatMap { Int($0) } ?? 1
        return .login(LoginRequest(user: user, secret: Secret(password), service: service, address: address), attempt: attempt)
    }

    func handle(_ request: Request) async throws -> Response {
        guard configuration.sharedSecret.matches(header(configuration.headerName, in: request)) else {
            warnings.warning("nginx secret", "refused an /auth/nginx request without the shared secret", logger: logger)
            return Response(status: .forbidden)
        }
        let login: LoginRequest
        let attempt: Int
        switch Self.read(request.headers) {
        case .refused(let service): return answer(status: Self.refusal, service: service, wait: nil)
        case .login(let read, let number):
            login = read
            attempt = number
        }
        let service = login.service
        let outcome: DecisionEngine.Outcome
        switch await decideAndReport(login, engine: engine, endpoint: "nginx", logger: logger, metrics: metrics, warnings: warnings) {
        case .decided(let decided): outcome = decided
        case .busy(let retrySeconds):
            // Past the bound on work in flight: nginx waits and the client may try again.
            return answer(status: Self.temporary, service: service, wait: retrySeconds, temporary: true)
        case .failed: return answer(status: Self.temporary, service: service, wait: nil, temporary: true)
        }
        let decision = outcome.decision
        switch decision {
        case .allow(let account, _):
            guard let backend = configuration.backends[service] else {
                warnings.warning(
                    "backend \(service.rawValue)",
                    "an nginx login over \(service.displayName) was allowed but cannot go on: no backend is configured for \(service.rawValue)", logger: logger)
                return answer(status: Self.temporary, service: service, wait: nil, temporary: true)
            }
            var headers = HTTPFields()
            headers[HTTPField.Name("Auth-Status")!] = "OK"
            headers[HTTPField.Name("Auth-Server")!] = backend.address.description
            headers[HTTPField.Name("Auth-Port")!] = String(backend.port)
            // nginx logs in to the backend with this name instead of what the client typed: the
            // backend sees the account's own, canonical name (`ALICE@…` becomes `alice@…`).
            headers[HTTPField.Name("Auth-User")!] = account
            return Response(status: .ok, headers: headers)
        case .deny(let reason, _):
            let wait = reason == .throttled && attempt < configuration.maximumWaitAttempts ? configuration.waitSeconds : nil
            return answer(status: Self.refusal, service: service, wait: wait)
        }
    }

    private func answer(status: String, service: MailService?, wait: Int?, temporary: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("Auth-Status")!] = status
        if let wait { headers[HTTPField.Name("Auth-Wait")!] = String(wait) }
        if service == .smtp {
            headers[HTTPField.Name("Auth-Error-Code")!] = temporary ? "451 4.3.0" : "535 5.7.8"
        }
        return Response(status: .ok, headers: headers)
    }
}
