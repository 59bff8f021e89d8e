/// A source of uniformly distributed random integers.
public protocol RandomSource: Sendable {
    /// A uniformly distributed integer in `0..<upperBound`.
    func uniform(_ upperBound: UInt32) -> UInt32
}

/// libsodium's CSPRNG (`randombytes_uniform`): the only source production code uses.
public struct SodiumRandom: RandomSource {
    public init() {}
    public func uniform(_ upperBound: UInt32) -> UInt32 { Sodium.uniform(upperBound) }
}

/// Makes app passwords: 16 lowercase letters (≈ 75.2 bits), shown as four groups of four so a
/// person can type one on a phone.
public struct AppPasswordGenerator: Sendable {
    public static let length = 16
    public static let groupLength = 4
    public static let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)

    private let random: any RandomSource

    public init(random: any RandomSource = SodiumRandom()) {
        self.random = random
    }

    /// A new app password in its normalised form (16 lowercase letters, no spaces).
    public func generate() -> Secret {
        var letters = [UInt8](repeating: 0, count: Self.length)
        defer { letters.withUnsafeMutableBytes { Sodium.wipe($0) } }
        for index in letters.indices {
            letters[index] = Self.alphabet[Int(random.uniform(UInt32(Self.alphabet.count)))]
        }
        return Secret(bytes: letters)
    }

    /// The form shown to a person: `abcd efgh ijkl mnop`.
    public static func displayForm(of secret: Secret) -> String {
        secret.withUnsafeBytes { bytes in
            var text = ""
            for (index, byte) in bytes.enumerated() {
                if index > 0 && index % groupLength == 0 { text.append(" ") }
                text.append(Character(Unicode.Scalar(byte)))
            }
            return text
        }
    }

    /// The normalised form of what a person typed, if it can be an app password: spaces removed,
    /// letters lowercased, exactly 16 ASCII letters. Anything else (a mailbox password, most
    /// likely) gives `nil`.
    public static func normalize(_ typed: Secret) -> Secret? {
        typed.withUnsafeBytes { bytes -> Secret? in
            guard bytes.count <= 64 else { return nil }
            var letters = [UInt8]()
            letters.reserveCapacity(length)
            defer { letters.withUnsafeMutableBytes { Sodium.wipe($0) } }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: " "):
                    continue
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    letters.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    letters.append(byte + 32)
                default:
                    return nil
                }
            }
            return letters.count == length ? Secret(bytes: letters) : nil
        }
    }
}
