import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The self-service page's middleware, on the page's route group only (the mail servers'
/// endpoints and `/metrics` answer machines): works out the visit (the client's address and
/// HTTPS, from the trusted proxies) once into the request context, sets the browser-facing
/// security headers on every response, and turns errors into pages: malformed forms 400, never
/// a bare 500 with nothing to read.
struct PageMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    let renderer: PageRenderer
    let logger: Logger
    let configuration: PageConfiguration
    /// Only this server's own style sheet, script and forms; no frames, no inline code.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.visit = Visit(request, context, configuration)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as PageError {
            response = page(error)
        } catch let error as any HTTPResponseError {
            response = page(Self.pageError(for: error.status))
        } catch {
            logger.error("the page failed: \(error.localizedDescription)", metadata: ["path": "\(request.uri.path)"])
            response = page(
                PageError(
                    .internalServerError, "Something went wrong",
                    "clientpass could not finish this. Nothing you did caused it; try again, and tell your mail administrator if it happens again."))
        }
        return withSecurityHeaders(response)
    }

    func withSecurityHeaders(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// The 404 page, for an address no route knows (see ``UnknownRouteMiddleware``).
    func notFoundPage() -> Response {
        withSecurityHeaders(page(Self.pageError(for: .notFound)))
    }

    static func pageError(for status: HTTPResponse.Status) -> PageError {
        switch status {
        case .notFound: PageError(.notFound, "Page not found", "There is no page at this address.")
        case .methodNotAllowed: PageError(.methodNotAllowed, "Not possible here", "This address does not take that kind of request.")
        case .contentTooLarge: PageError(.contentTooLarge, "Too much data", "The form sent more than this page accepts. Nothing was changed.")
        case let status where status.code < 500: PageError(status, "This request could not be handled", "Nothing was changed. Go back and try again.")
        default: PageError(status, "Something went wrong", "Nothing was changed. Try again in a minute.")
        }
    }

    private func page(_ error: PageError) -> Response {
        let values: [String: Any] = ["heading": error.heading, "message": error.message, "link": error.link.href, "linkText": error.link.text]
        return Response(
            status: error.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: renderer.render("message", values))))
    }
}

/// On the whole router: an address no route knows gets the page's 404 page rather than an empty
/// answer (the router's own "not found" passes only through router-wide middleware). Every
/// other response, the mail servers' and `/metrics` included, passes untouched. A path with an
/// empty segment (`//api/v1/…`) is no address of ours: the router would match it while the
/// middlewares that look at the path's start would not, so it is not found at all.
struct UnknownRouteMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    let page: PageMiddleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.contains("//") {
            if request.uri.path.split(separator: "/").first == "api" {
                var response = APIProblem.routeNotFound.httpResponse()
                response.headers[.cacheControl] = "no-store"
                return response
            }
            return page.notFoundPage()
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return page.notFoundPage()
        }
    }
}
