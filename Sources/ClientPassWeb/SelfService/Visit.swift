import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird

/// Where a request came from: its TCP peer, or what a trusted reverse proxy says, whether the
/// browser reached the page over HTTPS, and the host it asked for.
struct Visit: Sendable {
    let address: IPAddress
    let isSecure: Bool
    /// The host (and port) the browser asked for: a trusted proxy's `X-Forwarded-Host`, else the
    /// request's `Host`; `nil` when neither is a host name or an address with an optional port.
    let host: String?

    /// The TCP peer, before any proxy header is considered. A request without a TCP peer (the
    /// in-process test client) counts as from 127.0.0.1.
    init(peer: IPAddress?) {
        address = (peer ?? IPAddress("127.0.0.1")!).canonical
        isSecure = false
        host = nil
    }

    init(_ request: Request, _ context: WebRequestContext, _ configuration: PageConfiguration) {
        let peer = context.peer ?? IPAddress("127.0.0.1")!
        func trusted(_ address: IPAddress) -> Bool { configuration.trustedProxies.contains { $0.contains(address) } }
        let ownHost = request.head.authority.flatMap(Self.checkedHost)
        guard trusted(peer) else {
            address = peer.canonical
            isSecure = configuration.isServedOverTLS
            host = ownHost
            return
        }
        // The proxy's own value is the last one; earlier ones came from the client.
        let forwardedHost = request.headers[values: HTTPField.Name("X-Forwarded-Host")!].last?
            .split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        host = forwardedHost.flatMap(Self.checkedHost) ?? ownHost
        // The right-most address a trusted proxy did not add is the client; anything left of it
        // was written by the client and proves nothing.
        let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!]
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for text in forwarded.reversed() {
            guard let hop = IPAddress(text) else { break }
            client = hop
            if !trusted(hop) { break }
        }
        address = client.canonical
        let proto = request.headers[values: HTTPField.Name("X-Forwarded-Proto")!].last?
            .split(separator: ",").last?.trimmingCharacters(in: .whitespaces).lowercased()
        isSecure = configuration.isServedOverTLS || proto == "https"
    }

    /// `text` when it is a host name, an IPv4 address or a bracketed IPv6 address, each with an
    /// optional port: nothing else may go into a link.
    static func checkedHost(_ text: String) -> String? {
        let hostPart: Substring, portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            guard IPAddress(String(hostPart)) != nil else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            portPart = rest.isEmpty ? nil : rest.dropFirst()
        } else {
            let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            hostPart = pieces[0]
            portPart = pieces.count == 2 ? pieces[1] : nil
            let allowed = hostPart.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            guard !hostPart.isEmpty, hostPart.count <= 253, allowed else { return nil }
        }
        if let portPart {
            guard portPart.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portPart), (1...65_535).contains(port) else { return nil }
        }
        return text.lowercased()
    }
}
