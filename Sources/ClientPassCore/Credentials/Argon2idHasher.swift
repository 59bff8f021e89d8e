import CSodium
#if canImport(Glibc)
import Glibc
#endif

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
        errno = 0
        let status = secret.withUnsafeBytes { bytes in
            crypto_pwhash_str_verify(
                storedHash,
                bytes.baseAddress!.assumingMemoryBound(to: CChar.self),
                UInt64(bytes.count))
        }
        if status == 0 { return true }
        // libsodium sets EINVAL for a mismatch; anything else means the check did not run to the
        // end (for example, the Argon2id memory could not be allocated).
        if errno == EINVAL { return false }
        throw HashingError(description: "could not verify an Argon2id hash (\(String(cString: strerror(errno == 0 ? ENOMEM : errno))); the hash may be damaged, or the process is short of memory (it needs \(parameters(of: storedHash) ?? "its") memory)")
    }

    /// `m=65536 KiB` from a stored hash, for messages.
    private func parameters(of storedHash: String) -> String? {
        guard let memory = storedHash.split(separator: "$").dropFirst(2).first?.split(separator: ",").first,
              memory.hasPrefix("m=") else { return nil }
        return memory.dropFirst(2) + " KiB"
    }

    public func needsRehash(_ storedHash: String) -> Bool {
        crypto_pwhash_str_needs_rehash(storedHash, opsLimit, memLimit) != 0
    }
}

/// The two Argon2id settings clientpass uses: one for app passwords, one for mailbox passwords.
public struct HashingConfiguration: Sendable, Hashable {
    public var appPassword: Argon2idParameters
    public var mailboxPassword: Argon2idParameters

    public init(appPassword: Argon2idParameters = .appPasswordFloor,
                mailboxPassword: Argon2idParameters = .mailboxPasswordFloor) {
        self.appPassword = appPassword
        self.mailboxPassword = mailboxPassword
    }

    /// The production defaults of DESIGN.md.
    public static let standard = HashingConfiguration()
}
