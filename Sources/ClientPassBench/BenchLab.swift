import ClientPassCore
import ClientPassPostgreSQL
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A store in a temporary folder with accounts to log in as, and the measurements that run
/// in this process through the core decision function.
final class BenchLab: @unchecked Sendable {
    struct User: Sendable {
        let name: String
        let secret: String
        let address: String
    }

    let folder: String
    /// The store's path, or its URL on PostgreSQL.
    let storePath: String
    let store: any SQLStore
    let cores: Int
    let hashing: HashingConfiguration
    /// Eight accounts a core, each with one app password, each logging in from its own address.
    let users: [User]
    /// An account with 25 app passwords (the newest is the one typed) and one with a single one.
    let many: User
    let one: User
    private var nextAddress = 0

    /// - Parameter postgresql: a PostgreSQL database for the store (its URL), instead of a SQLite
    ///   file in a temporary folder.
    init(cores: Int, hashing: HashingConfiguration, postgresql: String? = nil) throws {
        self.cores = cores
        self.hashing = hashing
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientpass-bench-\(UUID().uuidString)").path
        storePath = postgresql ?? folder + "/clientpass.sqlite"
        let admin = AuditActor.admin(osUser: "bench")
        store = try StoreLocation(parsing: storePath).create(by: admin)
        _ = try store.setThirdPartyClients(.allowed, by: admin, at: Date())
        _ = try store.setHashing(hashing, by: admin, at: Date())
        let manager = CredentialManager(store: store)
        func makeUser(_ name: String, passwords: Int, address: String) throws -> User {
            let account = try manager.addAccount(named: name, department: nil, mailboxPassword: Secret("mailbox " + UUID().uuidString), by: admin)
            var last = ""
            for index in 1...passwords {
                last = try manager.generateAppPassword(for: account, label: Label(validating: "Device \(index)"), by: admin)
                    .displayPassword.replacingOccurrences(of: " ", with: "")
            }
            return User(name: name, secret: last, address: address)
        }
        say("setting up \(cores * 8 + 2) accounts…")
        users = try (0..<(cores * 8)).map { try makeUser("user\($0)@bench.test", passwords: 1, address: "10.0.\($0 / 250).\($0 % 250 + 1)") }
        many = try makeUser("many@bench.test", passwords: 25, address: "10.1.0.1")
        one = try makeUser("one@bench.test", passwords: 1, address: "10.1.0.2")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func request(_ user: User, secret: String? = nil, address: String? = nil) -> LoginRequest {
        LoginRequest(user: user.name, secret: Secret(secret ?? user.secret), service: .imap, address: IPAddress(address ?? user.address)!)
    }

    /// A new address for each wrong guess, so that throttling stays out of the measurement.
    private func freshAddress() -> String {
        nextAddress += 1
        return "10.200.\(nextAddress / 250).\(nextAddress % 250 + 1)"
    }

    /// Seconds per Argon2id verification at the app-password parameters, on one thread.
    func singleVerification(count: Int = 10) throws -> Double {
        let hasher = Argon2idHasher(parameters: hashing.appPassword)
        let secret = Secret("abcdefghijklmnop")
        let hash = try hasher.hash(secret)
        var times: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            guard try hasher.verify(secret, against: hash) else { throw BenchError("the reference hash does not verify") }
            times.append((ContinuousClock.now - start).inSeconds)
        }
        return median(times)
    }

