import ClientPassCore
import Foundation

/// An IP address and a port: where a mail protocol's real server listens (nginx's `Auth-Server`
/// and `Auth-Port`), or where `serve` itself listens.
public struct IPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let port: Int

    /// Parses `HOST:PORT` with a literal IPv4 address or `[IPv6]:PORT` (nginx wants an address,
    /// not a name).
    /// - Throws: ``InputError``.
    public init(parsing text: String) throws {
        guard let (host, portText, _) = splitHostAndPort(Substring(text)) else {
            throw InputError("\(Quoted(text)) is not ADDRESS:PORT (e.g. 127.0.0.1:143 or [2001:db8::1]:143)")
        }
        guard let address = IPAddress(String(host)) else {
            throw InputError("\(Quoted(String(host))) is not an IP address: give a literal address (nginx's Auth-Server needs one)")
        }
        self.address = address
        self.port = try parsePort(portText)
    }

    public var description: String { address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }
}

/// `HOST:PORT` or `[IPv6]:PORT` split at its last colon; `nil` when it is neither.
func splitHostAndPort(_ text: Substring) -> (host: Substring, port: Substring, bracketed: Bool)? {
    if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
        return (text[text.index(after: text.startIndex)..<close], text[text.index(close, offsetBy: 2)...], true)
    }
    if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
        return (text[..<colon], text[text.index(after: colon)...], false)
    }
    return nil
}

/// A TCP port, 1 to 65535. - Throws: ``InputError``.
func parsePort(_ text: Substring) throws -> Int {
    guard let port = Int(text), (1...65535).contains(port) else {
        throw InputError("\(Quoted(String(text))) is not a port number (1–65535)")
    }
    return port
}
