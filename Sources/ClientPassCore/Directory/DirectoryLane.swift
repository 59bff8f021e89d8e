import Foundation
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
    private let work = Work()
    private let inFlight = Atomic<Int>(0)

    init(threads: Int) {
        self.threads = threads
        for index in 0..<threads {
            let thread = Thread { [work] in
                while true { work.next()() }
            }
            thread.name = "clientpass-directory-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a thread of the lane, or throws ``DecisionError/busy(retryAfter:)`` at
    /// once when every thread is taken.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= threads else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            throw DecisionError.busy(retryAfter: 1)
        }
        defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
        return try await withCheckedThrowingContinuation { continuation in
            work.add { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The checks handed to the lane, each taken by the first free thread. Never more than
    /// `threads` at once (``run(_:)`` refuses the rest), so none waits for a thread.
    private final class Work: Sendable {
        private let jobs = Mutex<[@Sendable () -> Void]>([])
        private let arrived = NSCondition()

        func add(_ job: @escaping @Sendable () -> Void) {
            arrived.lock()
            jobs.withLock { $0.append(job) }
            arrived.signal()
            arrived.unlock()
        }

        /// The next job, waiting for one.
        func next() -> @Sendable () -> Void {
            arrived.lock()
            defer { arrived.unlock() }
            while true {
                if let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return job }
                arrived.wait()
            }
        }
    }
}
