import Foundation
import Synchronization
import Testing
import ClientPassTestSupport
@testable import ClientPassCore
@testable import ClientPassPostgreSQL

/// Several nodes writing one PostgreSQL store at once: each node is a store of its own (its own
/// pool of connections), and threads of every node race. What SQLite's single writer gives for
/// free must hold here too, counted after.
@Suite(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)")) struct PostgreSQLRaceTests {
    let admin = AuditActor.admin(osUser: "test")
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    let hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"

    /// Two nodes on a new database, with alice.
    func nodes() throws -> (a: PostgreSQLStore, b: PostgreSQLStore, alice: Account) {
        let url = try PostgreSQLLab.shared().makeDatabase().url
        let a = try PostgreSQLStore.create(at: PostgreSQLLocation(parsing: url), by: admin, at: date)
        let b = try PostgreSQLStore(opening: PostgreSQLLocation(parsing: url))
        let alice = try a.addAccount(
            NewAccount(name: AccountName(validating: "alice@example.com"), department: nil, mailboxPasswordHash: hash),
            by: admin, at: date)
        return (a, b, alice)
    }

    /// Runs `body(index)` on `count` threads at once, half through each node; the outcomes.
    func race<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
        let results = Mutex<[Result<T, any Error>]>([])
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread.detachNewThread {
                start.wait()
                let result = Result { try body(index) }
                results.withLock { $0.append(result) }
                group.leave()
            }
        }
        for _ in 0..<count { start.signal() }
        group.wait()
        return results.withLock { $0 }
    }

    @Test func theCapOfAppPasswordsHoldsWhenNodesRace() throws {
        let (a, b, alice) = try nodes()
        let maximum = try a.policy().maximumAppPasswords
        let outcomes = race(40) { index in
            let store = index.isMultiple(of: 2) ? a : b
            return try store.addAppPassword(
                NewAppPassword(
                    label: try Label(validating: "Device \(index)"), limits: .none,
                    selector: String(format: "%012x", index), hash: hash),
                toAccount: alice.id, by: admin, at: date)
        }
        let created = outcomes.filter { (try? $0.get()) != nil }.count
        let refused = outcomes.filter { if case .failure(let error) = $0 { (error as? CredentialError)?.kind == .limitReached } else { false } }.count
        #expect(created == maximum && refused == 40 - maximum, "\(outcomes.filter { if case .failure = $0 { true } else { false } })")
        let kept = try b.appPasswords(ofAccount: alice.id)
        #expect(kept.count == maximum)
        // Ids are never handed out twice, and each creation is audited once.
        #expect(Set(kept.map(\.id)).count == maximum && kept.map(\.id).sorted() == Array(1...maximum))
        #expect(try a.auditEvents(account: "alice@example.com", since: nil, limit: 1000).filter { $0.kind == .appPasswordCreated }.count == maximum)
    }

    @Test func oneNameIsOneAccountWhenNodesRace() throws {
        let (a, b, _) = try nodes()
        let outcomes = race(16) { index in
            try (index.isMultiple(of: 2) ? a : b).addAccount(
                NewAccount(name: AccountName(validating: index < 8 ? "bob@example.com" : "BOB@example.com"), department: nil, mailboxPasswordHash: hash),
                by: admin, at: date)
        }
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
        #expect(outcomes.allSatisfy { if case .failure(let error) = $0 { (error as? AccountError)?.kind == .accountExists } else { true } })
        #expect(try a.accounts(inDepartment: nil).map { $0.name.lowercased() } == ["alice@example.com", "bob@example.com"])
    }

    @Test func throttlingAdmitsNoMoreThanTheLimitWhenNodesRace() throws {
        let (a, b, alice) = try nodes()
        try a.setThrottling(ThrottlePolicy(accountFailures: 5, addressFailures: 1000, window: 900), by: admin, at: date)
        let address = IPAddress("198.51.100.7")!
        // Every attempt that is let through to its hash has counted itself first: of 30 guesses
        // at once, only the limit's worth get that far.
        let outcomes = race(30) { index in
            try (index.isMultiple(of: 2) ? a : b).beginDecision(accountKey: alice.name, address: address, at: date)
        }
        let admitted = outcomes.compactMap { try? $0.get() }.filter { $0.reservation != nil }
        #expect(outcomes.allSatisfy { (try? $0.get()) != nil }, "no attempt failed: \(outcomes)")
        #expect(admitted.count == 5)
        #expect(try b.decisionSnapshot(accountKey: alice.name, address: address, at: date).accountFailures == 5)
    }

    @Test func aChangeOnOneNodeIsNotifiedToTheOthers() throws {
        let (a, b, _) = try nodes()
        let notified = Mutex(0)
        let watch = b.watchGeneration { notified.withLock { $0 += 1 } }
        defer { watch.cancel() }
        // The watcher counts once when it starts listening.
        let deadline = Date().addingTimeInterval(10)
        while notified.withLock({ $0 }) == 0 && Date() < deadline { usleep(20_000) }
        let before = notified.withLock { $0 }
        #expect(before >= 1)
        _ = try a.setThirdPartyClients(.allowed, by: admin, at: date)
        while notified.withLock({ $0 }) == before && Date() < deadline { usleep(20_000) }
        #expect(notified.withLock { $0 } > before, "a policy change through node A reached node B's listener")
        // Last use and failures move no generation, and notify nothing.
        let settled = notified.withLock { $0 }
        _ = try a.beginDecision(accountKey: "alice@example.com", address: IPAddress("198.51.100.9")!, at: date)
        usleep(300_000)
        #expect(notified.withLock { $0 } == settled)
    }

    /// Opening reads whether the schema is current without the migration lock; a schema from a
    /// newer clientpass is refused either way, and not changed.
    @Test func aNewerSchemaIsRefused() throws {
        let lab = try PostgreSQLLab.shared()
        let database = try lab.makeDatabase()
        _ = try PostgreSQLStore.create(at: PostgreSQLLocation(parsing: database.url), by: admin, at: date)
        _ = try PostgreSQLStore(opening: PostgreSQLLocation(parsing: database.url))
        try lab.psql("INSERT INTO clientpass_migration (identifier) VALUES ('2099-01-01 from the future')", database: database.name)
        #expect { try PostgreSQLStore(opening: PostgreSQLLocation(parsing: database.url)) } throws: { ($0 as? StoreError)?.kind == .tooNew }
        #expect(
            try lab.psql("SELECT COUNT(*) FROM clientpass_migration", database: database.name) == "\(PostgreSQLStore.migrations.count + 1)",
            "its own migrations and the newer one, nothing more")
    }
}
