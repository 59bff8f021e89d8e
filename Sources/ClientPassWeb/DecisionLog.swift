import ClientPassCore
import Logging

/// Decides a login for one of the endpoints and reports it once for all of them: the decision's
/// latency and result go to the metrics, one line to the log; a temporary failure (store or
/// memory) is counted and logged as a warning.
/// - Returns: the outcome, or `nil` after a temporary failure (answer "try again").
func decideAndReport(_ request: LoginRequest, engine: DecisionEngine, endpoint: String, logger: Logger,
                     metrics: ServeMetrics) async -> DecisionEngine.Outcome? {
    do {
        let start = ContinuousClock.now
        let outcome = try await engine.decideLogin(request)
        metrics.recordDecision(outcome, duration: ContinuousClock.now - start)
        logger.logDecision(outcome, user: request.user, service: request.service, address: request.address, endpoint: endpoint)
        return outcome
    } catch {
        metrics.recordTemporaryFailure()
        logger.warning("temporary failure deciding a login", metadata: ["endpoint": "\(endpoint)", "protocol": "\(request.service.rawValue)",
                                                                        "address": "\(request.address)", "error": "\(error.localizedDescription)"])
        return nil
    }
}

extension Logger {
    /// One line per decision at info: account, protocol, address, decision, reason, the
    /// credential that matched and whether the warm path answered. Never a secret. The account
    /// is the canonical name on allow, else the name as the client typed it.
    func logDecision(_ outcome: DecisionEngine.Outcome, user: String, service: ClientPassCore.Service, address: IPAddress, endpoint: String) {
        var metadata: Logger.Metadata = [
            "endpoint": "\(endpoint)", "protocol": "\(service.rawValue)", "address": "\(address)",
            "warm": "\(outcome.warm)",
        ]
        switch outcome.decision {
        case .allow(let account, let credential):
            metadata["account"] = "\(account)"
            metadata["decision"] = "allow"
            switch credential {
            case .appPassword(let id, _): metadata["credential"] = "app_password:\(id)"
            case .mailboxPassword: metadata["credential"] = "mailbox_password"
            }
        case .deny(let reason, _):
            metadata["account"] = "\(user)"
            metadata["decision"] = "deny"
            metadata["reason"] = "\(reason.rawValue)"
        }
        info("login decided", metadata: metadata)
    }
}
