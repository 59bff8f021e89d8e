import ClientPassCore
import ClientPassEdge
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The self-service page: employees sign in with their mailbox password and list, create,
/// rename and revoke their app passwords, see their access and their account's recent activity.
///
/// Every page is rendered on the server and works without JavaScript. Every change is a POST
/// that carries the session's CSRF token; a GET never changes anything.
struct SelfServiceController: Sendable {
    let configuration: PageConfiguration
    let engine: DecisionEngine
    let manager: CredentialManager
    let sessions: PageSessions
    let renderer: PageRenderer
    let terminator: SessionTerminator?
    let logger: Logger
    let metrics: ServeMetrics
    /// Ties the sign-in form's token to its cookie with a key every node reads from the store,
    /// so that the form needs no other server state and signs in on any node.
    let formKey: SignInFormKey
    /// One-time links to new app passwords' Mail profiles (the QR code on the created page).
    let profileLinks: ProfileLinks

    static let sessionCookie = "clientpass_session"
    static let signInCookie = "clientpass_sign_in"
    /// The expiry choices of a new app password: the form's value, and what it says.
    static let expiryChoices: [(value: String, text: String)] = [
        ("", "Never"), ("7d", "In 7 days"), ("30d", "In 30 days"), ("90d", "In 90 days"), ("365d", "In a year"),
    ]

    /// The page's routes, in `group` (the page's group, behind ``PageMiddleware``).
    func addRoutes(to group: RouterGroup<WebRequestContext>) {
        group.get("/") { request, context in try await passwordsPage(request, context) }
        group.get("/sign-in") { request, context in try await signInPage(request, context) }
        group.post("/sign-in") { request, context in try await signIn(request, context) }
        group.post("/sign-out") { request, context in try await signOut(request, context) }
        group.post("/passwords") { request, context in try await create(request, context) }
        group.get("/passwords/revoke-all") { request, context in try await revokeAllPage(request, context) }
        group.post("/passwords/revoke-all") { request, context in try await revokeAll(request, context) }
        group.get("/passwords/{id}/rename") { request, context in try await renamePage(request, context) }
        group.post("/passwords/{id}/rename") { request, context in try await rename(request, context) }
        group.get("/passwords/{id}/revoke") { request, context in try await revokePage(request, context) }
        group.post("/passwords/{id}/revoke") { request, context in try await revoke(request, context) }
        group.get("/access") { request, context in try await accessPage(request, context) }
        group.get("/activity") { request, context in try await activityPage(request, context) }
        group.get("/devices") { request, context in try await devicesPage(request, context) }
        group.post("/devices") { request, context in try await issueDevicePassword(request, context) }
        group.get("/setup/{token}") { request, context in try await setupProfile(request, context) }
        group.get("/static/clientpass.css") { _, _ in asset(renderer.styleSheet, type: "text/css; charset=utf-8") }
        group.get("/static/clientpass.js") { _, _ in asset(renderer.script, type: "text/javascript; charset=utf-8") }
    }
}

// MARK: - Sessions, forms and responses

extension SelfServiceController {
    /// A signed-in request: the session, its account as the store has it now, and the form
    /// when the request is a POST (its CSRF token already checked).
    struct SignedIn {
        let id: String
        let session: Session
        let account: Account
        let visit: Visit
        var form: FormData?
    }

    /// Runs `body` for a signed-in employee; otherwise sends them to sign in, changing nothing.
    /// With `form`, reads the POST body and refuses it without the session's CSRF token.
    func whenSignedIn(
        _ request: Request, _ context: WebRequestContext, form readsForm: Bool = false,
        _ body: (SignedIn) async throws -> Response
    ) async throws -> Response {
        let visit = context.visit
        let form = readsForm ? try await readForm(request, context) : nil
        guard var current = try signedIn(request, visit) else {
            guard request.cookies[Self.sessionCookie] != nil else { return redirect(to: "/sign-in") }
            var response = redirect(to: "/sign-in?expired")
            response.setCookie(endedSessionCookie(visit))
            return response
        }
        if let form {
            try checkToken(form, of: current)
            current.form = form
        }
        return try await body(current)
    }

    /// The session of the request's cookie, when it is live and its account still may use it:
    /// present, active, with the mailbox password it signed in with. Otherwise the session ends.
    func signedIn(_ request: Request, _ visit: Visit) throws -> SignedIn? {
        guard let id = request.cookies[Self.sessionCookie]?.value,
            let (session, account) = try sessions.signedIn(id: id, at: engine.currentDate, manager: manager)
        else { return nil }
        return SignedIn(id: id, session: session, account: account, visit: visit)
    }

    func checkToken(_ form: FormData, of current: SignedIn) throws {
        guard let token = form["csrf"], RandomToken.equal(token, current.session.csrfToken) else {
            throw PageError(
                .forbidden, "This form has expired",
                "It did not come from this page as you have it now, so nothing was changed. Go back, reload the page and try again.",
                link: ("/", "Back to your app passwords"))
        }
    }

    /// What the page and the API do alike (``SelfServiceOperations``).
    var operations: SelfServiceOperations {
        SelfServiceOperations(engine: engine, configuration: configuration, terminator: terminator, logger: logger)
    }

    /// Whether creating an app password needs the mailbox password again.
    func needsPassword(_ session: Session) -> Bool {
        operations.needsPassword(session)
    }

