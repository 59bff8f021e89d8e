import Foundation
import Synchronization

/// `serve`'s warm path: logins it has allowed a moment ago, so that a client that logs in again
/// with the same secret does not pay Argon2id again.
///
/// - An entry is keyed by keyed BLAKE2b (a random key made per process) of the account name,
///   the protocol, the address and the secret; the secret itself is never kept. Protocol and
///   address are in the key, so every rule that depends on them was decided for exactly this
///   request.
/// - An entry holds only an allow, and only while it is younger than `lifetime`, its credential
///   has not expired, and the store's generation is the one it was decided under. Every change
///   to the store that could change an answer (revocation, reset, disabling, services, policy,
///   networks, enforcement — by this process or any other, such as the CLI) bumps the
///   generation in the same transaction, so the next login after it is decided cold.
/// - Denials are never kept; throttling is checked on every login, warm or cold.
public final class WarmCache: Sendable {
    /// What a warm login re-uses.
    struct Entry: Sendable {
        let decision: Decision
        let accountID: Int64
        let credential: MatchedCredential
        /// The store generation the allow was decided under.
        let generation: Int64
        /// The throttling policy of that generation.
        let throttling: ThrottlePolicy
        let decidedAt: Date
        /// The credential's own expiry.
        let credentialExpiresAt: Date?
        /// When last use was last written for this credential.
        var lastUseWritten: Date?
    }

    struct Key: Hashable, Sendable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: Key, b: Key) -> Bool { a.words == b.words }
        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    /// Counters since the process started.
    public struct Statistics: Sendable, Equatable {
        public var entries = 0
        public var hits = 0
        public var misses = 0
        /// Times a changed generation emptied the cache.
        public var invalidations = 0
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var generation: Int64?
        var statistics = Statistics()

        /// A generation other than the one held empties the cache. Generations only grow; should
        /// one go back (a store replaced by an older copy), the highest seen is kept and nothing
        /// older is taken in until the store passes it: the cache fails cold, never warm.
        mutating func move(to new: Int64) {
            guard generation != new else { return }
            if !entries.isEmpty { statistics.invalidations += 1 }
            entries.removeAll()
            generation = max(generation ?? new, new)
        }
    }

    /// How long an allow is re-used.
    public let lifetime: TimeInterval
    /// At most this many entries; past it, stale entries go, and if that is not enough, all.
    public let capacity: Int
    private let hashKey: [UInt8]
    private let state = Mutex(State())

    /// Longest lifetime accepted: re-use is for reconnects, not for the day.
    public static let maximumLifetime: TimeInterval = 3600
    public static let defaultLifetime: TimeInterval = 300
    public static let defaultCapacity = 50_000

    public init(lifetime: TimeInterval = defaultLifetime, capacity: Int = defaultCapacity) {
        precondition(lifetime > 0 && lifetime <= Self.maximumLifetime && capacity > 0)
        self.lifetime = lifetime
        self.capacity = capacity
        hashKey = Sodium.randomBytes(32)
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.entries.count
            return statistics
        }
    }

    /// Forgets everything (tests, and a store that was replaced under a running server).
    public func removeAll() {
        state.withLock { $0.entries.removeAll() }
    }

    /// The connecting address is part of the key: an allow through webmail (first-party) is never
    /// re-used for the same client address connecting directly.
    func key(accountKey: String, service: MailService, address: IPAddress, connectingAddress: IPAddress? = nil, secret: Secret) -> Key {
        // Length-prefixed parts, so that no two requests share a message; built in memory that
        // is wiped before it is freed, since it holds the secret.
        let parts: [[UInt8]] = [
            Array(accountKey.utf8), Array(service.rawValue.utf8), Array(address.canonical.description.utf8),
            Array((connectingAddress?.canonical.description ?? "-").utf8),
        ]
        let length = parts.reduce(0) { $0 + 4 + $1.count } + 4 + secret.count
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
        defer {
            Sodium.wipe(buffer)
            buffer.deallocate()
        }
        var offset = 0
        func append(_ bytes: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { prefix in
                buffer.baseAddress!.advanced(by: offset).copyMemory(from: prefix.baseAddress!, byteCount: 4)
            }
            offset += 4
            if let base = bytes.baseAddress, bytes.count > 0 {
                buffer.baseAddress!.advanced(by: offset).copyMemory(from: base, byteCount: bytes.count)
            }
            offset += bytes.count
        }
        for part in parts { part.withUnsafeBytes(append) }
        secret.withUnsafeBytes(append)
        let digest = Sodium.keyedHash(UnsafeRawBufferPointer(buffer), key: hashKey, outputLength: 32)
        return digest.withUnsafeBytes { bytes in
            Key(
                words: (
                    bytes.load(fromByteOffset: 0, as: UInt64.self), bytes.load(fromByteOffset: 8, as: UInt64.self),
                    bytes.load(fromByteOffset: 16, as: UInt64.self), bytes.load(fromByteOffset: 24, as: UInt64.self)
                ))
        }
    }

    /// The entry for `key` if it is young enough and its credential has not expired; counts a miss
    /// otherwise.
    func entry(for key: Key, at date: Date) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[key] else {
                state.statistics.misses += 1
                return nil
            }
            let young = date.timeIntervalSince(entry.decidedAt) < lifetime && entry.decidedAt <= date
            let unexpired = entry.credentialExpiresAt.map { date < $0 } ?? true
            guard young, unexpired, entry.generation == state.generation else {
                state.entries[key] = nil
                state.statistics.misses += 1
                return nil
            }
            return entry
        }
    }

    /// Learns the store's current generation; a different one empties the cache.
    func observe(generation: Int64) {
        state.withLock { $0.move(to: generation) }
    }

    /// Counts a login answered from `key`'s entry, and when its last use was written.
    func recordHit(_ key: Key, lastUseWritten: Date?) {
        state.withLock { state in
            state.statistics.hits += 1
            if let lastUseWritten { state.entries[key]?.lastUseWritten = lastUseWritten }
        }
    }

    /// Keeps an allow decided cold. One decided under an older generation than the newest seen
    /// is dropped: a change committed after its snapshot may contradict it.
    func insert(_ entry: Entry, for key: Key) {
        guard entry.decision.isAllowed else { return }
        state.withLock { state in
            if let current = state.generation, entry.generation < current { return }
            state.move(to: entry.generation)
            if state.entries.count >= capacity && state.entries[key] == nil {
                let now = entry.decidedAt
                state.entries = state.entries.filter { now.timeIntervalSince($0.value.decidedAt) < lifetime }
                if state.entries.count >= capacity { state.entries.removeAll() }
            }
            state.entries[key] = entry
        }
    }
}
