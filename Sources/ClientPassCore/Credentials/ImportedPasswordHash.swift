import CCrypt
import COpenSSL
import CSodium
import Foundation

/// A mailbox password hash brought from a mail server's password database by
/// `admin account import`, in Dovecot's `{SCHEME}hash` form. It is checked as it is until the
/// account's first successful login, which replaces it with clientpass's own Argon2id hash.
///
/// Dovecot's `{ARGON2ID}` hashes need no such form: they are libsodium's own strings, and an
/// import keeps them as native hashes (see ``ImportedMailboxHash``).
public struct ImportedPasswordHash: Sendable, Hashable {
    /// The schemes clientpass checks; Dovecot's names.
    public enum Scheme: String, Sendable, CaseIterable {
        case sha512Crypt = "SHA512-CRYPT"
        case sha256Crypt = "SHA256-CRYPT"
        case blfCrypt = "BLF-CRYPT"
        case argon2i = "ARGON2I"
        case md5Crypt = "MD5-CRYPT"
        case desCrypt = "DES-CRYPT"
        /// One salted digest, base64 of the digest then the salt: OpenLDAP's `userPassword` and
        /// iRedMail's default (SSHA512).
        case ssha512 = "SSHA512"
        case ssha256 = "SSHA256"
        case ssha = "SSHA"
        case smd5 = "SMD5"
        case plain = "PLAIN"

        /// Plain text, or a hash an ordinary computer reverses for common passwords in hours
        /// (one salted digest is cheaper still than MD5-crypt's thousand): imported only with
        /// `--allow-weak`, and flagged until rehashed.
        public var isWeak: Bool {
            switch self {
            case .md5Crypt, .desCrypt, .plain, .ssha512, .ssha256, .ssha, .smd5: true
            case .sha512Crypt, .sha256Crypt, .blfCrypt, .argon2i: false
            }
        }

        /// The digest of a salted-digest scheme, and its length in bytes.
        var saltedDigest: (algorithm: OpaquePointer, length: Int)? {
            switch self {
            case .ssha512: (EVP_sha512(), 64)
            case .ssha256: (EVP_sha256(), 32)
            case .ssha: (EVP_sha1(), 20)
            case .smd5: (EVP_md5(), 16)
            default: nil
            }
        }
    }

    /// The most salt a salted digest may have (Dovecot and OpenLDAP write 4 to 8 bytes).
    static let maximumSaltBytes = 64

    public let scheme: Scheme
    /// What follows `{SCHEME}`.
    let value: String

    /// The form the store keeps: `{SCHEME}value`, with the scheme's canonical name.
    public var stored: String { "{\(scheme.rawValue)}\(value)" }

    /// The most work an imported hash may ask for, so that a hash in a file (or a damaged store)
    /// cannot make one login cost minutes: bcrypt cost 14 (about a second), 1,000,000 SHA-crypt
    /// rounds, Argon2i at 256 MiB and 32 passes.
    static let maximumBcryptCost = 14
    static let maximumShaCryptRounds = 1_000_000
    static let maximumArgon2MemoryKiB = 256 * 1024
    static let maximumArgon2Iterations = 32

    /// Parses a stored `{SCHEME}hash` (the store's own form, already checked at import).
    /// - Throws: ``ImportedHashError`` when it is not one clientpass checks.
    public init(parsing text: String) throws(ImportedHashError) {
        guard text.hasPrefix("{"), let close = text.firstIndex(of: "}") else { throw .noScheme }
        let name = text[text.index(after: text.startIndex)..<close].uppercased()
        let value = String(text[text.index(after: close)...])
        guard value.utf8.count <= 1_024 else { throw .malformed(name, "longer than 1,024 bytes") }
        let scheme: Scheme
        switch name {
        case "SHA512-CRYPT": scheme = .sha512Crypt
        case "SHA256-CRYPT": scheme = .sha256Crypt
        case "BLF-CRYPT": scheme = .blfCrypt
        case "ARGON2I": scheme = .argon2i
        case "MD5", "MD5-CRYPT": scheme = .md5Crypt
        case "DES-CRYPT": scheme = .desCrypt
        case "SSHA512": scheme = .ssha512
        case "SSHA256": scheme = .ssha256
        case "SSHA": scheme = .ssha
        case "SMD5": scheme = .smd5
        case "PLAIN", "CLEAR", "CLEARTEXT": scheme = .plain
        case "CRYPT":
            // What the system's crypt() reads: named by the hash's own prefix.
            guard let detected = Self.cryptScheme(of: value) else {
                throw .malformed(name, "not a hash crypt() reads ($6$, $5$, $2y$, $1$ or DES)")
            }
            scheme = detected
        case "ARGON2ID":
            throw .malformed(name, "an {ARGON2ID} hash is kept as clientpass's own (ImportedMailboxHash)")
        default:
            throw .unsupported(name)
        }
        self.scheme = scheme
        self.value = value
        try validate(name)
    }

