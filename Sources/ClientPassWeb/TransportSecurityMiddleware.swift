import HTTPTypes
import Hummingbird

/// On the whole router when `serve` speaks HTTPS itself: every response — the page, the API,
/// the mail servers' endpoints, `/healthz`, `/metrics`, errors and unknown addresses — tells
/// browsers to keep to HTTPS (`Strict-Transport-Security`).
struct TransportSecurityMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    static let value = "max-age=31536000"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.strictTransportSecurity] = Self.value
        return response
    }
}
