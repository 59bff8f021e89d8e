import Foundation
import Testing
@testable import ClientPassCore

@Suite struct RandomTokenTests {
    /// What is sealed under a token opens with that token only, and not once a byte has changed;
    /// the sealed bytes hold nothing of the plain text, and the digest a store keeps is no key.
    @Test func sealedDataOpensWithItsTokenOnly() throws {
        let token = RandomToken.make(), other = RandomToken.make()
        let profile = Data("<string>abcd efgh ijkl mnop</string>".utf8)
        let sealed = RandomToken.seal(profile, under: token)
        #expect(RandomToken.open(sealed, under: token) == profile)
        #expect(RandomToken.open(sealed, under: other) == nil)
        #expect(RandomToken.open(sealed, under: RandomToken.storedDigest(of: token)) == nil)
        #expect(sealed.range(of: Data("abcd efgh".utf8)) == nil)
        #expect(RandomToken.seal(profile, under: token) != sealed, "a fresh nonce each time")
        for index in [0, 30, sealed.count - 1] {
            var changed = sealed
            changed[index] ^= 0x01
            #expect(RandomToken.open(changed, under: token) == nil, "byte \(index)")
        }
        #expect(RandomToken.open(sealed.prefix(39), under: token) == nil, "too short")
        #expect(RandomToken.open(RandomToken.seal(Data(), under: token), under: token) == Data())
    }
}
