import ClientPassCore
import Hummingbird
import NIOCore

/// The request context of `clientpass serve`: Hummingbird's basics and the TCP peer's address,
/// which the self-service page needs for throttling and for "Your access".
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; `nil` when there is none (the in-process test client).
    public let peer: IPAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress.flatMap(IPAddress.init)
    }

    /// Forms and JSON bodies are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}
