import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird

/// Where a request came from: its TCP peer, or what a trusted reverse proxy says, and whether
/// the browser reached the page over HTTPS.
struct Visit: Sendable {
    let address: IPAddress
    let isSecure: Bool

    /// The TCP peer, before any proxy header is considered. A request without a TCP peer (the
    /// in-process test client) counts as from 127.0.0.1.
    init(peer: IPAddress?) {
        address = (peer ?? IPAddress("127.0.0.1")!).canonical
        isSecure = false
    }

    init(_ request: Request, _ context: WebRequestContext, _ configuration: PageConfiguration) {
        let peer = context.peer ?? IPAddress("127.0.0.1")!
        func trusted(_ address: IPAddress) -> Bool { configuration.trustedProxies.contains { $0.contains(address) } }
        guard trusted(peer) else {
            address = peer.canonical
            isSecure = configuration.isServedOverTLS
            return
        }
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
}
