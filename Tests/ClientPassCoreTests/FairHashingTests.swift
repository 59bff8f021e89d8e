import ClientPassTestSupport
import Foundation
import Synchronization
import Testing
@testable import ClientPassCore

/// Under a flood of guesses from new addresses, an account's own devices still get in, and
/// first: the hashing lane of addresses the account has logged in from (HashingPool,
/// HashingAdmission).
@Suite struct FairHashingTests {
    /// What ran, in order.
    final class Log: Sendable {
        private let items = Mutex<[String]>([])
        func append(_ item: String) { items.withLock { $0.append(item) } }
        var all: [String] { items.withLock { $0 } }
    }

    /// One thread, held busy: work of the known lane queued after other work runs before it.
    @Test func theKnownLaneRunsFirst() async throws {
        let pool = HashingPool(size: 1)
        let order = Log()
        let gate = DispatchSemaphore(value: 0)
        let started = Log()
        let blocker = Task {
            await pool.run(.other) {
                started.append("started"); gate.wait()
            }
        }
        // Polled, not waited for: a blocked test thread could be the one the blocker needs.
        while started.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        var jobs: [Task<Void, Never>] = []
        for index in 0..<3 {
            jobs.append(Task { await pool.run(.other) { order.append("other \(index)") } })
        }
        // Queued behind the three (give them time to be queued first).
        while pool.queueDepth < 3 { try await Task.sleep(for: .milliseconds(5)) }
        jobs.append(Task { await pool.run(.known) { order.append("known") } })
        while pool.queueDepth < 4 { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        await blocker.value
        for job in jobs { await job.value }
        let ran = order.all
        #expect(ran.first == "known", "\(ran)")
        #expect(ran.dropFirst().sorted() == ["other 0", "other 1", "other 2"])
    }

    /// Known devices keeping the threads busy do not starve a new one: one job of the other lane
    /// after every three of the known lane.
    @Test func theOtherLaneStillGetsItsTurn() async throws {
        let pool = HashingPool(size: 1)
        let order = Log()
        let gate = DispatchSemaphore(value: 0)
        let started = Log()
        let blocker = Task {
            await pool.run(.known) {
                started.append("started"); gate.wait()
            }
        }
        while started.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        var jobs: [Task<Void, Never>] = [Task { await pool.run(.other) { order.append("new device") } }]
        while pool.queueDepth < 1 { try await Task.sleep(for: .milliseconds(5)) }
        for index in 0..<8 {
            jobs.append(Task { await pool.run(.known) { order.append("known \(index)") } })
        }
        while pool.queueDepth < 9 { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        await blocker.value
        for job in jobs { await job.value }
        let ran = order.all
        #expect(ran.firstIndex(of: "new device") == HashingPool.knownShare, "\(ran)")
    }

    /// The total is per lane: when the other lane is full, a known attempt is admitted (the
    /// store is asked only then); an unknown one is told to try later. The per-account and
    /// per-address bounds hold in both lanes.
    @Test func aFullOtherLaneLeavesRoomForKnownAddresses() async throws {
        let admission = HashingAdmission(limits: .init(perAccount: 2, perAddress: 5, total: 2))
        let asked = Log()
        func known() -> Bool { asked.append("asked"); return true }
        let flood = [
            await admission.admit(accountKey: "bob", address: IPAddress("203.0.113.1")!, isKnown: known),
            await admission.admit(accountKey: "carol", address: IPAddress("203.0.113.2")!, isKnown: known),
        ]
        #expect(flood.allSatisfy { $0?.lane == .other } && asked.all.isEmpty, "the store is not asked while there is room")
        #expect(admission.admit(accountKey: "dave", address: IPAddress("203.0.113.3")!) == nil, "a new address waits")
        let alice = try #require(await admission.admit(accountKey: "alice", address: IPAddress("198.51.100.7")!, isKnown: known))
        #expect(alice.lane == .known && asked.all.count == 1)
        let again = try #require(await admission.admit(accountKey: "alice", address: IPAddress("198.51.100.7")!, isKnown: known))
        let third = await admission.admit(accountKey: "alice", address: IPAddress("198.51.100.8")!, isKnown: known)
        #expect(third == nil, "per account, in both lanes")
        #expect(admission.inFlight == 4)
        for permit in flood.compactMap({ $0 }) + [alice, again] { admission.release(permit) }
        #expect(admission.inFlight == 0)
        #expect(admission.admit(accountKey: "dave", address: IPAddress("203.0.113.3")!)?.lane == .other)
    }

    /// Through the engine: guesses from new addresses fill the other lane and are held there;
    /// alice, from the address her phone logged in from before, is admitted and allowed at
    /// once, while a login from an address she never used is told to try later.
    @Test func theOwnersDevicesGetInDuringAFlood() async throws {
        let admission = HashingAdmission(limits: .init(perAccount: 8, perAddress: 8, total: 2))
        // A thread to spare: this is about admission (the order of the queues is tested above).
        let fixture = try DecisionFixture(admission: admission, pool: HashingPool(size: 3))
        try fixture.allow()
        let phone = try fixture.issue("Phone").displayPassword
        #expect(try await fixture.decide(secret: phone, from: "198.51.100.7").isAllowed)
        // Each guess's hash takes 10 s: queued behind them, alice would wait at least that. The
        // margin (8 s) absorbs a full parallel test run starving this test's tasks for a while
        // (once 6 s on this 2-core machine, with every other suite running).
        fixture.mailboxHasher.slowDown(to: 10)
        let flood = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 1...2 {
                    group.addTask { _ = try? await fixture.decide("bob@example.com", secret: "wrong guess \(index)", from: "203.0.113.\(index)") }
                }
            }
        }
        while admission.inFlight < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: DecisionError.self) { try await fixture.decide(secret: phone, from: "198.51.100.99") }
        let started = Date()
        #expect(try await fixture.decide(secret: phone, from: "198.51.100.7").isAllowed)
        #expect(Date().timeIntervalSince(started) < 8, "not queued behind the guesses' slow hashes")
        await flood.value
    }
}
