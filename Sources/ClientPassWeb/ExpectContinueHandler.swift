import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the request's head arrives.
///
/// Dovecot's HTTP client (the Lua passdb's `dovecot.http.client`) sends its POST to
/// `/auth/decide` with that header on every new connection and holds the body back until the
/// server says to continue, or for 2 seconds when it does not: without this, every new
/// connection of every auth worker cost a login 2 seconds (docs/benchmark.md). Requests are
/// small and every route reads them, so continuing at once is what the server would say anyway;
/// a request refused afterwards is refused by its final response as usual.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
            request.headerFields[values: .expect].contains(where: { $0.lowercased() == "100-continue" })
        {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
