import ClientPassCore
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
    let sessions: SessionStore
    let renderer: PageRenderer
    let terminator: SessionTerminator?
    let logger: Logger
    let metrics: ServeMetrics
    /// Ties the sign-in form's token to its cookie, so that form needs no server state.
    let formKey: [UInt8]

    static let sessionCookie = "clientpass_session"
    static let signInCookie = "clientpass_sign_in"
    /// The expiry choices of a new app password: the form's value, and what it says.
    static let expiryChoices: [(value: String, text: String)] = [
        ("", "Never"), ("7d", "In 7 days"), ("30d", "In 30 days"), ("90d", "In 90 days"), ("365d", "In a year"),
    ]

    func register(on router: Router<WebRequestContext>) {
        router.get("/") { request, context in try await passwordsPage(request, context) }
        router.get("/sign-in") { request, context in try await signInPage(request, context) }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.post("/sign-out") { request, context in try await signOut(request, context) }
        router.post("/passwords") { request, context in try await create(request, context) }
        router.get("/passwords/revoke-all") { request, context in try await revokeAllPage(request, context) }
        router.post("/passwords/revoke-all") { request, context in try await revokeAll(request, context) }
        router.get("/passwords/{id}/rename") { request, context in try await renamePage(request, context) }
        router.post("/passwords/{id}/rename") { request, context in try await rename(request, context) }
        router.get("/passwords/{id}/revoke") { request, context in try await revokePage(request, context) }
        router.post("/passwords/{id}/revoke") { request, context in try await revoke(request, context) }
        router.get("/access") { request, context in try await accessPage(request, context) }
        router.get("/activity") { request, context in try await activityPage(request, context) }
        router.get("/static/clientpass.css") { _, _ in asset(renderer.styleSheet, type: "text/css; charset=utf-8") }
        router.get("/static/clientpass.js") { _, _ in asset(renderer.script, type: "text/javascript; charset=utf-8") }
    }

    // MARK: Signing in and out

    func signInPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = Visit(request, context, configuration)
        if try signedIn(request, visit) != nil { return redirect(to: "/") }
        var notice: String?
        if request.uri.queryParameters["expired"] != nil { notice = "Your session ended. Sign in again." }
        if request.uri.queryParameters["signed-out"] != nil { notice = "You are signed out." }
        return signInForm(request, visit, notice: notice)
    }

    func signIn(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = Visit(request, context, configuration)
        let form = try await readForm(request, context)
        guard let nonce = signInNonce(request), let token = form["csrf"],
              RandomToken.equal(token, RandomToken.digest(of: nonce, key: formKey)) else {
            throw PageError(.forbidden, "This sign-in form has expired",
                            "It was opened too long ago, in another browser, or cookies are off. Reload the sign-in page and try again.",
                            link: ("/sign-in", "Sign in"))
        }
        let typedAccount = form["account"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !typedAccount.isEmpty, let password = form["password"], !password.isEmpty else {
            return signInForm(request, visit, status: .badRequest, error: "Give your account name and your mailbox password.", typedAccount: typedAccount)
        }
        let result: SignInResult
        do {
            result = try await engine.signIn(user: typedAccount, mailboxPassword: Secret(password), address: visit.address)
        } catch {
            logger.warning("self-service sign-in could not be checked: \(error.localizedDescription)", metadata: ["address": "\(visit.address)"])
            metrics.recordSignIn("temporary_failure")
            return signInForm(request, visit, status: .serviceUnavailable, error: "Your password cannot be checked right now. Try again in a minute.",
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
            if let old = request.cookies[Self.sessionCookie]?.value { sessions.end(id: old) }
            let (id, _) = sessions.create(for: account, at: engine.currentDate)
            var response = redirect(to: "/")
            response.setCookie(sessionCookie(id, visit))
            return response
        case .wrongCredentials:
            return signInForm(request, visit, status: .unauthorized,
                              error: "The account name or the mailbox password is wrong. Use your mailbox password here: app passwords only work in mail clients.",
                              typedAccount: typedAccount)
        case .throttled(let retryAfter):
            var response = signInForm(request, visit, status: .tooManyRequests,
                                      error: Self.throttledMessage(retryAfter),
                                      typedAccount: typedAccount)
            response.headers[.retryAfter] = String(Int(retryAfter))
            return response
        case .accountDisabled:
            return signInForm(request, visit, status: .forbidden, error: "Your account is disabled. Ask your mail administrator.", typedAccount: typedAccount)
        }
    }

    func signOut(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let visit = Visit(request, context, configuration)
        let form = try await readForm(request, context)
        if let current = try signedIn(request, visit) {
            try checkToken(form, of: current)
            sessions.end(id: current.id)
        }
        var response = redirect(to: "/sign-in?signed-out")
        response.setCookie(endedSessionCookie(visit))
        return response
    }

    // MARK: App passwords

    func passwordsPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            html(renderer.render("passwords", try passwordsValues(current)))
        }
    }

    func create(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let form = current.form!
            let typed = TypedPassword(form: form)
            func refuse(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
                html(renderer.render("passwords", try passwordsValues(current, error: message, typed: typed)), status: status)
            }
            let label: Label
            let limits: CredentialLimits
            do {
                label = try Label(validating: typed.label)
                let networks = typed.networks.trimmingCharacters(in: .whitespaces)
                guard Self.expiryChoices.contains(where: { $0.value == typed.expires }) else {
                    return try refuse(.badRequest, "Choose when the password expires from the list.")
                }
                limits = CredentialLimits(protocols: typed.protocols,
                                          networks: networks.isEmpty ? [] : try IPNetwork.parseList(networks),
                                          expiresAt: typed.expires.isEmpty ? nil : try Expiry.parse(typed.expires, now: engine.currentDate))
            } catch let error as InputError {
                return try refuse(.badRequest, Self.sentence(error.description))
            }
            if needsPassword(current.session) {
                guard let password = form["password"], !password.isEmpty else {
                    return try refuse(.unauthorized, "Confirm your mailbox password to create an app password.")
                }
                switch try await engine.signIn(user: current.account.name, mailboxPassword: Secret(password), address: current.visit.address,
                                               confirming: true) {
                case .signedIn(let account) where account.id == current.account.id:
                    let now = engine.currentDate
                    sessions.update(id: current.id) { $0.authenticatedAt = now }
                case .throttled(let retryAfter):
                    return try refuse(.tooManyRequests, Self.throttledMessage(retryAfter))
                default:
                    return try refuse(.unauthorized, "That is not your mailbox password. Nothing was created.")
                }
            }
            let generated: GeneratedAppPassword
            do {
                generated = try manager.generateAppPassword(for: current.account, label: label, limits: limits, by: .account(current.account.name))
            } catch let error as CredentialError where error.kind == .limitReached {
                return try refuse(.conflict, Self.sentence(error.description))
            }
            logger.info("self-service app password created", metadata: ["account": "\(current.account.name)", "id": "\(generated.appPassword.id)"])
            var values = chrome(current, section: "passwords")
            values["label"] = generated.appPassword.label
            values["password"] = generated.displayPassword
            // Only the servers this password can log in to: its own protocols, among those on for the account.
            let usable = Service.allCases.filter { current.account.services[$0] && (limits.protocols.isEmpty || limits.protocols.contains($0)) }
            let servers = usable.compactMap { service in
                configuration.mailServers[service].map { server -> [String: Any] in
                    ["protocol": Self.serverRole(service), "host": server.host, "port": server.port, "security": server.security.displayName]
                }
            }
            values["servers"] = servers
            values["hasServers"] = !servers.isEmpty
            return html(renderer.render("created", values))
        }
    }

    func renamePage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let password = try appPassword(request, context, of: current)
            return html(renderer.render("rename", values(current, about: password, typedLabel: password.label)))
        }
    }

    func rename(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let password = try appPassword(request, context, of: current)
            let typedLabel = current.form!["label"] ?? ""
            do {
                let renamed = try manager.relabelAppPassword(password.id, of: current.account, to: try Label(validating: typedLabel),
                                                             by: .account(current.account.name))
                sessions.update(id: current.id) { $0.notice = "Renamed “\(password.label)” to “\(renamed.label)”." }
                return redirect(to: "/")
            } catch let error as InputError {
                return html(renderer.render("rename", values(current, about: password, typedLabel: typedLabel, error: Self.sentence(error.description))),
                            status: .badRequest)
            }
        }
    }

    func revokePage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let password = try appPassword(request, context, of: current)
            return html(renderer.render("revoke", values(current, about: password)))
        }
    }

    func revoke(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let password = try appPassword(request, context, of: current)
            let (revoked, consequences) = try manager.revokeAppPassword(password.id, of: current.account, by: .account(current.account.name))
            await endMailSessions(consequences)
            sessions.update(id: current.id) { $0.notice = "Revoked “\(revoked.label)”. It no longer works anywhere." }
            return redirect(to: "/")
        }
    }

    func revokeAllPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let count = try manager.appPasswords(of: current.account).count
            guard count > 0 else {
                sessions.update(id: current.id) { $0.notice = "You have no app passwords to revoke." }
                return redirect(to: "/")
            }
            var values = chrome(current, section: "passwords")
            values["count"] = count
            return html(renderer.render("revoke-all", values))
        }
    }

    func revokeAll(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let (revoked, consequences) = try manager.revokeAllAppPasswords(of: current.account, by: .account(current.account.name))
            await endMailSessions(consequences)
            sessions.update(id: current.id) {
                $0.notice = revoked.isEmpty ? "You had no app passwords to revoke."
                    : "Revoked all \(revoked.count) app password\(revoked.count == 1 ? "" : "s"). None of them works anywhere now."
            }
            return redirect(to: "/")
        }
    }

    // MARK: Access and activity

    func accessPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            html(renderer.render("access", accessValues(current, summary: try manager.access(for: current.account))))
        }
    }

    func activityPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let now = engine.currentDate
            let events = try manager.auditEvents(about: current.account.name, limit: 60).compactMap { event -> [String: Any]? in
                guard let description = ActivityDescription(event, accountName: current.account.name) else { return nil }
                return ["when": Self.when(event.at, now: now), "iso": RFC3339.string(from: event.at), "text": description.text,
                        "kind": description.isRefusal ? "refused" : "change"]
            }.prefix(30)
            var values = chrome(current, section: "activity")
            values["events"] = Array(events)
            values["hasEvents"] = !events.isEmpty
            return html(renderer.render("activity", values))
        }
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
    func whenSignedIn(_ request: Request, _ context: WebRequestContext, form readsForm: Bool = false,
                      _ body: (SignedIn) async throws -> Response) async throws -> Response {
        let visit = Visit(request, context, configuration)
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
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty,
              let session = sessions.session(id: id, at: engine.currentDate) else { return nil }
        let account = try manager.currentAccount(named: session.accountName)
        guard let account, account.id == session.accountID, account.status == .active,
              account.mailboxPasswordHash == session.mailboxPasswordHash else {
            sessions.end(id: id)
            return nil
        }
        return SignedIn(id: id, session: session, account: account, visit: visit)
    }

    func checkToken(_ form: FormData, of current: SignedIn) throws {
        guard let token = form["csrf"], RandomToken.equal(token, current.session.csrfToken) else {
            throw PageError(.forbidden, "This form has expired",
                            "It did not come from this page as you have it now, so nothing was changed. Go back, reload the page and try again.",
                            link: ("/", "Back to your app passwords"))
        }
    }

    /// Whether creating an app password needs the mailbox password again.
    func needsPassword(_ session: Session) -> Bool {
        engine.currentDate.timeIntervalSince(session.authenticatedAt) >= configuration.reauthenticationAfter
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
            throw PageError(.notFound, "No such app password", "You have no app password with the number \(text). It may have been revoked already.",
                            link: ("/", "Back to your app passwords"))
        }
        return password
    }

    /// The random value the sign-in form's token is derived from, when the cookie holds one.
    func signInNonce(_ request: Request) -> String? {
        guard let value = request.cookies[Self.signInCookie]?.value, value.count == 43,
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return value
    }

    func signInForm(_ request: Request, _ visit: Visit, status: HTTPResponse.Status = .ok, notice: String? = nil, error: String? = nil,
                    typedAccount: String = "") -> Response {
        let existing = signInNonce(request)
        let nonce = existing ?? RandomToken.make()
        var values: [String: Any] = ["csrf": RandomToken.digest(of: nonce, key: formKey), "typedAccount": typedAccount]
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
        Cookie(name: Self.sessionCookie, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
               secure: visit.isSecure, httpOnly: true, sameSite: .strict)
    }

    /// Ends the mail sessions of the accounts a change took access from (the configured kick
    /// command), off the async executors.
    func endMailSessions(_ consequences: Consequences) async {
        guard let terminator, !consequences.accountsLosingAccess.isEmpty else { return }
        let failures = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: terminator.terminateSessions(of: consequences.accountsLosingAccess)) }
        }
        for failure in failures { logger.warning("\(failure)") }
    }

    func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
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

/// Where a request came from: its TCP peer, or what a trusted reverse proxy says, and whether
/// the browser reached the page over HTTPS.
struct Visit {
    let address: IPAddress
    let isSecure: Bool

    /// A request without a TCP peer (the in-process test client) counts as from 127.0.0.1.
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

/// A page that could not be shown as asked: its status, a heading and what to do.
struct PageError: Error {
    let status: HTTPResponse.Status
    let heading: String
    let message: String
    let link: (href: String, text: String)

    init(_ status: HTTPResponse.Status, _ heading: String, _ message: String, link: (String, String) = ("/", "Back to the start")) {
        self.status = status
        self.heading = heading
        self.message = message
        self.link = link
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

extension String {
    /// "app password 3 created" → "App password 3 created".
    var capitalizingFirstLetter: String { prefix(1).uppercased() + dropFirst() }
}
