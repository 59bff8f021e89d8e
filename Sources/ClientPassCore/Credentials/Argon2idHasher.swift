import CSodium
import Foundation

/// The cost of one Argon2id evaluation.
public struct Argon2idParameters: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Passes over memory (libsodium's `opslimit`).
    public var iterations: Int
    /// Memory in KiB (libsodium's `memlimit` divided by 1024).
    public var memoryKiB: Int

    public init(iterations: Int, memoryKiB: Int) {
        self.iterations = iterations
        self.memoryKiB = memoryKiB
    }

    /// OWASP's floor for Argon2id (t=2, 19 MiB): enough for random app passwords of ≥ 75 bits.
    public static let appPasswordFloor = Argon2idParameters(iterations: 2, memoryKiB: 19 * 1024)

    /// libsodium's INTERACTIVE level (t=2, 64 MiB): the floor for human-chosen mailbox passwords.
    public static let mailboxPasswordFloor = Argon2idParameters(
        iterations: Int(crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE),
        memoryKiB: Int(crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) / 1024)

    /// Whether these parameters cost at least as much as `floor` in both time and memory.
    public func isAtLeast(_ floor: Argon2idParameters) -> Bool {
        iterations >= floor.iterations && memoryKiB >= floor.memoryKiB
    }

    public var description: String { "t=\(iterations), m=\(memoryKiB) KiB" }
}

/// Argon2id (v1.3) through libsodium's `crypto_pwhash_str` family.
public struct Argon2idHasher: PasswordHasher {
    public let parameters: Argon2idParameters

    public init(parameters: Argon2idParameters) {
        Sodium.ensureInitialized()
        self.parameters = parameters
    }

    private var opsLimit: UInt64 { UInt64(parameters.iterations) }
    private var memLimit: Int { parameters.memoryKiB * 1024 }

    public func hash(_ secret: Secret) throws -> String {
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let status = secret.withUnsafeBytes { bytes in
            crypto_pwhash_str_alg(
                &output,
                bytes.baseAddress!.assumingMemoryBound(to: CChar.self),
                UInt64(bytes.count), opsLimit, memLimit, crypto_pwhash_ALG_ARGON2ID13)
        }
        guard status == 0 else {
            throw HashingError(description: "could not compute an Argon2id hash at \(parameters) (out of memory?)")
        }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func verify(_ secret: Secret, against storedHash: String) throws -> Bool {
        // Only Argon2id hashes count: libsodium would also accept Argon2i strings.
        guard storedHash.hasPrefix("$argon2id$") else { return false }
        // crypto_pwhash_str_verify answers -1 (errno EINVAL) both for a wrong password and for a
        // check that could not run (no memory), so the digest is recomputed with crypto_pwhash,
        // whose -1 can only mean failure, and compared in constant time.
        return try EncodedArgon2(parsing: storedHash, algorithm: .argon2id).verify(secret)
    }

    public func needsRehash(_ storedHash: String) -> Bool {
        crypto_pwhash_str_needs_rehash(storedHash, opsLimit, memLimit) != 0
    }
}

/// The two Argon2id settings clientpass uses: one for app passwords, one for mailbox passwords.
public struct HashingConfiguration: Sendable, Hashable {
    public var appPassword: Argon2idParameters
    public var mailboxPassword: Argon2idParameters

    public init(
        appPassword: Argon2idParameters = .appPasswordFloor,
        mailboxPassword: Argon2idParameters = .mailboxPasswordFloor
    ) {
        self.appPassword = appPassword
        self.mailboxPassword = mailboxPassword
    }

    /// The production defaults of DESIGN.md.
    public static let standard = HashingConfiguration()
}

/// The parts of an encoded Argon2 hash: `$argon2id$v=19$m=65536,t=2,p=1$<salt>$<digest>`.
struct EncodedArgon2 {
    enum Algorithm: String {
        case argon2id, argon2i

        var sodiumIdentifier: Int32 {
            switch self {
            case .argon2id: crypto_pwhash_ALG_ARGON2ID13
            case .argon2i: crypto_pwhash_ALG_ARGON2I13
            }
        }
    }

    let algorithm: Algorithm
    let iterations: Int
    let memoryKiB: Int
    let salt: [UInt8]
    let digest: [UInt8]

    /// - Throws: ``HashingError`` for anything but a well-formed Argon2 v1.3 hash of
    ///   `algorithm` with parallelism 1 and a 16-byte salt (all libsodium makes and checks).
    init(parsing encoded: String, algorithm: Algorithm) throws {
        func damaged() -> HashingError { HashingError(description: "a stored \(algorithm == .argon2id ? "Argon2id" : "Argon2i") hash is damaged") }
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == algorithm.rawValue, parts[2] == "v=19" else { throw damaged() }
        var values: [Substring: Int] = [:]
        for field in parts[3].split(separator: ",") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]), value > 0 else { throw damaged() }
            values[pair[0]] = value
        }
        guard let memory = values["m"], let iterations = values["t"], values["p"] == 1, values.count == 3,
            let salt = Self.decode(parts[4]), let digest = Self.decode(parts[5]),
            salt.count == Int(crypto_pwhash_SALTBYTES), digest.count >= 16, digest.count <= 64,
            memory <= Int(crypto_pwhash_argon2id_memlimit_max() / 1024), iterations <= 1_000
        else {
            throw damaged()
        }
        self.algorithm = algorithm
        self.iterations = iterations
        self.memoryKiB = memory
        self.salt = salt
        self.digest = digest
    }

    /// Whether `secret` gives this digest: the digest recomputed with `crypto_pwhash`, whose -1
    /// can only mean that the check could not run, and compared in constant time.
    func verify(_ secret: Secret) throws -> Bool {
        var computed = [UInt8](repeating: 0, count: digest.count)
        defer { computed.withUnsafeMutableBytes { Sodium.wipe($0) } }
        let status = secret.withUnsafeBytes { bytes in
            salt.withUnsafeBytes { salt in
                crypto_pwhash(
                    &computed, UInt64(computed.count),
                    bytes.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(bytes.count),
                    salt.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    UInt64(iterations), memoryKiB * 1024, algorithm.sodiumIdentifier)
            }
        }
        guard status == 0 else {
            throw HashingError(
                description:
                    "could not verify an \(algorithm == .argon2id ? "Argon2id" : "Argon2i") hash: \(memoryKiB) KiB could not be allocated (is the process's address space limited?)"
            )
        }
        return Sodium.constantTimeEquals(computed, digest)
    }

    /// Standard base64 without padding, as Argon2's encoding writes it.
    private static func decode(_ text: Substring) -> [UInt8]? {
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map(Array.init)
    }
}