    private static func cryptScheme(of value: String) -> Scheme? {
        if value.hasPrefix("$6$") { return .sha512Crypt }
        if value.hasPrefix("$5$") { return .sha256Crypt }
        if value.hasPrefix("$2a$") || value.hasPrefix("$2b$") || value.hasPrefix("$2y$") { return .blfCrypt }
        if value.hasPrefix("$1$") { return .md5Crypt }
        if value.utf8.count == 13, !value.hasPrefix("$") { return .desCrypt }
        return nil
    }

    /// The hash is one this scheme makes, understood by libxcrypt or libsodium, and within the
    /// cost limits.
    private func validate(_ name: String) throws(ImportedHashError) {
        switch scheme {
        case .plain:
            guard !value.isEmpty else { throw .malformed(name, "an empty password") }
            return
        case .argon2i:
            let encoded: EncodedArgon2
            do { encoded = try EncodedArgon2(parsing: value, algorithm: .argon2i) } catch {
                throw .malformed(name, "not an Argon2i v1.3 hash with parallelism 1 and a 16-byte salt")
            }
            guard encoded.iterations >= Int(crypto_pwhash_argon2i_OPSLIMIT_MIN) else {
                throw .malformed(name, "fewer than \(crypto_pwhash_argon2i_OPSLIMIT_MIN) passes")
            }
            guard encoded.memoryKiB <= Self.maximumArgon2MemoryKiB, encoded.iterations <= Self.maximumArgon2Iterations else {
                throw .tooCostly(name, "more than \(Self.maximumArgon2MemoryKiB / 1024) MiB or \(Self.maximumArgon2Iterations) passes")
            }
            return
        case .ssha512, .ssha256, .ssha, .smd5:
            guard let decoded = Data(base64Encoded: value), let digest = scheme.saltedDigest else {
                throw .malformed(name, "not base64 (Dovecot's and OpenLDAP's form: the digest, then the salt)")
            }
            guard decoded.count > digest.length, decoded.count <= digest.length + Self.maximumSaltBytes else {
                throw .malformed(name, "\(decoded.count) bytes, where a \(digest.length)-byte digest and 1 to \(Self.maximumSaltBytes) bytes of salt belong")
            }
            return
        case .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .desCrypt:
            break
        }
        guard Self.cryptScheme(of: value) == scheme else {
            throw .malformed(name, "its prefix is not that of \(scheme.rawValue)")
        }
        guard value.utf8.allSatisfy({ Self.cryptCharacters.contains($0) }) else {
            throw .malformed(name, "it has characters no crypt() hash has")
        }
        let check = crypt_checksalt(value)
        guard check == CRYPT_SALT_OK || check == CRYPT_SALT_METHOD_LEGACY else {
            throw .malformed(name, "libxcrypt does not read it (crypt_checksalt \(check))")
        }
        // crypt_checksalt reads the setting only: a hash cut short, or a bare setting, would be
        // accepted there and then never match any password.
        guard Self.hasWholeDigest(value, scheme) else {
            throw .malformed(name, "its digest is missing or cut short")
        }
        switch scheme {
        case .blfCrypt:
            // $2y$NN$: the cost is a base-2 logarithm.
            let cost = value.split(separator: "$", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
            guard let cost, cost <= Self.maximumBcryptCost else {
                throw .tooCostly(name, "a bcrypt cost over \(Self.maximumBcryptCost)")
            }
        case .sha512Crypt, .sha256Crypt:
            let fields = value.split(separator: "$", omittingEmptySubsequences: true)
            if fields.count > 1, fields[1].hasPrefix("rounds=") {
                guard let rounds = Int(fields[1].dropFirst("rounds=".count)), rounds <= Self.maximumShaCryptRounds else {
                    throw .tooCostly(name, "more than \(Self.maximumShaCryptRounds) rounds")
                }
            }
        default:
            break
        }
    }

    /// Whether the digest after the setting has the length crypt() writes for the scheme:
    /// 86 characters for SHA512-crypt, 43 for SHA256-crypt, 22 for MD5-crypt, 60 for the whole of
    /// a bcrypt hash, 13 for DES.
    private static func hasWholeDigest(_ value: String, _ scheme: Scheme) -> Bool {
        let digest = value.split(separator: "$", omittingEmptySubsequences: false).last ?? ""
        switch scheme {
        case .sha512Crypt: return digest.count == 86
        case .sha256Crypt: return digest.count == 43
        case .md5Crypt: return digest.count == 22
        case .blfCrypt: return value.count == 60
        case .desCrypt: return value.count == 13
        case .argon2i, .plain, .ssha512, .ssha256, .ssha, .smd5: return true
        }
    }

    private static let cryptCharacters = Set("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$=,".utf8)

    /// Whether `secret` is the password this hash was made from.
    /// - Throws: ``HashingError`` when the check could not be made (out of memory, a hash the
    ///   library no longer reads): never a match, never a wrong password.
    public func verify(_ secret: Secret) throws -> Bool {
        switch scheme {
        case .plain:
            // Compared through a hash, so that the time says nothing about the length.
            let key = Sodium.randomBytes(32)
            let stored = Array(value.utf8).withUnsafeBytes { Sodium.keyedHash($0, key: key, outputLength: 32) }
            return secret.withUnsafeBytes { Sodium.constantTimeEquals(Sodium.keyedHash($0, key: key, outputLength: 32), stored) }
        case .argon2i:
            let encoded = try EncodedArgon2(parsing: value, algorithm: .argon2i)
            return try encoded.verify(secret)
        case .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .desCrypt:
            return try verifyWithCrypt(secret)
        case .ssha512, .ssha256, .ssha, .smd5:
            return try verifySaltedDigest(secret)
        }
    }

    /// The digest of the secret then the salt, against the stored digest.
    private func verifySaltedDigest(_ secret: Secret) throws -> Bool {
        guard let decoded = Data(base64Encoded: value), let digest = scheme.saltedDigest, decoded.count > digest.length else {
            throw HashingError(description: "could not read an imported \(scheme.rawValue) hash")
        }
        let stored = Array(decoded.prefix(digest.length))
        let salt = Array(decoded.dropFirst(digest.length))
        var input = [UInt8](repeating: 0, count: secret.count + salt.count)
        defer { input.withUnsafeMutableBytes { Sodium.wipe($0) } }
        secret.withUnsafeBytes { bytes in input.withUnsafeMutableBytes { $0.copyMemory(from: bytes) } }
        input.replaceSubrange(secret.count..., with: salt)
        var computed = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(input, input.count, &computed, &length, digest.algorithm, nil) == 1, Int(length) == digest.length else {
            throw HashingError(description: "could not check an imported \(scheme.rawValue) hash (OpenSSL's digest failed)")
        }
        return Sodium.constantTimeEquals(Array(computed.prefix(digest.length)), stored)
    }

    private func verifyWithCrypt(_ secret: Secret) throws -> Bool {
        // crypt() reads a C string: a secret with a NUL byte would be cut there and could match
        // the hash of its first part.
        guard secret.withUnsafeBytes({ !$0.contains(0) }) else { return false }
        let phrase = UnsafeMutableRawBufferPointer.allocate(byteCount: secret.count + 1, alignment: 1)
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            Sodium.wipe(phrase)
            phrase.deallocate()
            Sodium.wipe(UnsafeMutableRawBufferPointer(start: data, count: MemoryLayout<crypt_data>.size))
            data.deallocate()
        }
        secret.withUnsafeBytes { phrase.copyMemory(from: $0) }
        phrase[secret.count] = 0
        UnsafeMutableRawBufferPointer(start: data, count: MemoryLayout<crypt_data>.size).initializeMemory(as: UInt8.self, repeating: 0)
        guard let result = crypt_r(phrase.baseAddress!.assumingMemoryBound(to: CChar.self), value, data), result.pointee != 0x2A /* "*" */ else {
            throw HashingError(description: "could not check an imported \(scheme.rawValue) hash (out of memory, or a hash libxcrypt no longer reads)")
        }
        let computed = UnsafeRawBufferPointer(start: result, count: strlen(result))
        let stored = Array(value.utf8)
        guard computed.count == stored.count else { return false }
        return stored.withUnsafeBytes { Sodium.constantTimeEquals(Array(computed), Array($0)) }
    }
}

