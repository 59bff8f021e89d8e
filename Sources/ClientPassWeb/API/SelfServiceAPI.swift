import ClientPassAPI
import ClientPassCore
import ClientPassEdge
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime

/// The self-service API under `/api/v1/` (openapi.yaml, the server side generated from it): what
/// the page does, for the `clientpass` command line on an employee's computer, with the page's
/// rules and no weaker. A bearer token is a session of the store's kind `api`: a random token,
/// stored as a digest, ending as a page session ends. Each operation calls what the page calls
/// (``SelfServiceOperations``, the credential manager), so a rule changed there changes both.
struct SelfServiceAPI: APIProtocol {
    let engine: DecisionEngine
    let manager: CredentialManager
    let operations: SelfServiceOperations
    let tokens: PageSessions
    let configuration: PageConfiguration
    let logger: Logger

    /// The request as the API middleware saw it: the caller's address and its bearer token.
    struct Caller: Sendable {
        let visit: Visit
        let token: String?
    }

    @TaskLocal static var caller: Caller?

    private var caller: Caller {
        get throws {
            guard let caller = Self.caller else { throw APIProblem.temporaryFailure("the request reached the API without its middleware") }
            return caller
        }
    }

    /// The token's live session and its account, which still may use it: present, active, with
    /// the mailbox password it signed in with. Otherwise the token ends, and the answer is 401.
    private func signedIn() throws -> (token: String, session: Session, account: Account) {
        guard let token = try caller.token,
            let (session, account) = try tokens.signedIn(id: token, at: engine.currentDate, manager: manager)
        else {
            throw APIProblem.signedOut
        }
        return (token, session, account)
    }

    // MARK: Session

    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output {
        guard case .json(let body) = input.body else { throw APIProblem.invalidInput("a JSON body with account and password") }
        let visit = try caller.visit
        let result = try await engine.signIn(user: body.account, mailboxPassword: Secret(body.password), address: visit.address, channel: .api)
        logger.info("self-service API sign-in", metadata: ["address": "\(visit.address)", "result": "\(result.logValue)"])
        switch result {
        case .signedIn(let account):
            let (token, session) = try tokens.create(for: account, at: engine.currentDate)
            return .created(
                .init(
                    body: .json(
                        .init(
                            token: token, account: account.name,
                            expiresAt: session.createdAt.addingTimeInterval(configuration.sessionMaximumAge),
                            idleTimeoutSeconds: Int(configuration.sessionIdleTimeout)))))
        case .wrongCredentials:
            return .unauthorized(APIProblem.wrongCredentials.response(configuration.passwordTerm))
        case .accountDisabled:
            return .forbidden(APIProblem.accountDisabled.response)
        case .throttled(let retryAfter):
            return .tooManyRequests(APIProblem.throttled(retryAfter).throttledResponse)
        }
    }

    func signOut(_ input: Operations.SignOut.Input) async throws -> Operations.SignOut.Output {
        let current = try signedIn()
        try tokens.end(id: current.token)
        return .noContent(.init())
    }

    // MARK: App passwords

    func listPasswords(_ input: Operations.ListPasswords.Input) async throws -> Operations.ListPasswords.Output {
        let current = try signedIn()
        return .ok(.init(body: .json(try manager.appPasswords(of: current.account).map(Self.schema))))
    }

    func createPassword(_ input: Operations.CreatePassword.Input) async throws -> Operations.CreatePassword.Output {
        let current = try signedIn()
        guard case .json(let body) = input.body else { throw APIProblem.invalidInput("a JSON body with a label") }
        let label: Label
        let limits: CredentialLimits
        do {
            label = try Label(validating: body.label)
            let networks = try (body.networks ?? []).map { try IPNetwork(parsing: $0) }
            let expires = try body.expires.flatMap { $0.isEmpty ? nil : try Expiry.parse($0, now: engine.currentDate) }
            limits = CredentialLimits(
                protocols: Set((body.protocols ?? []).compactMap { MailService(rawValue: $0.rawValue) }),
                networks: networks, expiresAt: expires)
        } catch let error as InputError {
            return .badRequest(APIProblem.invalidInput(error.description).response)
        }
        switch try await operations.confirmRecentSignIn(
            current.session, of: current.account, password: body.password,
            address: try caller.visit.address, channel: .api)
        {
        case .confirmed(let when):
            if let when { try tokens.update(id: current.token) { $0.authenticatedAt = when } }
        case .passwordNeeded:
            return .unauthorized(APIProblem.reauthenticationRequired(configuration.reauthenticationAfter).response(configuration.passwordTerm))
        case .wrongPassword:
            return .unauthorized(APIProblem.wrongCredentials.response(configuration.passwordTerm))
        case .throttled(let retryAfter):
            return .tooManyRequests(APIProblem.throttled(retryAfter).throttledResponse)
        }
        let generated: GeneratedAppPassword
        do {
            generated = try manager.generateAppPassword(for: current.account, label: label, limits: limits, by: .account(current.account.name))
        } catch let error as CredentialError where error.kind == .limitReached {
            let count = error.count ?? 0
            return .conflict(APIProblem.limitReached(count).response)
        }
        let password = generated.appPassword
        return .created(
            .init(
                body: .json(
                    .init(
                        id: Int64(password.id), label: password.label, password: generated.displayPassword,
                        createdAt: password.createdAt, protocols: Self.protocols(password.limits.protocols),
                        networks: password.limits.networks.map(\.description), expiresAt: password.limits.expiresAt,
                        issuedBy: password.issuedBy,
                        servers: MailServer.shown(for: current.account, limits: limits, among: configuration.mailServers).map { service, server in
                            .init(
                                _protocol: .init(rawValue: service.rawValue)!, host: server.host, port: server.port,
                                security: server.security == .tls ? .tls : .starttls)
                        }))))
    }

