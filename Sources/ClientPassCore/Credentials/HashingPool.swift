import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads for Argon2id, so hashing never blocks Swift's async executors and
/// memory stays at most `size` × the Argon2id memory however many logins arrive at once.
///
/// Two queues: threads take work of ``Lane/known`` first — three jobs of it for every one of
/// ``Lane/other`` while both wait — so a login from an address the account has logged in from
/// before waits for little more than the hashes already running, however many guesses from
/// elsewhere are queued (see ``HashingAdmission``), and a new device still gets its turn while
/// known ones keep the threads busy. The threads run at a lower CPU priority than the rest of the process
/// (and than the mail server), so answering requests — warm answers, throttled answers, the
/// page — never waits behind hashing for the CPU.
public final class HashingPool: @unchecked Sendable {
    /// Which queue a job waits in.
    public enum Lane: Sendable {
        /// A login of an account from an address one of its credentials has logged in from.
        case known
        /// Everything else.
        case other
    }

    /// One thread per core.
    public static let shared = HashingPool(size: ProcessInfo.processInfo.activeProcessorCount)

    /// How much lower than the process the threads run (`nice`, Linux's per-thread priority).
    public static let niceness: Int32 = 10

    public let size: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var known = Queue()
    private var other = Queue()
    /// Jobs of the known lane taken in a row while the other lane waited.
    private var knownStreak = 0
    /// How many jobs of the known lane go before one of the other lane, when both wait.
    static let knownShare = 3

    /// A FIFO of jobs that does not shift its array on every take.
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0

        var count: Int { jobs.count - head }

        mutating func take() -> (@Sendable () -> Void)? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

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

    /// Jobs waiting for a thread, in both queues.
    public var queueDepth: Int {
        condition.withLock { known.count + other.count }
    }

    /// Runs `work` on one of the pool's threads and returns its result.
    /// - Parameter lane: ``Lane/known`` goes before everything of ``Lane/other``.
    public func run<Result: Sendable>(_ lane: Lane = .other, _ work: @escaping @Sendable () -> Result) async -> Result {
        if size == 0 { return work() }
        return await withCheckedContinuation { continuation in
            enqueue(lane) { continuation.resume(returning: work()) }
        }
    }

    private func enqueue(_ lane: Lane, _ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            switch lane {
            case .known: known.jobs.append(job)
            case .other: other.jobs.append(job)
            }
            condition.signal()
        }
    }

    private func work() {
        #if canImport(Glibc)
            // On Linux, niceness belongs to each thread: "who = 0" is this thread alone. Lowering
            // needs no privilege; failing to (a sandbox) only leaves the default.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        #endif
        while true {
            condition.lock()
            var job = next()
            while job == nil {
                condition.wait()
                job = next()
            }
            condition.unlock()
            job!()
        }
    }

    /// The next job, under `condition`: the known lane's, but one of the other lane's after
    /// ``knownShare`` in a row while it waits.
    private func next() -> (@Sendable () -> Void)? {
        if other.count > 0 && (known.count == 0 || knownStreak >= Self.knownShare) {
            knownStreak = 0
            return other.take()
        }
        guard let job = known.take() else { return nil }
        if other.count > 0 { knownStreak += 1 }
        return job
    }
}
