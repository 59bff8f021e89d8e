import Foundation
import Testing
@testable import ClientPassCore

/// Argon2id at libsodium's minimum cost: unit tests check behaviour, not strength (one test
/// checks the production parameters).
let cheapHashing = HashingConfiguration(
    appPassword: Argon2idParameters(iterations: 1, memoryKiB: 8),
    mailboxPassword: Argon2idParameters(iterations: 1, memoryKiB: 8))

let alicePassword = "correct horse battery staple"

/// A clock that tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}

/// An in-memory store with one department (Sales) and one account (alice@example.com).
struct Fixture {
    let store: SQLiteStore
    let clock: TestClock
    let manager: CredentialManager
    let alice: Account

    init(maximumAppPasswords: Int? = nil) throws {
        let clock = TestClock()
        store = try SQLiteStore.makeInMemory(at: clock.now)
        if let maximumAppPasswords {
            try store.writer.write { db in
                try db.execute(sql: "UPDATE domain_policy SET max_app_passwords = ?", arguments: [maximumAppPasswords])
            }
        }
        self.clock = clock
        manager = CredentialManager(store: store, hashing: cheapHashing, now: { clock.now })
        _ = try manager.addDepartment(named: "Sales", by: .admin(osUser: "test"))
        alice = try manager.addAccount(named: "alice@example.com", department: "Sales",
                                       mailboxPassword: Secret(alicePassword), by: .admin(osUser: "test"))
    }

    func generate(_ label: String = "Outlook", limits: CredentialLimits = .none) throws -> GeneratedAppPassword {
        try manager.generateAppPassword(for: alice, label: Label(validating: label), limits: limits, by: .account(alice.name))
    }
}

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("clientpass-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

func mode(of path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
