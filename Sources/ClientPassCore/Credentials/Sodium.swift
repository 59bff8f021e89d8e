import CSodium

/// Process-wide access to libsodium: initialisation and the few primitives clientpass uses.
public enum Sodium {
    /// `sodium_init` must run before any other libsodium call; it is idempotent and thread-safe,
    /// and a static `let` runs it once.
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(initialized, "libsodium failed to initialise")
    }

    /// Overwrites memory in a way the compiler may not elide.
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// Uniform integer in `0..<upperBound` from libsodium's CSPRNG, without modulo bias.
    static func uniform(_ upperBound: UInt32) -> UInt32 {
        ensureInitialized()
        return randombytes_uniform(upperBound)
    }

    /// `count` bytes from libsodium's CSPRNG.
    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return bytes
    }

    /// Keyed BLAKE2b (`crypto_generichash`) of `message`, `outputLength` bytes long.
    static func keyedHash(_ message: UnsafeRawBufferPointer, key: [UInt8], outputLength: Int) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: outputLength)
        let status = out.withUnsafeMutableBytes { outBuffer in
            key.withUnsafeBytes { keyBuffer in
                crypto_generichash(
                    outBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), outputLength,
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                    keyBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count)
            }
        }
        precondition(status == 0, "crypto_generichash rejected its parameters")
        return out
    }

    /// `crypto_secretbox_easy` (XSalsa20-Poly1305) under `key` (32 bytes), with a fresh random
    /// nonce in front of the ciphertext.
    static func seal(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        ensureInitialized()
        precondition(key.count == Int(crypto_secretbox_KEYBYTES), "a secretbox key is 32 bytes")
        let nonceLength = Int(crypto_secretbox_NONCEBYTES)
        var sealed = randomBytes(nonceLength) + [UInt8](repeating: 0, count: message.count + Int(crypto_secretbox_MACBYTES))
        let status = sealed.withUnsafeMutableBytes { out in
            message.withUnsafeBytes { plain in
                key.withUnsafeBytes { keyBuffer in
                    let base = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    return crypto_secretbox_easy(
                        base + nonceLength, plain.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                        base, keyBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        precondition(status == 0, "crypto_secretbox_easy rejected its parameters")
        return sealed
    }

    /// What ``seal(_:key:)`` sealed, or `nil` when `sealed` was not sealed under `key` or has
    /// been changed.
    static func open(_ sealed: [UInt8], key: [UInt8]) -> [UInt8]? {
        ensureInitialized()
        let nonceLength = Int(crypto_secretbox_NONCEBYTES), macLength = Int(crypto_secretbox_MACBYTES)
        guard key.count == Int(crypto_secretbox_KEYBYTES), sealed.count >= nonceLength + macLength else { return nil }
        let length = sealed.count - nonceLength - macLength
        // One spare byte, so that an empty message still has an address to be written to.
        var message = [UInt8](repeating: 0, count: length + 1)
        let status = message.withUnsafeMutableBytes { out in
            sealed.withUnsafeBytes { input in
                key.withUnsafeBytes { keyBuffer in
                    let base = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    return crypto_secretbox_open_easy(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), base + nonceLength,
                        UInt64(sealed.count - nonceLength), base, keyBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return status == 0 ? Array(message.prefix(length)) : nil
    }

    /// Constant-time comparison of two equally long buffers.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in sodium_memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 }
        }
    }
}
