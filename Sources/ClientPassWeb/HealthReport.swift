import ClientPassCore
import ClientPassEdge
import Foundation
import NIOPosix
import Synchronization

/// What `/healthz` reports: each part a login needs, checked at most every 30 seconds whatever
/// the rate of health checks (a load balancer's every few seconds must not become binds at the
/// directory). The status follows the store alone: a node whose directory is down still decides
/// app passwords, so it stays in the load balancer, and monitoring alerts on the body's lines
/// or on `clientpass_component_up`.
final class HealthReport: Sendable {
    /// One part's state: `problem` is `nil` while it answers. A part not used here (directory
    /// mode off, a backend not configured) has none.
    struct Part: Sendable {
        let name: String
        let problem: String?
        var isUp: Bool { problem == nil }
    }

    static let interval: TimeInterval = 30
    private let engine: DecisionEngine
    private let backends: [MailService: IPEndpoint]
    private let checked = Mutex<(at: Date, parts: [Part])?>(nil)

    init(engine: DecisionEngine, backends: [MailService: IPEndpoint]) {
        self.engine = engine
        self.backends = backends
    }

    /// The store, checked at every call (it decides the status); the directory and the mail
    /// backends from a check at most `interval` old.
    func parts(now: Date) async -> [Part] {
        var store: Part
        do {
            _ = try engine.store.policy()
            store = Part(name: "store", problem: nil)
        } catch {
            store = Part(name: "store", problem: "unavailable: \(error.localizedDescription)")
        }
        if let recent = checked.withLock({ $0 }), now.timeIntervalSince(recent.at) < Self.interval {
            return [store] + recent.parts
        }
        let others = await checkOthers()
        checked.withLock { $0 = (now, others) }
        return [store] + others
    }

    /// The directory (in directory mode) and each configured backend, off the task threads:
    /// both calls block for up to their timeouts.
    private func checkOthers() async -> [Part] {
        let engine = self.engine
        let backends = self.backends
        return
            (try? await NIOThreadPool.singleton.runIfActive { () -> [Part] in
                var parts: [Part] = []
                if let directory = engine.directory, let settings = try? engine.store.directorySettings() {
                    do {
                        try directory.check(with: settings)
                        parts.append(Part(name: "directory", problem: nil))
                    } catch {
                        parts.append(Part(name: "directory", problem: "unavailable: \(error.localizedDescription)"))
                    }
                }
                for service in MailService.allCases {
                    guard let endpoint = backends[service] else { continue }
                    let answers = TCPProbe.answers(host: endpoint.address.description, port: endpoint.port, milliseconds: 2_000)
                    parts.append(Part(name: "\(service.rawValue)_backend", problem: answers ? nil : "\(endpoint) does not take connections"))
                }
                return parts
            }) ?? []
    }
}
