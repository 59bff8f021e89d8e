import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The sign-in page: `GET /sign-in`, `POST /sign-in`, `POST /sign-out`.
extension SelfServiceController {

    func signInPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = context.visit
        if try signedIn(request, visit) != nil { return redirect(to: "/") }
        var notice: String?
        if request.uri.queryParameters["expired"] != nil { notice = "Your session ended. Sign in again." }
        if request.uri.queryParameters["signed-out"] != nil { notice = "You are signed out." }
        return try signInForm(request, visit, notice: notice)
    }

    func signIn(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = context.visit
        let form = try await readForm(request, context)
        guard let nonce = signInNonce(request), let token = form["csrf"],
            RandomToken.equal(token, RandomToken.digest(of: nonce, key: try formKey.bytes()))
        else {
            throw PageError(
                .forbidden, "This sign-in form has expired",
                "It was opened too long ago, in another browser, or cookies are off. Reload the sign-in page and try again.",
                link: ("/sign-in", "Sign in"))
        }
        let typedAccount = form["account"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !typedAccount.isEmpty, let password = form["password"], !password.isEmpty else {
            return try signInForm(
                request, visit, status: .badRequest, error: configuration.passwordTerm.apply("Give your account name and your mailbox password."),
                typedAccount: typedAccount)
        }
        let result: SignInResult
        do {
            result = try await engine.signIn(user: typedAccount, mailboxPassword: Secret(password), address: visit.address)
        } catch {
            logger.warning("self-service sign-in could not be checked: \(error.localizedDescription)", metadata: ["address": "\(visit.address)"])
            metrics.recordSignIn("temporary_failure")
            return try signInForm(
                request, visit, status: .serviceUnavailable, error: "Your password cannot be checked right now. Try again in a minute.",
                typedAccount: typedAccount)
        }
        // The typed name is logged only when it names an account: it may be a password typed in the wrong field.
        var metadata: Logger.Metadata = ["address": "\(visit.address)", "result": "\(result.logValue)"]
        if case .signedIn(let account) = result { metadata["account"] = "\(Untrusted.escaped(account.name))" }
        if case .accountDisabled = result { metadata["account"] = "\(Untrusted.escaped(typedAccount))" }
        logger.info("self-service sign-in", metadata: metadata)
        metrics.recordSignIn(result.logValue)
        switch result {
        case .signedIn(let account):
            if let old = request.cookies[Self.sessionCookie]?.value { try sessions.end(id: old) }
            let (id, _) = try sessions.create(for: account, at: engine.currentDate)
            var response = redirect(to: "/")
            response.setCookie(sessionCookie(id, visit))
            return response
        case .wrongCredentials:
            return try signInForm(
                request, visit, status: .unauthorized,
                error: configuration.passwordTerm.apply(
                    "The account name or the mailbox password is wrong. Use your mailbox password here: app passwords only work in mail clients."),
                typedAccount: typedAccount)
        case .throttled(let retryAfter):
            var response = try signInForm(
                request, visit, status: .tooManyRequests,
                error: Self.throttledMessage(retryAfter),
                typedAccount: typedAccount)
            response.headers[.retryAfter] = String(Int(retryAfter))
            return response
        case .accountDisabled:
            return try signInForm(
                request, visit, status: .forbidden, error: "Your account is disabled. Ask your mail administrator.", typedAccount: typedAccount)
        }
    }

    func signOut(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = context.visit
        let form = try await readForm(request, context)
        if let current = try signedIn(request, visit) {
            try checkToken(form, of: current)
            try sessions.end(id: current.id)
        }
        var response = redirect(to: "/sign-in?signed-out")
        response.setCookie(endedSessionCookie(visit))
        return response
    }
}

extension SignInResult {
    var logValue: String {
        switch self {
        case .signedIn: "signed_in"
        case .wrongCredentials: "wrong_credentials"
        case .throttled: "throttled"
        case .accountDisabled: "account_disabled"
        }
    }
}
