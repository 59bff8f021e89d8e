import Foundation
import Testing
@testable import ClientPassCore

/// Hands out a fixed sequence and records every request, to prove where randomness comes from.
final class ScriptedRandom: RandomSource, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [UInt32]
    private(set) var requests: [UInt32] = []

    init(_ values: [UInt32]) { self.values = values }

    func uniform(_ upperBound: UInt32) -> UInt32 {
        lock.withLock {
            requests.append(upperBound)
            return values.removeFirst() % upperBound
        }
    }
}

@Suite struct AppPasswordGeneratorTests {
    @Test func takesEveryLetterFromTheRandomSourceUniformlyOver26() {
        let source = ScriptedRandom(Array(0..<16))
        let secret = AppPasswordGenerator(random: source).generate()
        #expect(source.requests == Array(repeating: 26, count: 16))
        #expect(AppPasswordGenerator.displayForm(of: secret) == "abcd efgh ijkl mnop")
    }

    @Test func productionSecretsAreSixteenLowercaseLettersInFourGroups() {
        let generator = AppPasswordGenerator()
        for _ in 0..<200 {
            let secret = generator.generate()
            #expect(secret.count == 16)
            let shown = AppPasswordGenerator.displayForm(of: secret)
            let groups = shown.split(separator: " ")
            #expect(groups.count == 4 && groups.allSatisfy { $0.count == 4 })
            #expect(shown.allSatisfy { $0 == " " || ("a"..."z").contains($0) })
        }
    }

    @Test func theDefaultSourceIsUniformAndNeverRepeats() {
        // 26 000 letters: each letter is expected 1 000 times; ±25 % is > 7 standard deviations.
        let generator = AppPasswordGenerator()
        var counts = [Character: Int]()
        var seen = Set<String>()
        for _ in 0..<1625 {
            let shown = AppPasswordGenerator.displayForm(of: generator.generate())
            seen.insert(shown)
            for letter in shown where letter != " " { counts[letter, default: 0] += 1 }
        }
        #expect(seen.count == 1625)
        #expect(counts.count == 26)
        #expect(counts.values.allSatisfy { (750...1250).contains($0) })
    }

    @Test(arguments: [
        ("abcd efgh ijkl mnop", "abcdefghijklmnop"),
        ("ABCDEFGHIJKLMNOP", "abcdefghijklmnop"),
        ("  abcd  EFGH ijkl mnop ", "abcdefghijklmnop"),
    ])
    func typedPasswordsIgnoreSpacesAndCase(typed: String, normalized: String) throws {
        let result = try #require(AppPasswordGenerator.normalize(Secret(typed)))
        #expect(result.withUnsafeBytes { Array($0) } == Array(normalized.utf8))
    }

    @Test(arguments: ["abcd efgh ijkl mno", "abcd efgh ijkl mnopq", "abcd-efgh-ijkl-mnop", "correct horse battery", "abcd efgh ijkl mnö", ""])
    func otherInputIsNotAnAppPassword(typed: String) {
        #expect(AppPasswordGenerator.normalize(Secret(typed)) == nil)
    }

    @Test func aSecretNeverPrintsItsBytes() {
        let secret = Secret("abcdefghijklmnop")
        #expect(!"\(secret)".contains("abcd"))
        #expect(!String(reflecting: secret).contains("abcd"))
    }
}