    /// Argon2id verifications a second with every core verifying and nothing else: what the
    /// machine gives when hashes run side by side (they share memory bandwidth and caches).
    func parallelVerificationRate(duration: Double = 2) throws -> Double {
        let hasher = Argon2idHasher(parameters: hashing.appPassword)
        let secret = Secret("abcdefghijklmnop")
        let hash = try hasher.hash(secret)
        let counts = Counts(cores)
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(duration * 1000))
        DispatchQueue.concurrentPerform(iterations: cores) { index in
            while ContinuousClock.now < deadline {
                if (try? hasher.verify(secret, against: hash)) == true { counts.add(1, at: index) }
            }
        }
        return Double(counts.total) / (ContinuousClock.now - start).inSeconds
    }

    /// Allowed logins a second, no cache, many at once (4 a core) on the shared hashing pool.
    /// How many logins ``coldDecisionRate()`` decides.
    var coldDecisionCount: Int { 120 * cores }

    func coldDecisionRate() async throws -> Double {
        let engine = DecisionEngine(store: store)
        let total = coldDecisionCount
        let concurrency = 4 * cores
        let users = self.users
        var refused = 0
        let elapsed = try await seconds {
            refused = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var refused = 0
                        for index in stride(from: worker, to: total, by: concurrency) {
                            let user = users[index % users.count]
                            let decision = try await engine.decide(
                                LoginRequest(
                                    user: user.name, secret: Secret(user.secret), service: .imap,
                                    address: IPAddress(user.address)!))
                            if !decision.isAllowed { refused += 1 }
                        }
                        return refused
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        guard refused == 0 else { throw BenchError("\(refused) cold logins were refused") }
        return Double(total) / elapsed
    }

    /// Median seconds per decision, one at a time: 25 app passwords against 1, right and wrong
    /// secrets (wrong ones are app-password shaped, from fresh addresses).
    func manyPasswordCosts(count: Int = 8) async throws -> (manyRight: Double, oneRight: Double, manyWrong: Double, oneWrong: Double) {
        let engine = DecisionEngine(store: store)
        func cost(_ user: User, right: Bool) async throws -> Double {
            let wrong = String((0..<16).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
            let request = right ? request(user) : request(user, secret: wrong, address: freshAddress())
            var decision: Decision?
            let time = try await seconds { decision = try await engine.decide(request) }
            guard decision?.isAllowed == right, right || decision?.reason == .badCredential else {
                throw BenchError("\(user.name): unexpected \(decision?.summary ?? "nothing")")
            }
            return time
        }
        // Interleaved, so that both sides see the same machine at the same moment.
        var times: [String: [Double]] = [:]
        for _ in 0..<count {
            times["many right", default: []].append(try await cost(many, right: true))
            times["one right", default: []].append(try await cost(one, right: true))
            times["many wrong", default: []].append(try await cost(many, right: false))
            times["one wrong", default: []].append(try await cost(one, right: false))
        }
        return (median(times["many right"]!), median(times["one right"]!), median(times["many wrong"]!), median(times["one wrong"]!))
    }

    /// The median time of a refused login for each account state × policy × shape of secret,
    /// on a store of its own at the production Argon2id parameters: refusals of one shape must
    /// cost the same whatever the account and the policy (docs/security.md, "Timing").
    /// - Returns: by shape, the median seconds of each (state, policy) case.
    func refusalTimes(repetitions: Int = 3) async throws -> [String: [String: Double]] {
        let folder = self.folder + "/refusals-\(UUID().uuidString)"
        let store = try SQLiteStore.create(at: folder + "/store.sqlite", by: .admin(osUser: "bench"))
        let admin = AuditActor.admin(osUser: "bench")
        let manager = CredentialManager(store: store)
        // Many fresh addresses for one account: keep the account-wide limit out of the way.
        try store.setThrottling(ThrottlePolicy(accountFailures: 10, addressFailures: 100, accountWideFailures: 1_000_000, window: 900), by: admin, at: Date())
        _ = try manager.addDepartment(named: "A", by: admin)
        _ = try manager.addDepartment(named: "B", by: admin)
        var states: [(String, String)] = [("unknown", "nobody@bench.test")]
        for (state, department) in [("active", "A"), ("disabled", "A"), ("service off", "A"), ("exception", "A"), ("other department", "B")] {
            let name = state.replacingOccurrences(of: " ", with: "-") + "@bench.test"
            let account = try manager.addAccount(named: name, department: department, mailboxPassword: Secret("mailbox " + UUID().uuidString), by: admin)
            _ = try manager.generateAppPassword(for: account, label: Label(validating: "Phone"), by: admin)
            states.append((state, name))
        }
        _ = try store.setStatus(.disabled, of: AccountName(validating: "disabled@bench.test"), by: admin, at: Date())
        _ = try store.setServices([.imap: false], for: .accounts([AccountName(validating: "service-off@bench.test")]), by: admin, at: Date())
        try store.addException(AccountName(validating: "exception@bench.test"), note: "scanner", by: admin, at: Date())
        let policies: [(String, () throws -> Void)] = [
            (
                "clients allowed",
                {
                    _ = try store.setThirdPartyClients(.allowed, by: admin, at: Date()); try store.setEnforcement(.off, by: admin, at: Date())
                }
            ),
            (
                "clients blocked",
                {
                    _ = try store.setThirdPartyClients(.blocked, by: admin, at: Date()); try store.setEnforcement(.off, by: admin, at: Date())
                }
            ),
            (
                "enforcement for all",
                {
                    _ = try store.setThirdPartyClients(.allowed, by: admin, at: Date()); try store.setEnforcement(.all, by: admin, at: Date())
                }
            ),
            (
                "enforcement for department A",
                {
                    _ = try store.setThirdPartyClients(.allowed, by: admin, at: Date())
                    try store.setEnforcement(.selected(departments: [DepartmentName(validating: "A")], accounts: []), by: admin, at: Date())
                }
            ),
        ]
        let shapes = [
            ("app-password shaped", "qwertyuiopasdfgh"), ("other", "not the password"),
            ("over 1,024 bytes", String(repeating: "x", count: CredentialManager.maximumPasswordBytes + 1)),
        ]
        let engine = DecisionEngine(store: store)
        var times: [String: [String: [Double]]] = [:]
        for _ in 0..<repetitions {
            for (policy, apply) in policies {
                try apply()
                // Interleaved: every case sees the machine in the same state within a round.
                for (state, user) in states {
                    for (shape, secret) in shapes {
                        let request = LoginRequest(user: user, secret: Secret(secret), service: .imap, address: IPAddress(freshAddress())!)
                        var decision: Decision?
                        let time = try await seconds { decision = try await engine.decide(request) }
                        guard decision?.isAllowed == false else { throw BenchError("\(user) was allowed with a wrong secret") }
                        times[shape, default: [:]]["\(state), \(policy)", default: []].append(time)
                    }
                }
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
        return times.mapValues { $0.mapValues(median) }
    }

    /// Seconds of one warm login, one at a time: the generation and counters read from the
    /// store (the check that does not depend on any notification), then the remembered answer.
    func warmLatency(count: Int = 300) async throws -> Double {
        let engine = DecisionEngine(store: store, warmCache: WarmCache())
        let user = users[0]
        guard try await engine.decide(request(user)).isAllowed else { throw BenchError("\(user.name) was refused") }
        var times: [Double] = []
        for _ in 0..<count {
            var outcome: DecisionEngine.Outcome?
            times.append(try await seconds { outcome = try await engine.decideLogin(request(user)) })
            guard outcome?.warm == true else { throw BenchError("a warm login was decided cold") }
        }
        return median(times)
    }

    /// Allowed logins a second when each repeats a login the warm cache holds (2 clients a core).
    func warmDecisionRate(duration: Double = 1) async throws -> (rate: Double, logins: Int) {
        let cache = WarmCache()
        let engine = DecisionEngine(store: store, warmCache: cache)
        let clients = Array(users.prefix(2 * cores))
        for user in clients {
            guard try await engine.decide(request(user)).isAllowed else { throw BenchError("\(user.name) was refused") }
        }
        var total = 0
        let elapsed = try await seconds {
            total = try await withThrowingTaskGroup(of: Int.self) { group in
                let deadline = ContinuousClock.now + .milliseconds(Int(duration * 1000))
                for user in clients {
                    group.addTask {
                        var count = 0
                        while ContinuousClock.now < deadline {
                            let outcome = try await engine.decideLogin(
                                LoginRequest(
                                    user: user.name, secret: Secret(user.secret), service: .imap,
                                    address: IPAddress(user.address)!))
                            guard outcome.decision.isAllowed, outcome.warm else { throw BenchError("a warm login was \(outcome)") }
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        return (Double(total) / elapsed, total)
    }

    /// Median seconds of one whole `clientpass checkpassword` login (an app password, as Dovecot
    /// runs it: request on fd 3, reply program executed), less the same shell starting
    /// `/bin/true` with the same fd 3.
    /// - Parameter command: the program and arguments before `--store` (`clientpass checkpassword`
    ///   here).
    func checkpasswordTimes(command: [String], logins count: Int) throws -> Double {
        let user = users[0]
        let requestPath = folder + "/checkpassword-request"
        try Data((user.name + "\0" + user.secret + "\0").utf8).write(to: URL(fileURLWithPath: requestPath))
        let environment = ["SERVICE": "imap", "TCPREMOTEIP": user.address]
        var logins: [Double] = []
        var baselines: [Double] = []
        for _ in 0..<count {
            var status: Int32 = -1
            logins.append(
                try elapsedSeconds {
                    status = try runProgram(
                        "/bin/sh", ["-c", #"exec "$@" /bin/true 3<"$0""#, requestPath] + command + ["--store", storePath],
                        environment: environment
                    ).status
                })
            guard status == 0 else { throw BenchError("checkpassword refused \(user.name) (exit \(status))") }
            baselines.append(
                try elapsedSeconds {
                    _ = try runProgram("/bin/sh", ["-c", #"exec /bin/true 3<"$0""#, requestPath], environment: environment)
                })
        }
        return median(logins) - median(baselines)
    }

    /// Decisions a second answered `throttled` to a flood from one address (2 flooders a core),
    /// and the median latency of a legitimate login from another address, alone and during it.
    func throttledFlood(duration: Double = 2) async throws -> (floodRate: Double, aloneLatency: Double, floodedLatency: Double) {
        let engine = DecisionEngine(store: store)
        let flooder = IPAddress("192.0.2.66")!
        let threshold = try store.policy().throttling.addressFailures
        for index in 0..<threshold {
            try store.record(
                DecisionRecord(
                    at: Date(), accountKey: "guess\(index)@bench.test", address: flooder, service: .imap,
                    outcome: .denied(countsAsFailure: true), audit: []))
        }
        let legit = users[1]
        func legitLatencies(_ count: Int) async throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<count {
                var decision: Decision?
                times.append(try await seconds { decision = try await engine.decide(request(legit)) })
                guard decision?.isAllowed == true else { throw BenchError("the legitimate user was refused: \(decision?.summary ?? "")") }
            }
            return times
        }
        let alone = median(try await legitLatencies(6))

        let stop = StopFlag()
        var flooded: [Double] = []
        var answered = 0
        let elapsed = try await seconds {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<(2 * cores) {
                    group.addTask {
                        var count = 0
                        while !stop.isSet {
                            let decision = try await engine.decide(
                                LoginRequest(
                                    user: "guess\(worker)-\(count)@bench.test", secret: Secret("wrong guess"),
                                    service: .imap, address: flooder))
                            guard decision.reason == .throttled else { throw BenchError("a flood attempt was \(decision.summary)") }
                            count += 1
                            // A throttled answer never waits for hashing; each attempt is its own
                            // request in serve, so let the other tasks run between them.
                            await Task.yield()
                        }
                        return count
                    }
                }
                let start = ContinuousClock.now
                flooded = try await legitLatencies(6)
                while ContinuousClock.now - start < .milliseconds(Int(duration * 1000)) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                stop.set()
                answered = try await group.reduce(0, +)
            }
        }
        return (Double(answered) / elapsed, alone, median(flooded))
    }
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int]
    init(_ count: Int) { values = Array(repeating: 0, count: count) }
    func add(_ amount: Int, at index: Int) { lock.withLock { values[index] += amount } }
    var total: Int { lock.withLock { values.reduce(0, +) } }
}
