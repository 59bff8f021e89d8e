import ClientPassCore
import Foundation

/// The page's address as browsers and phones outside reach it (`public_url`,
/// CLIENTPASS_PUBLIC_URL, `--public-url`): scheme, host and port, with which the product makes
/// every link it hands out (the set-up links behind the QR code). Without it, a link names the
/// host the browser asked for, as a trusted proxy forwards it.
public struct PublicURL: Sendable, Hashable, CustomStringConvertible {
    /// `https://host` or `https://host:port`, lowercase, with no path.
    public let description: String

    /// Parses `https://mail.example.com` (or `http://…`, with a port when not the default). The
    /// page is served at the address's root, so a path, a query, a fragment or a user name is
    /// refused.
    /// - Throws: ``InputError`` saying what is wrong.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else {
            throw InputError("\(Quoted(text)) is not a public URL: give the page's address as browsers reach it, e.g. https://mail.example.com")
        }
        guard scheme == "https" || scheme == "http" else {
            throw InputError("\(Quoted(text)) is not a public URL: it must start with https:// (or http://)")
        }
        guard components.user == nil, components.password == nil else {
            // Not quoted: the text holds what may be a password.
            throw InputError("a public URL must not hold a user name or password")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw InputError(
                "\(Quoted(text)) is not a public URL: the page is served at the root of its address, so give no path, query or fragment (e.g. https://mail.example.com)"
            )
        }
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        description = "\(scheme)://\(hostText)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// The link to `path` (which starts with `/`).
    public func appending(_ path: String) -> String {
        description + path
    }
}
