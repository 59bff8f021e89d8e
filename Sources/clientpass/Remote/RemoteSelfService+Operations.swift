import ClientPassAPI
import ClientPassCore
import ClientPassEdge
import Foundation
import OpenAPIRuntime

/// The self-service operations through the server's API, answering with the core's types, so
/// that the commands print the same text and the same `--json` as with the store on this host.
extension RemoteServer {
    /// The token `clientpass login` kept, for the server it was issued by only: a token is never
    /// sent to another server (`--server` or CLIENTPASS_SERVER naming a different one), which
    /// could use it. Without one, the commands say to sign in.
    func token() throws -> String {
        guard let token = Self.savedToken(), try Self.savedConfiguration()?.server == url.absoluteString else { throw SignedOut() }
        return token
    }

    /// The name of the account the session is for, as `clientpass login` kept it.
    func signedInAccount() throws -> String {
        try Self.savedConfiguration()?.account ?? ""
    }

    /// A problem's words, for the error message.
    static func detail(_ problem: Components.Responses.Problem) -> String {
        (try? problem.body.applicationProblemJson.detail) ?? "the server refused the request"
    }

    static func type(_ problem: Components.Responses.Problem) -> String {
        ((try? problem.body.applicationProblemJson._type) ?? "").components(separatedBy: "/").last ?? ""
    }

    /// An app password's limits as the API writes them.
    static func limits(_ protocols: [Components.Schemas._Protocol], _ networks: [String], _ expiresAt: Date?) -> CredentialLimits {
        CredentialLimits(
            protocols: Set(protocols.compactMap { MailService(rawValue: $0.rawValue) }),
            networks: networks.compactMap { try? IPNetwork(parsing: $0) }, expiresAt: expiresAt)
    }

    static func appPassword(_ password: Components.Schemas.AppPassword) -> AppPassword {
        AppPassword(
            accountID: 0, id: Int(password.id), label: password.label,
            limits: limits(password.protocols, password.networks, password.expiresAt),
            issuedBy: password.issuedBy, createdAt: password.createdAt, lastUsedAt: password.lastUsedAt,
            lastUsedAddress: password.lastUsedIp, lastUsedProtocol: password.lastUsedProtocol.flatMap { MailService(rawValue: $0.rawValue) },
            selector: "", hash: "")
    }

    func listPasswords() async throws -> [AppPassword] {
        try await withClient(token: try token()) { client in
            switch try await client.listPasswords() {
            case .ok(let ok): return try ok.body.json.map(Self.appPassword)
            case .unauthorized: throw SignedOut()
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
            }
        }
    }

    /// Creates an app password; asks `confirm` for the mailbox password when the server needs it
    /// again (more than 5 minutes after the sign-in).
    /// - Returns: the password, and the servers to set its mail client up with (as the page shows
    ///   them; none from a server that names none).
    func createPassword(
        label: String, limits: CredentialLimits, expires: String?,
        confirm: () throws -> Secret
    ) async throws -> (generated: GeneratedAppPassword, servers: [(service: MailService, server: MailServer)]) {
        try await withClient(token: try token()) { client in
            var password: String?
            while true {
                let request = Components.Schemas.NewPasswordRequest(
                    label: label, protocols: limits.protocols.sorted().compactMap { .init(rawValue: $0.rawValue) },
                    networks: limits.networks.map(\.description), expires: expires, password: password)
                switch try await client.createPassword(body: .json(request)) {
                case .created(let created):
                    let made = try created.body.json
                    let secret = Secret(made.password.replacingOccurrences(of: " ", with: ""))
                    let appPassword = AppPassword(
                        accountID: 0, id: Int(made.id), label: made.label,
                        limits: Self.limits(made.protocols, made.networks, made.expiresAt),
                        issuedBy: made.issuedBy, createdAt: made.createdAt, lastUsedAt: nil, lastUsedAddress: nil,
                        lastUsedProtocol: nil, selector: "", hash: "")
                    let servers = (made.servers ?? []).compactMap { shown -> (service: MailService, server: MailServer)? in
                        guard let service = MailService(rawValue: shown._protocol.rawValue), (1...65_535).contains(shown.port) else { return nil }
                        return (service, MailServer(host: shown.host, port: shown.port, security: shown.security == .tls ? .tls : .starttls))
                    }
                    return (GeneratedAppPassword(appPassword: appPassword, secret: secret), servers)
                case .unauthorized(let problem):
                    switch Self.type(problem) {
                    case "reauthentication-required" where password == nil:
                        password = try confirm().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                    case "wrong-credentials":
                        throw CommandFailure("that is not the password you sign in with; nothing was created")
                    default:
                        throw SignedOut()
                    }
                case .badRequest(let problem): throw InputError(Self.detail(problem))
                case .conflict(let problem): throw CommandFailure(Self.detail(problem) + "; nothing was created")
                case .tooManyRequests(let throttled):
                    throw CommandFailure(
                        "too many failed sign-ins for this account or from this computer; nothing was created; try again in \(DurationText.format(TimeInterval(throttled.headers.retryAfter)))"
                    )
                case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
                }
            }
        }
    }

    func renamePassword(_ id: Int, to label: String) async throws -> AppPassword {
        try await withClient(token: try token()) { client in
            switch try await client.renamePassword(path: .init(id: Int64(id)), body: .json(.init(label: label))) {
            case .ok(let ok): return Self.appPassword(try ok.body.json)
            case .badRequest(let problem): throw InputError(Self.detail(problem))
            case .notFound: throw CommandFailure("you have no app password \(id); see `clientpass password list`")
            case .unauthorized: throw SignedOut()
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
            }
        }
    }

    /// Revokes one app password, or all: what was revoked, with the labels the list had.
    func revoke(_ id: Int?) async throws -> [AppPassword] {
        let before = try await listPasswords()
        return try await withClient(token: try token()) { client in
            let ids: [Int64]
            if let id {
                switch try await client.revokePassword(path: .init(id: Int64(id))) {
                case .ok(let ok): ids = try ok.body.json.revoked
                case .notFound: throw CommandFailure("you have no app password \(id); see `clientpass password list`")
                case .unauthorized: throw SignedOut()
                case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
                }
            } else {
                switch try await client.revokeAllPasswords() {
                case .ok(let ok): ids = try ok.body.json.revoked
                case .unauthorized: throw SignedOut()
                case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
                }
            }
            return ids.map { id in
                before.first { $0.id == Int(id) }
                    ?? AppPassword(
                        accountID: 0, id: Int(id), label: "", limits: CredentialLimits(), issuedBy: "",
                        createdAt: Date(), lastUsedAt: nil, lastUsedAddress: nil, lastUsedProtocol: nil,
                        selector: "", hash: "")
            }
        }
    }

    func access() async throws -> Components.Schemas.Access {
        try await withClient(token: try token()) { client in
            switch try await client.getAccess() {
            case .ok(let ok): return try ok.body.json
            case .unauthorized: throw SignedOut()
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
            }
        }
    }
}
