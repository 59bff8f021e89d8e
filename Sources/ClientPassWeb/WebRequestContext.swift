import ClientPassCore
import Foundation
import Hummingbird
import NIOCore

/// The request context of `clientpass serve`: Hummingbird's basics, the TCP peer's address, and
/// for the self-service page the visit (the client's address and whether the browser used
/// HTTPS), worked out once per request by ``PageMiddleware`` from the trusted proxies.
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; `nil` when there is none (the in-process test client).
    public let peer: IPAddress?
    /// Where a page request came from. Until the page's middleware has looked at the proxy
    /// headers: the TCP peer, over plain HTTP.
    var visit: Visit

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress.flatMap(IPAddress.init)
        visit = Visit(peer: peer)
    }

    /// JSON answers (`/auth/decide`'s) with their keys sorted: the same bytes for the same
    /// answer, every time.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Forms and JSON bodies are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}
