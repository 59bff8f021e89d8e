import ClientPassCore
import Logging

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
