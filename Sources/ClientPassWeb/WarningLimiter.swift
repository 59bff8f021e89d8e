import Foundation
import Logging
import Synchronization

/// Warnings that a misconfiguration or an attack could repeat thousands of times a second (a
/// missing backend, requests without the shared secret, temporary failures) are logged at most
/// once a minute each; the next line says how many were held back. So nothing outside can fill
/// the disk through `serve`'s log.
final class WarningLimiter: Sendable {
    /// One warning of a kind per this many seconds.
    static let interval: TimeInterval = 60

    private struct Kind {
        var lastLogged: Date
        var suppressed: Int
    }

    private let kinds = Mutex<[String: Kind]>([:])
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Logs `message` as a warning unless one of the same `kind` was logged within the interval.
    func warning(_ kind: String, _ message: @autoclosure () -> Logger.Message, metadata: Logger.Metadata = [:], logger: Logger) {
        let date = now()
        let held: Int? = kinds.withLock { kinds in
            if let last = kinds[kind], date.timeIntervalSince(last.lastLogged) < Self.interval {
                kinds[kind]!.suppressed += 1
                return nil
            }
            let suppressed = kinds[kind]?.suppressed ?? 0
            kinds[kind] = Kind(lastLogged: date, suppressed: 0)
            return suppressed
        }
        guard let held else { return }
        var metadata = metadata
        if held > 0 { metadata["held_back"] = "\(held)" }
        logger.warning(message(), metadata: metadata)
    }
}
