import Foundation

/// A fixed set of threads for Argon2id, so hashing never blocks Swift's async executors and
/// memory stays at most `size` × the Argon2id memory however many logins arrive at once.
public final class HashingPool: @unchecked Sendable {
    /// One thread per core.
    public static let shared = HashingPool(size: ProcessInfo.processInfo.activeProcessorCount)

    public let size: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0

    /// No threads: work runs on the caller's thread. For one-shot processes (checkpassword),
    /// where starting a thread costs more than it saves, and may fail outright under a tight
    /// address-space limit.
    public static let inline = HashingPool(size: 0)

    /// - Parameter size: the number of threads; 0 runs work on the caller's thread.
    public init(size: Int) {
        precondition(size >= 0)
        self.size = size
        for index in 0..<size {
            // The threads keep the pool alive: pools are made once and live as long as the process.
            let thread = Thread { self.work() }
            thread.name = "clientpass-argon2id-\(index)"
            thread.start()
        }
    }

    /// Jobs waiting for a thread.
    public var queueDepth: Int {
        condition.withLock { jobs.count - head }
    }

    /// Runs `work` on one of the pool's threads and returns its result.
    public func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        if size == 0 { return work() }
        return await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: work()) }
        }
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
