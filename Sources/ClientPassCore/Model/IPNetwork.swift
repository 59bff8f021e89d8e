import Foundation

/// An IPv4 or IPv6 network in CIDR form (`10.0.3.0/24`, `2001:db8::/32`); a bare address is a
/// network of one address.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address: all host bits are zero.
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`.
    /// - Throws: ``InputError`` for a malformed address or prefix, and for host bits set after the
    ///   prefix, with the corrected network in the message ("did you mean 1.1.1.0/24?").
    public init(parsing text: String) throws {
        try self.init(parsing: text, allowingIPv4Mapped: false)
    }

    /// - Parameter allowingIPv4Mapped: accept an IPv4-mapped network as it is: only for networks
    ///   stored by clientpass before such networks were refused, which keep deciding as they did
    ///   (they match nothing).
    init(parsing text: String, allowingIPv4Mapped: Bool) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        guard !addressText.isEmpty else {
            throw InputError("\(Quoted(text)) is not a network: write an address such as 10.0.3.0/24 or 2001:db8::/32")
        }
        guard let address = IPAddress(addressText) else {
            throw InputError("\(Quoted(addressText)) is not an IPv4 or IPv6 address (examples: 203.0.113.7, 10.0.3.0/24, 2001:db8::/32)")
        }
        let maximum = address.isIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            let prefixText = parts[1]
            guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(prefixText), value <= maximum
            else {
                throw InputError(
                    "\(Quoted(text)) has an invalid prefix length \"/\(prefixText)\": an \(address.isIPv4 ? "IPv4" : "IPv6") prefix is a number from 0 to \(maximum)"
                )
            }
            prefix = value
        }
        // Logins from IPv4-mapped addresses are decided as the IPv4 address they carry, so an
        // IPv4-mapped network would never match anything: ask for the IPv4 form.
        if !allowingIPv4Mapped, let mapped = address.unmappedIPv4, prefix >= 96 {
            let ipv4 = IPNetwork(address: Self.mask(mapped, prefixLength: prefix - 96), prefixLength: prefix - 96)
            throw InputError(
                "\(Quoted(trimmed)) is an IPv4-mapped IPv6 network, which no login ever comes from (they are matched as IPv4): did you mean \(ipv4)?")
        }
        let masked = Self.mask(address, prefixLength: prefix)
        guard masked == address else {
            let corrected = IPNetwork(address: masked, prefixLength: prefix)
            throw InputError("\(Quoted(trimmed)) has host bits set after the /\(prefix) prefix: did you mean \(corrected)?")
        }
        self.address = address
        self.prefixLength = prefix
    }

    private init(address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses a comma-separated list of networks.
    /// - Throws: ``InputError`` for an empty list or any bad entry.
    public static func parseList(_ text: String) throws -> [IPNetwork] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("the network list is empty: give one or more addresses or CIDR ranges, separated by commas")
        }
        var networks: [IPNetwork] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw InputError("the network list \(Quoted(text)) has an empty entry: separate networks with single commas")
            }
            let network = try IPNetwork(parsing: String(part))
            if !networks.contains(network) { networks.append(network) }
        }
        return networks
    }

    /// Whether `candidate` lies in this network. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`)
    /// matches IPv4 networks as the IPv4 address it carries.
    public func contains(_ candidate: IPAddress) -> Bool {
        var candidate = candidate
        if address.isIPv4, let unmapped = candidate.unmappedIPv4 {
            candidate = unmapped
        }
        guard candidate.bytes.count == address.bytes.count else { return false }
        return Self.mask(candidate, prefixLength: prefixLength) == address
    }

    /// `10.0.3.0/24`; a single address prints without its prefix.
    public var description: String {
        let full = address.isIPv4 ? 32 : 128
        return prefixLength == full ? address.description : "\(address)/\(prefixLength)"
    }

    private static func mask(_ address: IPAddress, prefixLength: Int) -> IPAddress {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                bytes[index] = 0
            } else if prefixLength - bitsBefore < 8 {
                bytes[index] &= UInt8(0xff) << UInt8(8 - (prefixLength - bitsBefore))
            }
        }
        return IPAddress(bytes: bytes)
    }
}
