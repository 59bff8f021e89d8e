import ClientPassAPI
import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// An error of the API as RFC 9457 problem details, with a stable `type` per error.
enum APIProblem: Error, Sendable {
    case signedOut
    case wrongCredentials
    case accountDisabled
    case throttled(TimeInterval)
    case invalidInput(String)
    case notFound(Int64)
    case routeNotFound
    case limitReached(Int)
    case reauthenticationRequired(TimeInterval)
    case temporaryFailure(String)
    case busy(TimeInterval)
    case tooLarge(Int)
    case unsupportedMediaType
    case crossOrigin

    /// The `type` URI's last part, the stable name scripts match.
    var name: String {
        switch self {
        case .signedOut: "signed-out"
        case .wrongCredentials: "wrong-credentials"
        case .accountDisabled: "account-disabled"
        case .throttled: "throttled"
        case .invalidInput: "invalid-input"
        case .notFound, .routeNotFound: "not-found"
        case .limitReached: "limit-reached"
        case .reauthenticationRequired: "reauthentication-required"
        case .temporaryFailure, .busy: "temporary-failure"
        case .tooLarge: "too-large"
        case .unsupportedMediaType: "unsupported-media-type"
        case .crossOrigin: "cross-origin"
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .signedOut, .wrongCredentials, .reauthenticationRequired: .unauthorized
        case .accountDisabled, .crossOrigin: .forbidden
        case .throttled: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .invalidInput: .badRequest
        case .notFound, .routeNotFound: .notFound
        case .limitReached: .conflict
        case .temporaryFailure, .busy: .serviceUnavailable
        }
    }

    var title: String {
        switch self {
        case .signedOut: "Signed out"
        case .wrongCredentials: "Wrong account name or mailbox password"
        case .accountDisabled: "The account is disabled"
        case .throttled: "Too many failed attempts"
        case .invalidInput: "Invalid input"
        case .notFound: "No such app password"
        case .routeNotFound: "No such route"
        case .limitReached: "Too many app passwords"
        case .reauthenticationRequired: "The mailbox password is needed again"
        case .temporaryFailure, .busy: "Temporary failure"
        case .tooLarge: "Request body too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .crossOrigin: "Cross-origin request"
        }
    }

    var detail: String {
        switch self {
        case .signedOut: "the token is missing, expired or ended: run clientpass login"
        case .wrongCredentials: "wrong account name or mailbox password (app passwords only work in mail clients)"
        case .accountDisabled: "the account is disabled: ask your mail administrator"
        case .throttled(let seconds): "too many failed sign-ins for this account or from this address: try again in \(Int(seconds.rounded(.up))) s"
        case .invalidInput(let why): why
        case .notFound(let id): "this account has no app password \(id)"
        case .routeNotFound: "the self-service API has no such route (see /api/v1/openapi.yaml)"
        case .limitReached(let count): "the account already has \(count) app passwords, the most allowed: revoke one first"
        case .reauthenticationRequired(let after):
            "creating an app password more than \(Int(after / 60)) minutes after the mailbox password was last given needs it again (password)"
        case .temporaryFailure: "temporary failure: try again"
        case .busy(let seconds): "too many logins are being checked: try again in \(Int(seconds.rounded(.up))) s"
        case .tooLarge(let limit): "the request body is larger than the \(limit / 1024) KiB this API accepts"
        case .unsupportedMediaType: "a request body must be JSON, sent with Content-Type: application/json"
        case .crossOrigin: "the self-service API does not answer requests a web page at another address makes through a browser"
        }
    }

    var retryAfter: TimeInterval? {
        switch self {
        case .throttled(let seconds), .busy(let seconds): seconds
        default: nil
        }
    }

    var schema: Components.Schemas.Problem {
        schema(.standard)
    }

    /// The problem in the words employees know: `term` for "mailbox password".
    func schema(_ term: PasswordTerm) -> Components.Schemas.Problem {
        .init(_type: "https://clientpass.dev/problems/\(name)", title: term.apply(title), status: Int(status.code), detail: term.apply(detail))
    }

    /// The generated response types' form.
    var response: Components.Responses.Problem {
        response(.standard)
    }

    func response(_ term: PasswordTerm) -> Components.Responses.Problem {
        .init(body: .applicationProblemJson(schema(term)))
    }

    var throttledResponse: Components.Responses.Throttled {
        .init(headers: .init(retryAfter: Int((retryAfter ?? 1).rounded(.up))), body: .applicationProblemJson(schema))
    }

