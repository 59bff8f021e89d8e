import Foundation
import NIOPosix
import Synchronization

/// Where directory checks block on the network: threads of their own, so that a slow or
/// unreachable directory never holds a hashing thread that app-password logins need. There are
/// a fixed number of them, all started at once (a pool that grows a thread at a time let 14
/// logins wait 10 to 20 s each on a hanging directory), and no queue: past the bound the answer
/// is at once "try later", while app passwords go on as before.
final class DirectoryLane: Sendable {
    /// Eight checks at once: more than a company's logins need while the directory answers in
    /// milliseconds; a hanging directory holds no more than these.
    static let shared = DirectoryLane(threads: 8)

    let threads: Int
    private let pool: NIOThreadPool
    private let inFlight = Atomic<Int>(0)

    init(threads: Int) {
        self.threads = threads
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `body` on a thread of the lane, or throws ``DecisionError/busy(retryAfter:)`` at
    /// once when every thread is taken.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= threads else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            throw DecisionError.busy(retryAfter: 1)
        }
        defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
        return try await pool.runIfActive(body)
    }
}
