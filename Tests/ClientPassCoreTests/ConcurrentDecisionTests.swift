import Foundation
import Testing
@testable import ClientPassCore

/// Decisions running while an administrator flips the policy, on a file store shared by several
/// connections: no crash, no error, and no allow that contradicts a change committed before the
/// decision began.
@Suite struct ConcurrentDecisionTests {
    /// The policy generation: odd = blocked, even = allowed. Read before a decision starts.
    final class Generation: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var current: Int { lock.withLock { value } }
        func advance() { lock.withLock { value += 1 } }
    }

    @Test func noAllowContradictsACommittedChange() async throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteStore.create(at: folder.file("clientpass.sqlite"), by: .admin(osUser: "t"))
        let fixture = try DecisionFixture(store: store)
        let generation = Generation()
        try fixture.allow()
        let phone = try fixture.issue("Phone")

        let violations = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var problems: [String] = []
                    for attempt in 0..<60 {
                        let before = generation.current
                        let secret = attempt.isMultiple(of: 2) ? phone.displayPassword : alicePassword
                        // Distinct addresses keep throttling out of the picture.
                        let decision = try await fixture.decide(secret: secret, from: "198.51.\(worker).\(attempt + 1)")
                        if before % 2 == 1 && decision.isAllowed {
                            problems.append("allowed while blocked (generation \(before)): \(decision.summary)")
                        }
                        if before % 2 == 0, !decision.isAllowed, decision.reason != .thirdPartyBlocked {
                            problems.append("unexpected \(decision.summary)")
                        }
                    }
                    return problems
                }
            }
            group.addTask {
                for flip in 0..<20 {
                    let value: DomainPolicy.ThirdPartyClients = flip.isMultiple(of: 2) ? .blocked : .allowed
                    _ = try store.setThirdPartyClients(value, by: fixture.admin, at: fixture.clock.now)
                    generation.advance()  // only after the commit
                    try await Task.sleep(for: .milliseconds(5))
                }
                return []
            }
            var all: [String] = []
            for try await problems in group { all += problems }
            return all
        }
        #expect(violations.isEmpty, "\(violations)")
        #expect(generation.current == 20)
    }

    @Test func aRevocationAppliesToTheVeryNextLogin() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let fixture = try DecisionFixture(store: SQLiteStore.create(at: path, by: .admin(osUser: "t")))
        try fixture.allow()
        let phone = try fixture.issue("Phone")
        #expect(try await fixture.decide(secret: phone.displayPassword).isAllowed)
        // Revoked through another connection, as another process would.
        let other = CredentialManager(store: try SQLiteStore(openingAt: path), hashing: cheapHashing)
        _ = try other.revokeAppPassword(1, of: try other.account(named: "alice@example.com"), by: .admin(osUser: "t"))
        #expect(try await fixture.decide(secret: phone.displayPassword).reason == .badCredential)
    }
}
