import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore

/// Decisions running while an administrator flips the policy, on a file store shared by several
/// connections: no crash, no error, and no allow that contradicts a change committed before the
/// decision began.
@Suite struct ConcurrentDecisionTests {
    /// The policy flips: `started` counts flips begun, `finished` flips committed. While they
    /// are equal no flip is in flight, and an odd count means blocked.
    final class Flips: @unchecked Sendable {
        private let lock = NSLock()
        private var started = 0
        private var finished = 0
        var current: (started: Int, finished: Int) { lock.withLock { (started, finished) } }
        func begin() { lock.withLock { started += 1 } }
        func end() { lock.withLock { finished += 1 } }
    }

    @Test func noAllowContradictsACommittedChange() async throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteStore.create(at: folder.file("clientpass.sqlite"), by: .admin(osUser: "t"))
        let fixture = try DecisionFixture(store: store)
        let flips = Flips()
        try fixture.allow()
        let phone = try fixture.issue("Phone")

        let results = try await withThrowingTaskGroup(of: (problems: [String], checked: Int).self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var problems: [String] = []
                    var checked = 0
                    for attempt in 0..<60 {
                        let before = flips.current
                        let secret = attempt.isMultiple(of: 2) ? phone.displayPassword : alicePassword
                        // Distinct addresses keep throttling out of the picture.
                        let decision = try await fixture.decide(secret: secret, from: "198.51.\(worker).\(attempt + 1)")
                        let after = flips.current
                        // Only a decision made while the policy stood still says anything: no flip
                        // in flight when it began, and none begun before it ended.
                        guard before.started == before.finished, after.started == before.started else { continue }
                        checked += 1
                        if before.finished % 2 == 1 && decision.isAllowed {
                            problems.append("allowed while blocked (flip \(before.finished)): \(decision.summary)")
                        }
                        if before.finished % 2 == 0, !decision.isAllowed {
                            problems.append("refused while allowed (flip \(before.finished)): \(decision.summary)")
                        }
                    }
                    return (problems, checked)
                }
            }
            group.addTask {
                for flip in 0..<20 {
                    let value: DomainPolicy.ThirdPartyClients = flip.isMultiple(of: 2) ? .blocked : .allowed
                    flips.begin()
                    _ = try store.setThirdPartyClients(value, by: fixture.admin, at: fixture.clock.now)
                    flips.end()
                    try await Task.sleep(for: .milliseconds(5))
                }
                return ([], 0)
            }
            var all: (problems: [String], checked: Int) = ([], 0)
            for try await result in group {
                all.problems += result.problems
                all.checked += result.checked
            }
            return all
        }
        #expect(results.problems.isEmpty, "\(results.problems)")
        #expect(results.checked >= 48, "only \(results.checked) of 480 decisions ran while the policy stood still")
        #expect(flips.current == (20, 20))
    }

    @Test func aRevocationAppliesToTheVeryNextLogin() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let fixture = try DecisionFixture(store: SQLiteStore.create(at: path, by: .admin(osUser: "t")))
        try fixture.allow()
        let phone = try fixture.issue("Phone")
        #expect(try await fixture.decide(secret: phone.displayPassword).isAllowed)
        // Revoked through another connection, as another process would.
        let other = CredentialManager(store: try SQLiteStore(openingAt: path))
        _ = try other.revokeAppPassword(1, of: try other.account(named: "alice@example.com"), by: .admin(osUser: "t"))
        #expect(try await fixture.decide(secret: phone.displayPassword).reason == .badCredential)
    }
}
