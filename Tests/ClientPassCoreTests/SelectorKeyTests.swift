import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore

@Suite struct SelectorKeyTests {
    @Test func aSelectorIsTwelveHexDigitsThatDependOnSecretAndKey() {
        let key = SelectorKey.generate()
        let secret = Secret("abcdefghijklmnop")
        let selector = key.selector(for: secret)
        #expect(selector.count == 12)
        #expect(selector.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(key.selector(for: Secret("abcdefghijklmnop")) == selector)
        #expect(key.selector(for: Secret("abcdefghijklmnoq")) != selector)
        #expect(SelectorKey.generate().selector(for: secret) != selector)
    }

    @Test func aKeyOfTheWrongLengthIsRefused() {
        #expect(throws: StoreError.self) { try SelectorKey(bytes: [1, 2, 3]) }
    }

    /// The point of the selector: a typed secret leads to exactly one stored hash, its own,
    /// among 25 app passwords of one account, and a wrong secret to none.
    @Test func aLoginFindsExactlyOneCandidateAmong25() throws {
        let fixture = try Fixture()
        let generated = try (1...25).map { try fixture.generate("Device \($0)") }
        let stored = try fixture.store.appPasswords(ofAccount: fixture.alice.id)
        #expect(stored.count == 25)
        let key = try fixture.store.selectorKey()
        let hasher = Argon2idHasher(parameters: cheapHashing.appPassword)
        for password in generated {
            let typed = try #require(AppPasswordGenerator.normalize(Secret(password.displayPassword.uppercased())))
            let candidates = stored.filter { $0.selector == key.selector(for: typed) }
            #expect(candidates.map(\.id) == [password.appPassword.id])
            #expect(try hasher.verify(typed, against: candidates[0].hash))
        }
        let wrong = AppPasswordGenerator().generate()
        #expect(stored.filter { $0.selector == key.selector(for: wrong) }.isEmpty)
    }

    @Test func eachStoreHasItsOwnKey() throws {
        #expect(try SQLiteStore.makeInMemory().selectorKey() != SQLiteStore.makeInMemory().selectorKey())
    }
}
