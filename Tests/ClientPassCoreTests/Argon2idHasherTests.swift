import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore

@Suite struct Argon2idHasherTests {
    let hasher = Argon2idHasher(parameters: cheapHashing.appPassword)

    @Test func verifiesTheRightSecretOnly() throws {
        let hash = try hasher.hash(Secret("abcdefghijklmnop"))
        #expect(hash.hasPrefix("$argon2id$v=19$m=8,t=1,"))
        #expect(try hasher.verify(Secret("abcdefghijklmnop"), against: hash))
        #expect(try !hasher.verify(Secret("abcdefghijklmnoq"), against: hash))
        #expect(try !hasher.verify(Secret(""), against: hash))
    }

    @Test func saltsEveryHash() throws {
        let secret = Secret("abcdefghijklmnop")
        #expect(try hasher.hash(secret) != hasher.hash(secret))
    }

    @Test func rejectsMalformedAndNonArgon2idHashes() throws {
        #expect(try !hasher.verify(Secret("x"), against: ""))
        #expect(try !hasher.verify(Secret("x"), against: "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"))
        #expect(try !hasher.verify(Secret("x"), against: "$2b$10$abcdefghijklmnopqrstuv"))
    }

    @Test func aDamagedHashIsAnErrorNotAMismatch() {
        #expect(throws: HashingError.self) { try hasher.verify(Secret("x"), against: "$argon2id$v=19$m=8,t=1,p=1$bad") }
    }

    @Test func asksForARehashWhenParametersChange() throws {
        let weak = try hasher.hash(Secret("abcdefghijklmnop"))
        #expect(!hasher.needsRehash(weak))
        #expect(Argon2idHasher(parameters: Argon2idParameters(iterations: 2, memoryKiB: 8)).needsRehash(weak))
    }

    /// The one test at production cost: the floors of DESIGN.md reach the stored string.
    @Test func productionParametersMeetTheFloors() throws {
        #expect(HashingConfiguration.standard.appPassword == Argon2idParameters(iterations: 2, memoryKiB: 19 * 1024))
        #expect(HashingConfiguration.standard.mailboxPassword == Argon2idParameters(iterations: 2, memoryKiB: 64 * 1024))
        let app = Argon2idHasher(parameters: .appPasswordFloor)
        let appHash = try app.hash(Secret("abcdefghijklmnop"))
        #expect(appHash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(try app.verify(Secret("abcdefghijklmnop"), against: appHash))
        let mailbox = Argon2idHasher(parameters: .mailboxPasswordFloor)
        let mailboxHash = try mailbox.hash(Secret(alicePassword))
        #expect(mailboxHash.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"))
        #expect(try mailbox.verify(Secret(alicePassword), against: mailboxHash))
        #expect(mailbox.needsRehash(appHash))
    }
}
