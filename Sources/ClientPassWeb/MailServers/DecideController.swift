import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `POST /auth/decide`: the decision as JSON, for Dovecot 2.4's Lua passdb and other callers.
/// In: `{"user", "password", "protocol", "address"}` and, from a mail server that knows it, the
/// host that connected to it, `"connecting_address"` (Dovecot's `real_rip`: a webmail host makes
/// the login first-party), with `Authorization: Bearer <shared secret>`.
/// Out: `{"decision": "allow"|"deny", "reason": null|"…", "account": null|"…", "warm": true|false}`
/// (`warm`: re-used from the warm cache, without Argon2id).
struct DecideController: Sendable {
    let configuration: ServeConfiguration
    let engine: DecisionEngine
    let logger: Logger
    let metrics: ServeMetrics
    let warnings: WarningLimiter

    struct Input: Decodable {
        let user: String
        let password: String
        let `protocol`: String
        let address: String
        let connectingAddress: String?

        enum CodingKeys: String, CodingKey {
            case user, password, `protocol`, address, connectingAddress = "connecting_address"
        }
    }

    struct Output: ResponseEncodable {
        let decision: String
        let reason: String?
        let account: String?
        let warm: Bool

        enum CodingKeys: String, CodingKey { case decision, reason, account, warm }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(decision, forKey: .decision)
            try container.encode(reason, forKey: .reason)
            try container.encode(account, forKey: .account)
            try container.encode(warm, forKey: .warm)
        }
    }

    struct BadRequest: Error {
        let message: String
    }

    /// Reads the JSON body: attacker-chosen when the shared secret leaks, so every field is checked.
    static func read(_ body: Data) -> Result<LoginRequest, BadRequest> {
        guard let input = try? JSONDecoder().decode(Input.self, from: body) else {
            return .failure(BadRequest(message: "the body must be JSON with string fields user, password, protocol and address"))
        }
        guard let service = MailService(rawValue: input.protocol.lowercased()) else {
            return .failure(BadRequest(message: "protocol must be imap, pop3 or smtp"))
        }
        guard let address = IPAddress(input.address) else {
            return .failure(BadRequest(message: "address must be an IPv4 or IPv6 address"))
        }
        var connectingAddress: IPAddress?
        if let text = input.connectingAddress, !text.isEmpty {
            guard let parsed = IPAddress(text) else {
                return .failure(BadRequest(message: "connecting_address must be an IPv4 or IPv6 address"))
            }
            connectingAddress = parsed
        }
        return .success(
            LoginRequest(
                user: input.user, secret: Secret(input.password), service: service, address: address,
                connectingAddress: connectingAddress))
    }

    /// `POST decide` in `group` (`/auth`).
    func addRoutes(to group: RouterGroup<WebRequestContext>) {
        group.post("decide") { request, context in try await handle(request, context: context) }
    }

    func handle(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard configuration.sharedSecret.matches(request.bearerToken) else {
            warnings.warning("decide secret", "refused an /auth/decide request without the shared secret", logger: logger)
            return try problem(.unauthorized, "missing or wrong bearer token", context: context)
        }
        guard request.headers.declaresJSON else {
            return try problem(.unsupportedMediaType, "the body must be JSON, sent with Content-Type: application/json", context: context)
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let login: LoginRequest
        switch Self.read(Data(buffer: body)) {
        case .success(let read): login = read
        case .failure(let problem): return try self.problem(.badRequest, problem.message, context: context)
        }
        let outcome: DecisionEngine.Outcome
        switch await decideAndReport(login, engine: engine, endpoint: "decide", logger: logger, metrics: metrics, warnings: warnings) {
        case .decided(let decided): outcome = decided
        case .busy(let retrySeconds):
            var response = try problem(.serviceUnavailable, "too many logins are being checked: try again later", context: context)
            response.headers[.retryAfter] = String(retrySeconds)
            return response
        case .failed: return try problem(.serviceUnavailable, "temporary failure: try again", context: context)
        }
        let output: Output
        switch outcome.decision {
        case .allow(let account, _): output = Output(decision: "allow", reason: nil, account: account, warm: outcome.warm)
        case .deny(let reason, _): output = Output(decision: "deny", reason: reason.rawValue, account: nil, warm: false)
        }
        return try output.response(from: request, context: context)
    }

    private func problem(_ status: HTTPResponse.Status, _ message: String, context: WebRequestContext) throws -> Response {
        let body = try JSONSerialization.data(withJSONObject: ["error": message])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
