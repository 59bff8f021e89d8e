import ClientPassCore
import ClientPassEdge
import Foundation
import Prometheus
import Synchronization

/// What `GET /metrics` reports, in Prometheus's text format:
/// - `clientpass_decisions_total{result, reason, path}`: decisions by result (`allow`, `deny`),
///   reason (a denial reason, or `none`) and path (`warm`, `cold`);
/// - `clientpass_decision_duration_seconds{path}`: how long decisions took, as a histogram;
/// - `clientpass_temporary_failures_total`: decisions that could not be made (store or memory);
/// - `clientpass_argon2id_queue_depth`: hashing jobs waiting for a thread, when scraped;
/// - `clientpass_throttled_addresses`: addresses answered `throttled` right now, when scraped;
/// - `clientpass_warm_cache_entries`, `clientpass_warm_cache_invalidations_total`: the warm path;
/// - `clientpass_page_sign_ins_total{result}`: sign-ins to the self-service page by result
///   (`signed_in`, `wrong_credentials`, `throttled`, `account_disabled`, `temporary_failure`);
/// - `clientpass_page_sessions`: live sessions of the page, when scraped;
/// - `clientpass_component_up{component}`: 1 while a part a login needs answers, else 0 —
///   `store`, `directory` (in directory mode), `imap_backend`, `pop3_backend`, `smtp_backend`
///   (those configured) — as `/healthz` last checked them (at most 30 s ago).
/// No label holds an account name or an address.
public final class ServeMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Counts the page's live sessions, once the page is built.
    private let sessionCount = Mutex<(@Sendable () -> Int)?>(nil)
    /// The parts `/healthz` checks, shared by the main listener and `--metrics-listen`.
    private let healthReport = Mutex<HealthReport?>(nil)
    static let signInResults = ["signed_in", "wrong_credentials", "throttled", "account_disabled", "temporary_failure"]
    private let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    /// A metric's whole name as its descriptor: the name already ends in its unit.
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    public init() {
        // Every series exists from the start, so that rates work from the first scrape.
        for path in ["warm", "cold"] {
            _ = registry.makeDurationHistogram(
                descriptor: Self.named("clientpass_decision_duration_seconds", "How long login decisions took."), labels: [("path", path)],
                buckets: durationBuckets)
        }
        _ = registry.makeCounter(
            descriptor: Self.named("clientpass_decisions_total", "Login decisions by result, reason and path."),
            labels: [("result", "allow"), ("reason", "none"), ("path", "cold")])
        _ = registry.makeCounter(descriptor: Self.named("clientpass_temporary_failures_total", "Logins that could not be decided (store or memory)."))
        for result in Self.signInResults { signInCounter(result) }
    }

    @discardableResult
    private func signInCounter(_ result: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.named("clientpass_page_sign_ins_total", "Sign-ins to the self-service page by result."), labels: [("result", result)])
    }

    func recordSignIn(_ result: String) {
        signInCounter(result).increment()
    }

    /// The one health report of this process (made on first use).
    func health(engine: DecisionEngine, backends: [MailService: IPEndpoint]) -> HealthReport {
        healthReport.withLock { report in
            if let report { return report }
            let made = HealthReport(engine: engine, backends: backends)
            report = made
            return made
        }
    }

    func observeSessions(_ count: @escaping @Sendable () -> Int) {
        sessionCount.withLock { $0 = count }
    }

    func recordDecision(_ outcome: DecisionEngine.Outcome, duration: Duration) {
        let path = outcome.warm ? "warm" : "cold"
        let (result, reason) = outcome.decision.isAllowed ? ("allow", "none") : ("deny", outcome.decision.reason?.rawValue ?? "none")
        registry.makeCounter(
            descriptor: Self.named("clientpass_decisions_total", "Login decisions by result, reason and path."),
            labels: [("result", result), ("reason", reason), ("path", path)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.named("clientpass_decision_duration_seconds", "How long login decisions took."), labels: [("path", path)], buckets: durationBuckets
        ).record(duration)
    }

    func recordTemporaryFailure() {
        registry.makeCounter(descriptor: Self.named("clientpass_temporary_failures_total", "Logins that could not be decided (store or memory).")).increment()
    }

    /// Samples the gauges, then renders every metric.
    func render(engine: DecisionEngine, health: [HealthReport.Part]) -> String {
        for part in health {
            registry.makeGauge(
                descriptor: Self.named("clientpass_component_up", "Whether a part logins need answers (1) or not (0), as /healthz last checked."),
                labels: [("component", part.name)]
            ).set(Double(part.isUp ? 1 : 0))
        }
        registry.makeGauge(descriptor: Self.named("clientpass_argon2id_queue_depth", "Argon2id jobs waiting for a hashing thread."))
            .set(Double(engine.hashingQueueDepth))
        if let count = try? engine.store.throttledAddressCount(at: Date()) {
            registry.makeGauge(descriptor: Self.named("clientpass_throttled_addresses", "Addresses whose logins are answered throttled right now."))
                .set(Double(count))
        }
        if let cache = engine.warmCache {
            let statistics = cache.statistics
            registry.makeGauge(descriptor: Self.named("clientpass_warm_cache_entries", "Allows the warm path holds.")).set(Double(statistics.entries))
            registry.makeGauge(descriptor: Self.named("clientpass_warm_cache_invalidations", "Times a store change emptied the warm path."))
                .set(Double(statistics.invalidations))
        }
        if let count = sessionCount.withLock({ $0 }) {
            registry.makeGauge(descriptor: Self.named("clientpass_page_sessions", "Live sessions of the self-service page.")).set(Double(count()))
        }
        return registry.emitToString()
    }
}
