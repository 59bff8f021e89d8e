import ClientPassCore
import Foundation
import Synchronization

extension SQLStore {
    /// The store's Argon2id parameters at ``cheapHashing``, as a fixture: written directly, not
    /// an administrator's audited change.
    public func hashCheaply() throws {
        try write { db in
            try db.execute(
                """
                UPDATE domain_policy SET argon2_app_iterations = ?, argon2_app_memory_kib = ?, argon2_mailbox_iterations = ?,
                    argon2_mailbox_memory_kib = ?
                WHERE id = 1
                """,
                [
                    cheapHashing.appPassword.iterations, cheapHashing.appPassword.memoryKiB, cheapHashing.mailboxPassword.iterations,
                    cheapHashing.mailboxPassword.memoryKiB,
                ])
        }
    }
}

/// Argon2id at libsodium's minimum cost: tests check behaviour, not strength (one test checks
/// the production parameters).
public let cheapHashing = HashingConfiguration(
    appPassword: Argon2idParameters(iterations: 1, memoryKiB: 8),
    mailboxPassword: Argon2idParameters(iterations: 1, memoryKiB: 8))

/// The mailbox passwords of the test accounts, the same in every test target.
public let alicePassword = "correct horse battery staple"
public let bobPassword = "bobs mailbox password"

/// A clock that tests move by hand.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }

    public func advance(minutes: Double) { advance(by: minutes * 60) }
}

/// The one fixture builder: an in-memory store (or the one given) with departments and
/// accounts, every account with its standard mailbox password (``alicePassword``,
/// ``bobPassword``, else "<name>'s mailbox password"), on a ``TestClock``, at ``cheapHashing``.
public struct TestStore: Sendable {
    public let store: SQLiteStore
    public let clock: TestClock
    public let manager: CredentialManager
    public let admin = AuditActor.admin(osUser: "test")

    /// An account to create: its name and department.
    public struct Member: Sendable {
        public let name: String
        public let department: String?
        public init(_ name: String, department: String? = nil) {
            self.name = name
            self.department = department
        }
    }

    /// - Parameters:
    ///   - departments: made first, in order.
    ///   - accounts: made next, in order (by default alice in no department).
    public init(
        store: SQLiteStore? = nil, clock: TestClock = TestClock(), departments: [String] = [],
        accounts: [Member] = [Member("alice@example.com")]
    ) throws {
        self.clock = clock
        self.store = try store ?? SQLiteStore.makeInMemory(at: clock.now)
        try self.store.hashCheaply()
        manager = CredentialManager(store: self.store, now: { clock.now })
        for department in departments { _ = try manager.addDepartment(named: department, by: admin) }
        for member in accounts {
            _ = try manager.addAccount(
                named: member.name, department: member.department,
                mailboxPassword: Secret(Self.mailboxPassword(of: member.name)), by: admin)
        }
    }

    /// The standard mailbox password of a test account.
    public static func mailboxPassword(of name: String) -> String {
        switch name.lowercased() {
        case "alice@example.com": alicePassword
        case "bob@example.com": bobPassword
        default: "\(name)'s mailbox password"
        }
    }

    public func account(_ name: String) throws -> Account { try manager.account(named: name) }

    /// Issues an app password to an account, by the administrator.
    public func issue(_ label: String, to name: String = "alice@example.com", limits: CredentialLimits = .none) throws -> GeneratedAppPassword {
        try manager.generateAppPassword(for: account(name), label: Label(validating: label), limits: limits, by: admin)
    }

    public func allowThirdPartyClients() throws {
        _ = try store.setThirdPartyClients(.allowed, by: admin, at: clock.now)
    }
}