/// Why a `{SCHEME}hash` cannot be imported.
public enum ImportedHashError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `{SCHEME}` in front of the hash.
    case noScheme
    case unsupported(String)
    case malformed(String, String)
    case tooCostly(String, String)

    /// Dovecot's scheme names: `SSHA512`, `PLAIN-MD5`, `SHA512-CRYPT.B64`.
    static func looksLikeScheme(_ name: String) -> Bool {
        (1...24).contains(name.count) && name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    public var description: String {
        switch self {
        case .noScheme:
            "no {SCHEME} in front of the hash (Dovecot's form, e.g. {SHA512-CRYPT}$6$…)"
        case .unsupported(let name):
            // Shown only when it looks like a scheme's name: braces in a password are no scheme.
            "\(Self.looksLikeScheme(name) ? "{\(name)}" : "the text in braces") is not a scheme clientpass checks (it checks \(ImportedMailboxHash.supportedSchemes))"
        case .malformed(let name, let why):
            "a malformed {\(Untrusted.escaped(name))} hash: \(why)"
        case .tooCostly(let name, let why):
            "a {\(Untrusted.escaped(name))} hash that costs too much to check: \(why)"
        }
    }
}

/// A mailbox password hash as an import reads it: either one of Dovecot's `{ARGON2ID}` hashes,
/// kept as clientpass's own Argon2id hash (it is one), or another scheme, kept as an
/// ``ImportedPasswordHash``.
public enum ImportedMailboxHash: Sendable, Hashable {
    case argon2id(String)
    case imported(ImportedPasswordHash)

