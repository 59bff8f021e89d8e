/// A password held in memory that is wiped when the last reference goes away.
///
/// Swift strings cannot be wiped, so secrets travel as bytes from where they are read (a prompt,
/// standard input, a file descriptor, the generator) to where they are hashed. `description`
/// never shows the bytes, so a secret cannot reach a log or an error message by accident.
public final class Secret: @unchecked Sendable, CustomStringConvertible {
    // Immutable after init; the buffer is owned exclusively by this object.
    private let buffer: UnsafeMutableRawBufferPointer

    /// Copies `bytes` into wiped-on-release storage. The caller should wipe its own copy.
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        count = bytes.count
    }

    /// Copies the UTF-8 bytes of `string`. Only for secrets that already exist as strings
    /// (tests, demo data); readers of real input use ``init(bytes:)``.
    public convenience init(_ string: String) {
        self.init(bytes: Array(string.utf8))
    }

    deinit {
        Sodium.wipe(buffer)
        buffer.deallocate()
    }

    /// Length in bytes.
    public let count: Int

    public var isEmpty: Bool { count == 0 }

    /// Calls `body` with the secret's bytes; the pointer must not escape.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    public var description: String { "Secret(\(count) bytes)" }

    /// Wipes a caller's staging buffer (`sodium_memzero`, which the compiler cannot elide).
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.wipe(buffer)
    }
}
