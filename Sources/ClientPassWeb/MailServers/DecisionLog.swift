import ClientPassCore
import Foundation
import Hummingbird
import Logging

/// What one of the endpoints gets back from ``decideAndReport(_:engine:endpoint:logger:metrics:)``.
enum ReportedDecision {
    case decided(DecisionEngine.Outcome)
    /// Too much Argon2id work in flight: not hashed, not counted; answer "try later" in whole seconds.
    case busy(retrySeconds: Int)
    /// The store or the hash failed: answer "try again", never allow.
    case failed
}

/// Decides a login for one of the endpoints and reports it once for all of them: the decision's
/// latency and result go to the metrics, one line to the log; a temporary failure (store,
/// memory, too much work in flight) is counted and logged as a warning.
func decideAndReport(
    _ request: LoginRequest, engine: DecisionEngine, endpoint: String, logger: Logger,
    metrics: ServeMetrics, warnings: WarningLimiter
) async -> ReportedDecision {
    do {
        let start = ContinuousClock.now
        let outcome = try await engine.decideLogin(request)
        metrics.recordDecision(outcome, duration: ContinuousClock.now - start)
        logger.logDecision(outcome, service: request.service, address: request.address, endpoint: endpoint)
        return .decided(outcome)
    } catch let error as DecisionError {
        metrics.recordTemporaryFailure()
        warnings.warning(
            "busy", "login not checked: too many in flight",
            metadata: [
                "endpoint": "\(endpoint)", "protocol": "\(request.service.rawValue)",
                "address": "\(request.address)",
            ], logger: logger)
        switch error {
        case .busy(let retryAfter): return .busy(retrySeconds: max(1, Int(retryAfter.rounded(.up))))
        }
    } catch {
        metrics.recordTemporaryFailure()
        warnings.warning(
            "temporary failure", "temporary failure deciding a login",
            metadata: [
                "endpoint": "\(endpoint)", "protocol": "\(request.service.rawValue)", "address": "\(request.address)",
                "error": "\(Untrusted.escaped(error.localizedDescription))",
            ], logger: logger)
        return .failed
    }
}

extension Logger {
    /// One line per decision at info: account, protocol, address, decision, reason, the
    /// credential that matched and whether the warm path answered. Never a secret. The account
    /// is the canonical name of the account the request named; a name that names no account is
    /// not logged (it may be a password typed into the wrong field).
    func logDecision(_ outcome: DecisionEngine.Outcome, service: MailService, address: IPAddress, endpoint: String) {
        var metadata: Logger.Metadata = [
            "endpoint": "\(endpoint)", "protocol": "\(service.rawValue)", "address": "\(address)",
            "warm": "\(outcome.warm)",
        ]
        if let account = outcome.account { metadata["account"] = "\(Untrusted.escaped(account))" }
        switch outcome.decision {
        case .allow(_, let credential):
            metadata["decision"] = "allow"
            switch credential {
            case .appPassword(let id, _): metadata["credential"] = "app_password:\(id)"
            case .mailboxPassword: metadata["credential"] = "mailbox_password"
            }
        case .deny(let reason, _):
            metadata["decision"] = "deny"
            metadata["reason"] = "\(reason.rawValue)"
        }
        info("login decided", metadata: metadata)
    }
}

extension Request {
    /// The token of an `Authorization: Bearer …` header, or `nil`.
    var bearerToken: String? {
        let authorization = headers[.authorization] ?? ""
        return authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : nil
    }
}