    /// The schemes an import takes, as the errors and the help name them.
    public static let supportedSchemes =
        "{SHA512-CRYPT}, {SHA256-CRYPT}, {BLF-CRYPT}, {ARGON2ID}, {ARGON2I}, "
        + "and with --allow-weak {MD5-CRYPT} (or {MD5}), {DES-CRYPT}, {CRYPT}, {SSHA512}, {SSHA256}, {SSHA}, {SMD5} and {PLAIN}"

    public init(parsing text: String) throws(ImportedHashError) {
        if text.uppercased().hasPrefix("{ARGON2ID}") {
            let value = String(text.dropFirst("{ARGON2ID}".count))
            let encoded: EncodedArgon2
            do { encoded = try EncodedArgon2(parsing: value, algorithm: .argon2id) } catch {
                throw .malformed("ARGON2ID", "not an Argon2id v1.3 hash with parallelism 1 and a 16-byte salt")
            }
            guard encoded.memoryKiB <= ImportedPasswordHash.maximumArgon2MemoryKiB,
                encoded.iterations <= ImportedPasswordHash.maximumArgon2Iterations
            else {
                throw .tooCostly(
                    "ARGON2ID", "more than \(ImportedPasswordHash.maximumArgon2MemoryKiB / 1024) MiB or \(ImportedPasswordHash.maximumArgon2Iterations) passes")
            }
            self = .argon2id(value)
        } else {
            self = .imported(try ImportedPasswordHash(parsing: text))
        }
    }

    /// What the store keeps as the account's mailbox password hash.
    public var stored: String {
        switch self {
        case .argon2id(let value): value
        case .imported(let hash): hash.stored
        }
    }

    /// The scheme's name as Dovecot writes it.
    public var schemeName: String {
        switch self {
        case .argon2id: "ARGON2ID"
        case .imported(let hash): hash.scheme.rawValue
        }
    }

    public var isWeak: Bool {
        if case .imported(let hash) = self { return hash.scheme.isWeak }
        return false
    }

    /// The most memory an imported Argon2 hash may need without `--allow-costly`: checkpassword
    /// runs under Dovecot's default 256 MiB address-space limit, which the program itself
    /// shares, and every check takes that much memory on a hashing thread.
    public static let deployableArgon2MemoryKiB = 128 * 1024
    /// The most work (memory × passes) without `--allow-costly`: 512 MiB-passes, a few tenths of
    /// a second per login on one core.
    public static let deployableArgon2Work = 512 * 1024

    /// Why the documented deployments cannot check this hash at every login, or `nil`. Only
    /// Argon2 hashes can be too big for them; the absolute limits (``ImportedPasswordHash``)
    /// hold even with `--allow-costly`.
    public var costBeyondDeployments: String? {
        let cost: EncodedArgon2?
        switch self {
        case .argon2id(let value): cost = try? EncodedArgon2(parsing: value, algorithm: .argon2id)
        case .imported(let hash) where hash.scheme == .argon2i: cost = try? EncodedArgon2(parsing: hash.value, algorithm: .argon2i)
        case .imported: cost = nil
        }
        guard let cost else { return nil }
        let mebibytes = cost.memoryKiB / 1024
        if cost.memoryKiB > Self.deployableArgon2MemoryKiB {
            return "a {\(schemeName)} hash that needs \(mebibytes) MiB to check, more than the \(Self.deployableArgon2MemoryKiB / 1024) MiB "
                + "that fit beside checkpassword under Dovecot's default 256 MiB address-space limit (--allow-costly imports it anyway)"
        }
        if cost.memoryKiB * cost.iterations > Self.deployableArgon2Work {
            return "a {\(schemeName)} hash of \(cost.iterations) passes over \(mebibytes) MiB: more than \(Self.deployableArgon2Work / 1024) MiB-passes "
                + "of work at every check until the first login rehashes it (--allow-costly imports it anyway)"
        }
        return nil
    }
}