    /// As a Hummingbird response: for the errors the middleware turns into answers (a token
    /// that ended, a route that does not exist, a fault).
    func httpResponse() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(schema)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"clientpass\"" }
        if let retryAfter { headers[.retryAfter] = String(Int(retryAfter.rounded(.up))) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    /// What an error thrown on the way through the API is: the API's own, a fault (store,
    /// memory, directory: a temporary failure, never an allow), or a request that does not
    /// match openapi.yaml.
    static func from(_ error: any Error) -> APIProblem {
        if let problem = error as? APIProblem { return problem }
        if let error = error as? HTTPError, error.status == .notFound { return .routeNotFound }
        if let error = error as? ServerError {
            let underlying = error.underlyingError
            if let problem = underlying as? APIProblem { return problem }
            if case .busy(let retryAfter)? = underlying as? DecisionError { return .busy(retryAfter) }
            if underlying is StoreError || underlying is HashingError || underlying is DirectoryUnavailable {
                return .temporaryFailure(String(describing: underlying))
            }
            return .invalidInput(mismatch(of: underlying, operation: error.operationID))
        }
        if case .busy(let retryAfter)? = error as? DecisionError { return .busy(retryAfter) }
        return .temporaryFailure(String(describing: error))
    }

    /// A request the generated code could not read, in the API's own words: the field and what is
    /// wrong with it, never the decoder's types or the runtime's internals.
    static func mismatch(of error: any Error, operation: String) -> String {
        guard let error = error as? DecodingError else {
            return "the request does not match the API's \(operation) (see /api/v1/openapi.yaml)"
        }
        func field(_ path: [any CodingKey]) -> String {
            let text = path.reduce(into: "") { text, key in
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return "\"\(Untrusted.escaped(text))\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "the field \(field(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context) where !context.codingPath.isEmpty:
            return "the field \(field(context.codingPath)) must not be null"
        case .typeMismatch(_, let context) where !context.codingPath.isEmpty:
            return "the field \(field(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "the field \(field(context.codingPath)) has a value the API does not take"
        case .typeMismatch, .valueNotFound:
            return "the request body must be a JSON object"
        default:
            return "the request body is not valid JSON"
        }
    }
}

/// In front of the API's routes: the caller (address through the trusted proxies, bearer token)
/// for the handlers, every error as problem details, and no caching of anything (tokens and
/// passwords pass here). Before any handler: a request a web page at another address made
/// through a browser is refused (403: no preflight guards a `no-cors` POST, so a page could
/// otherwise drive sign-in guesses from its visitors' addresses), a body that is not JSON is
/// refused (415), and a body is read whole only up to the limit (413 past it, the rest unread;
/// the generated code would read any size).
struct APIMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    let configuration: PageConfiguration
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        let visit = Visit(request, context, configuration)
        let token = request.headers[.authorization].flatMap { value -> String? in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        var response: Response
        do {
            let request = try await Self.admitted(request, limit: context.maxUploadSize)
            response = try await SelfServiceAPI.$caller.withValue(SelfServiceAPI.Caller(visit: visit, token: token)) {
                try await next(request, context)
            }
        } catch {
            let problem = APIProblem.from(error)
            if case .temporaryFailure(let why) = problem {
                logger.warning("self-service API: temporary failure", metadata: ["error": "\(Untrusted.escaped(why))"])
            }
            response = problem.httpResponse()
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The request with its body read (at most `limit` bytes), or the problem that refuses it.
    static func admitted(_ request: Request, limit: Int) async throws -> Request {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site.lowercased()) {
            throw APIProblem.crossOrigin
        }
        if let origin = request.headers[.origin], !isSameOrigin(origin, authority: request.head.authority) {
            throw APIProblem.crossOrigin
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIProblem.tooLarge(limit)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIProblem.tooLarge(limit)
        }
        if body.readableBytes > 0 && !request.headers.declaresJSON { throw APIProblem.unsupportedMediaType }
        return request
    }

    /// Whether a browser's `Origin` names the host (and port) the request was sent to; `null`
    /// (a sandboxed frame, a file) never does.
    static func isSameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let authority, let components = URLComponents(string: origin), let host = components.host, !host.isEmpty,
            components.scheme == "http" || components.scheme == "https"
        else { return false }
        let named = components.port.map { "\(host):\($0)" } ?? host
        return named.lowercased() == authority.lowercased()
    }
}
