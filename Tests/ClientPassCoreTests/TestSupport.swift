import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore

/// An in-memory store with one department (Sales) and one account (alice@example.com).
struct Fixture {
    let store: SQLiteStore
    let clock: TestClock
    let manager: CredentialManager
    let alice: Account

    init(maximumAppPasswords: Int? = nil) throws {
        let fixture = try TestStore(departments: ["Sales"], accounts: [.init("alice@example.com", department: "Sales")])
        if let maximumAppPasswords {
            try fixture.store.writer.write { db in
                try db.execute(sql: "UPDATE domain_policy SET max_app_passwords = ?", arguments: [maximumAppPasswords])
            }
        }
        store = fixture.store
        clock = fixture.clock
        manager = fixture.manager
        alice = try fixture.account("alice@example.com")
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
