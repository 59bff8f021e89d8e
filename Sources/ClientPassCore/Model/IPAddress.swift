#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address, parsed and printed by the C library (`inet_pton`/`inet_ntop`).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses `1.2.3.4`, `2001:db8::1` or `::ffff:1.2.3.4`; `nil` for anything else.
    public init?(_ text: String) {
        if let v4 = Self.parse(text, family: AF_INET, size: 4) {
            bytes = v4
        } else if let v6 = Self.parse(text, family: AF_INET6, size: 16) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// `0.0.0.0`: no address (where a fact about the account does not depend on one).
    public static let unspecified = IPAddress(bytes: [0, 0, 0, 0])

    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16)
        self.bytes = bytes
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`), if this is one.
    public var unmappedIPv4: IPAddress? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else {
            return nil
        }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// The address as a client is: an IPv4-mapped IPv6 address is the IPv4 address it carries,
    /// so `::ffff:1.2.3.4` and `1.2.3.4` are one client for matching, throttling and audit.
    public var canonical: IPAddress { unmappedIPv4 ?? self }

    /// In 127.0.0.0/8 or ::1 (mapped addresses unmapped first): this host.
    public var isLoopback: Bool {
        let address = canonical
        return address.isIPv4 ? address.bytes[0] == 127 : address.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Whether a URL's host names this host: `localhost`, or a loopback address (an IPv6 one in
    /// brackets or not), where clear text never leaves the machine.
    public static func isLoopback(host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare.lowercased() == "localhost" || IPAddress(bare)?.isLoopback == true
    }

    /// What throttling counts failures by: an IPv4 address, or the /64 an IPv6 address is in
    /// (one subscriber usually has a whole /64, and could otherwise rotate through it).
    public var throttlingKey: String {
        let address = canonical
        guard !address.isIPv4 else { return address.description }
        return IPAddress(bytes: Array(address.bytes[0..<8]) + Array(repeating: 0, count: 8)).description + "/64"
    }

    public var description: String {
        let family = isIPv4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { raw in
            _ = inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: size)
        let status = out.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return status == 1 ? out : nil
    }
}