    func renamePassword(_ input: Operations.RenamePassword.Input) async throws -> Operations.RenamePassword.Output {
        let current = try signedIn()
        guard case .json(let body) = input.body else { throw APIProblem.invalidInput("a JSON body with a label") }
        let label: Label
        do { label = try Label(validating: body.label) } catch let error as InputError {
            return .badRequest(APIProblem.invalidInput(error.description).response)
        }
        guard let id = Int(exactly: input.path.id), try manager.appPasswords(of: current.account).contains(where: { $0.id == id }) else {
            return .notFound(APIProblem.notFound(input.path.id).response)
        }
        let renamed = try manager.relabelAppPassword(id, of: current.account, to: label, by: .account(current.account.name))
        return .ok(.init(body: .json(Self.schema(renamed))))
    }

    func revokePassword(_ input: Operations.RevokePassword.Input) async throws -> Operations.RevokePassword.Output {
        let current = try signedIn()
        guard let id = Int(exactly: input.path.id), try manager.appPasswords(of: current.account).contains(where: { $0.id == id }) else {
            return .notFound(APIProblem.notFound(input.path.id).response)
        }
        let (revoked, consequences) = try manager.revokeAppPassword(id, of: current.account, by: .account(current.account.name))
        await operations.endMailSessions(consequences)
        return .ok(.init(body: .json(.init(revoked: [Int64(revoked.id)]))))
    }

    func revokeAllPasswords(_ input: Operations.RevokeAllPasswords.Input) async throws -> Operations.RevokeAllPasswords.Output {
        let current = try signedIn()
        let (revoked, consequences) = try manager.revokeAllAppPasswords(of: current.account, by: .account(current.account.name))
        await operations.endMailSessions(consequences)
        return .ok(.init(body: .json(.init(revoked: revoked.map { Int64($0.id) }))))
    }

    // MARK: Access and activity

    func getAccess(_ input: Operations.GetAccess.Input) async throws -> Operations.GetAccess.Output {
        let current = try signedIn()
        let summary = try manager.access(for: current.account)
        let address = try caller.visit.address
        return .ok(
            .init(
                body: .json(
                    .init(
                        account: summary.account.name,
                        department: summary.account.department,
                        status: summary.account.status == .active ? .active : .disabled,
                        services: .init(imap: summary.account.services.imap, pop3: summary.account.services.pop3, smtp: summary.account.services.smtp),
                        thirdPartyClients: summary.thirdPartyClients == .allowed ? .allowed : .blocked,
                        secureNetworks: summary.secureNetworks.map { .init(network: $0.network.description, note: $0.note) },
                        securePasswordRequired: summary.isSecurePasswordRequired,
                        exception: summary.isException,
                        firstPartyHosts: summary.firstPartyHosts.map { .init(network: $0.network.description, note: $0.note) },
                        address: address.description,
                        fromSecureNetwork: summary.secureNetworks.contains { $0.network.contains(address) }))))
    }

    func getActivity(_ input: Operations.GetActivity.Input) async throws -> Operations.GetActivity.Output {
        let current = try signedIn()
        let events = try manager.auditEvents(about: current.account.name, limit: 60).compactMap { event -> Components.Schemas.ActivityEvent? in
            guard let description = ActivityDescription(event, accountName: current.account.name, term: configuration.passwordTerm) else { return nil }
            return .init(at: event.at, kind: description.isRefusal ? .refused : .change, text: description.text)
        }
        return .ok(.init(body: .json(Array(events.prefix(30)))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(APIDocument.yaml))))
    }

    // MARK: Schemas

    static func schema(_ password: AppPassword) -> Components.Schemas.AppPassword {
        .init(
            id: Int64(password.id), label: password.label, createdAt: password.createdAt, protocols: protocols(password.limits.protocols),
            networks: password.limits.networks.map(\.description), expiresAt: password.limits.expiresAt, issuedBy: password.issuedBy,
            lastUsedAt: password.lastUsedAt, lastUsedIp: password.lastUsedAddress,
            lastUsedProtocol: password.lastUsedProtocol.flatMap { Components.Schemas._Protocol(rawValue: $0.rawValue) })
    }

    static func protocols(_ services: Set<MailService>) -> [Components.Schemas._Protocol] {
        services.sorted().compactMap { Components.Schemas._Protocol(rawValue: $0.rawValue) }
    }
}