    /// Before a new password is made: when the sign-in is older than
    /// ``PageConfiguration/reauthenticationAfter``, the form must carry the mailbox password,
    /// checked (and throttled) as a sign-in. - Returns: why not, or `nil` to go on.
    func confirmRecentSignIn(_ current: SignedIn, _ form: FormData, toCreate what: String) async throws -> (status: HTTPResponse.Status, message: String)? {
        switch try await operations.confirmRecentSignIn(
            current.session, of: current.account, password: form["password"],
            address: current.visit.address, channel: .page)
        {
        case .confirmed(let when):
            if let when { try sessions.update(id: current.id) { $0.authenticatedAt = when } }
            return nil
        case .passwordNeeded:
            return (.unauthorized, "Confirm your \(configuration.passwordTerm) to create \(what).")
        case .throttled(let retryAfter):
            return (.tooManyRequests, Self.throttledMessage(retryAfter))
        case .wrongPassword:
            return (.unauthorized, "That is not your \(configuration.passwordTerm). Nothing was created.")
        }
    }

    /// Reads a URL-encoded form body.
    /// - Throws: ``PageError`` (400) for another content type or a malformed body.
    func readForm(_ request: Request, _ context: WebRequestContext) async throws -> FormData {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw PageError(.badRequest, "This form could not be read", "It must be sent as application/x-www-form-urlencoded, as browsers send forms.")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw PageError(.badRequest, "This form could not be read", "It is not UTF-8 text.")
        }
        do {
            return try FormData(parsing: text)
        } catch let error as FormData.Malformed {
            throw PageError(.badRequest, "This form could not be read", Self.sentence(error.description))
        }
    }

    /// The app password named by the URL's `{id}`, among the signed-in account's own.
    /// - Throws: ``PageError`` (404) for anything else, another account's passwords included.
    func appPassword(_ request: Request, _ context: WebRequestContext, of current: SignedIn) throws -> AppPassword {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int(text), let password = try manager.appPasswords(of: current.account).first(where: { $0.id == id }) else {
            throw PageError(
                .notFound, "No such app password", "You have no app password with the number \(text). It may have been revoked already.",
                link: ("/", "Back to your app passwords"))
        }
        return password
    }

    /// The random value the sign-in form's token is derived from, when the cookie holds one.
    func signInNonce(_ request: Request) -> String? {
        guard let value = request.cookies[Self.signInCookie]?.value, value.count == 43,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    func signInForm(
        _ request: Request, _ visit: Visit, status: HTTPResponse.Status = .ok, notice: String? = nil, error: String? = nil,
        typedAccount: String = ""
    ) throws -> Response {
        let existing = signInNonce(request)
        let nonce = existing ?? RandomToken.make()
        var values: [String: Any] = ["csrf": RandomToken.digest(of: nonce, key: try formKey.bytes()), "typedAccount": typedAccount]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        var response = html(renderer.render("sign-in", values), status: status)
        if existing == nil {
            response.setCookie(Cookie(name: Self.signInCookie, value: nonce, path: "/", secure: visit.isSecure, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func sessionCookie(_ id: String, _ visit: Visit) -> Cookie {
        Cookie(name: Self.sessionCookie, value: id, path: "/", secure: visit.isSecure, httpOnly: true, sameSite: .strict)
    }

    /// Tells the browser to drop its session cookie.
    func endedSessionCookie(_ visit: Visit) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            secure: visit.isSecure, httpOnly: true, sameSite: .strict)
    }

    /// Ends the mail sessions of the accounts a change took access from (the configured kick
    /// command), off the async executors.
    func endMailSessions(_ consequences: Consequences) async {
        await operations.endMailSessions(consequences)
    }

    func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    func asset(_ bytes: ByteBuffer, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: bytes))
    }

    /// "the label is empty; give 1 to 64 characters" → "The label is empty; give 1 to 64 characters."
    static func sentence(_ text: String) -> String {
        let capitalized = text.capitalizingFirstLetter
        return [".", "?", "!"].contains(where: capitalized.hasSuffix) ? capitalized : capitalized + "."
    }

    /// What a throttled sign-in or confirmation is told: how long to wait, in whole minutes.
    static func throttledMessage(_ retryAfter: TimeInterval) -> String {
        let minutes = max(1, Int((retryAfter / 60).rounded(.up)))
        return "Too many failed attempts from your address. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again."
    }
}

extension String {
    /// "app password 3 created" → "App password 3 created".
    var capitalizingFirstLetter: String { prefix(1).uppercased() + dropFirst() }
}

/// What every signed-in page shows.
extension SelfServiceController {
    /// The values every signed-in page has: the account, the CSRF token, which section is
    /// current, and a notice or an error.
    func chrome(_ current: SignedIn, section: String, error: String? = nil) -> [String: Any] {
        var values: [String: Any] = [
            "signedIn": true, "accountName": current.account.name, "csrf": current.session.csrfToken,
            "onPasswords": section == "passwords", "onAccess": section == "access", "onActivity": section == "activity",
            "isHelpDesk": current.account.isHelpDesk, "onDevices": section == "devices",
        ]
        // A notice is a courtesy: a store that cannot give it back loses it, and the page still shows.
        if let notice = (try? sessions.takeNotice(id: current.id)) ?? nil { values["notice"] = notice }
        if let error { values["error"] = error }
        return values
    }

    /// "2026-11-29 09:15 (2 hours ago)", or just the date when further away than a month.
    static func when(_ date: Date, now: Date) -> String {
        let relative = HumanTime.relative(date, now: now)
        let local = HumanTime.localDate(date)
        return relative == local ? local : "\(local) (\(relative))"
    }
}
