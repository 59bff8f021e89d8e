import ArgumentParser
import AsyncHTTPClient
import ClientPassCore
import Foundation
import HTTPTypes
import NIOSSL
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Yams

/// Where the self-service commands go when a server is configured: `clientpass serve`'s API
/// (docs/api.md), from the employee's own computer. The server comes from `--server`, else
/// `CLIENTPASS_SERVER`, else the user's `config.yaml`; the token `clientpass login` got is kept
/// in `$XDG_CONFIG_HOME/clientpass/session` (0600, in a 0700 folder).
struct RemoteServer: Sendable {
    let url: URL
    /// CA certificates (PEM) to verify the server with, instead of the system's.
    let caFile: String?

    /// The user's clientpass folder: `$XDG_CONFIG_HOME/clientpass`, else `~/.config/clientpass`.
    static var folder: String {
        let environment = ProcessInfo.processInfo.environment
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return base + "/clientpass" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/clientpass"
    }

    static var configFile: String { folder + "/config.yaml" }
    static var sessionFile: String { folder + "/session" }

    /// The configured server, or `nil` to use the store on this host.
    /// - Throws: ``InputError`` for a URL that is not one, or plain HTTP to another host.
    static func resolve(flag: String?, caFile: String?) throws -> RemoteServer? {
        let environment = ProcessInfo.processInfo.environment
        var text = flag ?? environment["CLIENTPASS_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
        var ca = caFile
        if text == nil, let saved = try savedConfiguration() {
            text = saved.server
            ca = ca ?? saved.caFile
        }
        guard let text else { return nil }
        return RemoteServer(url: try validated(text), caFile: ca)
    }

    /// An `https://` URL, or `http://` to this host only (the sign-in carries the mailbox
    /// password, every request a token).
    static func validated(_ text: String) throws -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil
        else {
            throw InputError("--server must be a URL like https://mail.example.com, not \(Quoted(text))")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            guard IPAddress.isLoopback(host: host) else {
                throw InputError("\(Quoted(text)) is plain HTTP: the mailbox password and the token would cross the network unencrypted; use https://")
            }
            return url
        default:
            throw InputError("--server must be an https:// URL, not \(Quoted(text))")
        }
    }

    struct Saved: Codable {
        var server: String
        var caFile: String?
        /// The account the session is for.
        var account: String?

        enum CodingKeys: String, CodingKey {
            case server, account
            case caFile = "ca_file"
        }
    }

    static func savedConfiguration() throws -> Saved? {
        guard let data = FileManager.default.contents(atPath: configFile) else { return nil }
        do {
            return try YAMLDecoder().decode(Saved.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw CommandFailure("\(configFile) cannot be read (\(error)): fix it, or run clientpass login again")
        }
    }

    /// Keeps the server (and CA file) for the next commands, and the token, private to the user.
    func save(token: String, account: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: Self.folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(Self.folder, 0o700)
        let saved = Saved(server: url.absoluteString, caFile: caFile, account: account)
        try Self.writePrivate(try YAMLEncoder().encode(saved), to: Self.configFile, mode: 0o600)
        try Self.writePrivate(token + "\n", to: Self.sessionFile, mode: 0o600)
    }

    /// Writes a file created with `mode` from the start (never readable by others, even for a moment).
    static func writePrivate(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = path + ".new"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw CommandFailure("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func savedToken() -> String? {
        guard let data = FileManager.default.contents(atPath: sessionFile) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    static func forgetToken() {
        unlink(sessionFile)
    }

    /// Runs `body` with a client of the server's API (TLS verified), shut down afterwards.
    func withClient<Result>(token: String?, _ body: (Client) async throws -> Result) async throws -> Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw CommandFailure("cannot use \(Quoted(caFile)) as CA certificates: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = Client(
            serverURL: url.appendingPathComponent("api/v1"),
            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(60))),
            middlewares: token.map { [BearerToken(token: $0)] } ?? [])
        do {
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            if UntrustedCertificate.isVerificationFailure(error) {
                throw CommandFailure(await UntrustedCertificate.explanation(for: url, caFile: caFile))
            }
            throw Self.explained(error, server: url)
        }
    }

    /// What went wrong, in words: the server unreachable, its certificate refused, or the
    /// error itself.
    static func explained(_ error: any Error, server: URL) -> any Error {
        if error is CommandFailure || error is SignedOut || error is ExitCode { return error }
        if let clientError = error as? ClientError {
            return CommandFailure("cannot reach \(server.absoluteString): \(String(describing: clientError.underlyingError))")
        }
        return error
    }
}

/// `Authorization: Bearer TOKEN` on every request.
struct BearerToken: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

/// The token ended (idle, too old, signed out elsewhere, a new mailbox password): the
/// commands exit with ``ExitCodes/signedOut``.
struct SignedOut: Error, CustomStringConvertible {
    var description: String { "signed out: run clientpass login" }
}
