import Foundation

/// Where a PostgreSQL store is: `postgresql://USER@HOST:PORT/DATABASE?sslmode=…` (or
/// `postgres://`), as libpq writes it. The password is never part of it: it comes from a
/// password file (`passfile=` in the URL, else `$PGPASSFILE`, else `~/.pgpass`, the libpq
/// format) or `$PGPASSWORD`, so that it reaches neither argv nor the process list nor a message.
public struct PostgreSQLLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected (libpq's `sslmode`, with the modes that protect nothing
    /// for sure left out: `allow` and `prefer`).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS: only on loopback or a Unix socket.
        case disable
        /// TLS, the server's certificate not checked (libpq's meaning).
        case require
        /// TLS, the certificate checked against the CA, not the host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate checked against the CA and the host name.
        case verifyFull = "verify-full"
    }

    public let user: String
    /// A host name or address, or the folder of a Unix socket (starting with `/`).
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode
    /// The CA certificates (PEM) for `verify-ca` and `verify-full`; the system's when nil.
    public let rootCertificate: String?
    /// A password file named in the URL.
    public let passwordFile: String?

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// - Throws: ``InputError`` saying what is wrong: a password in the URL, an unknown
    ///   parameter or `sslmode`, clear text off loopback.
    public init(parsing text: String) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw InputError("\(Quoted(Self.redacted(text))) is not a PostgreSQL URL: write postgresql://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw InputError(
                "the PostgreSQL URL holds a password, which would be seen in the process list and logs: put it in a password file (passfile=PATH in the URL, $PGPASSFILE or ~/.pgpass) or $PGPASSWORD"
            )
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard parameters[item.name] == nil else { throw InputError("the PostgreSQL URL gives \(item.name) twice") }
            parameters[item.name] = item.value ?? ""
        }
        let known: Set = ["sslmode", "sslrootcert", "passfile", "host", "port", "user", "dbname"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError("the PostgreSQL URL has an unknown parameter \(Quoted(unknown)) (known: \(known.sorted().joined(separator: ", ")))")
        }
        let host = parameters["host"] ?? components.host.map { $0.removingPercentEncoding ?? $0 } ?? ""
        guard !host.isEmpty else {
            throw InputError("the PostgreSQL URL names no host: write postgresql://USER@HOST/DATABASE, or ?host=/run/postgresql for a Unix socket")
        }
        let portText = parameters["port"] ?? components.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw InputError("the PostgreSQL URL's port \(Quoted(portText)) is not a port number")
        }
        let user = parameters["user"] ?? components.user?.removingPercentEncoding ?? ""
        guard !user.isEmpty else { throw InputError("the PostgreSQL URL names no user: write postgresql://USER@HOST/DATABASE") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = parameters["dbname"] ?? (path.removingPercentEncoding ?? path)
        guard !database.isEmpty, !database.contains("/") else {
            throw InputError("the PostgreSQL URL names no database: write postgresql://USER@HOST/DATABASE")
        }
        let isLocal = host.hasPrefix("/") || IPAddress(host)?.isLoopback == true || host == "localhost"
        let tls: TLSMode
        if let mode = parameters["sslmode"] {
            guard let known = TLSMode(rawValue: mode) else {
                throw InputError(
                    "sslmode \(Quoted(mode)) is not one clientpass uses: give \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")) (allow and prefer may fall back to clear text)"
                )
            }
            tls = known
        } else {
            tls = isLocal ? .disable : .verifyFull
        }
        if tls == .disable && !isLocal {
            throw InputError(
                "sslmode=disable sends passwords' hashes and the audit trail in clear text to \(host): use TLS (sslmode=verify-full), or a database on loopback or a Unix socket"
            )
        }
        if host.hasPrefix("/") && tls != .disable {
            throw InputError("a Unix socket (\(host)) takes no TLS: leave sslmode out")
        }
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
        self.rootCertificate = parameters["sslrootcert"]
        self.passwordFile = parameters["passfile"]
    }

    /// The URL without secrets (it never holds one), for messages and the audit trail.
    public var description: String {
        var text = "postgresql://\(user)@"
        if host.hasPrefix("/") {
            text += "/\(database)?host=\(host)"
            if port != 5432 { text += "&port=\(port)" }
        } else {
            text += (host.contains(":") ? "[\(host)]" : host) + (port == 5432 ? "" : ":\(port)") + "/\(database)"
            if tls != .verifyFull { text += "?sslmode=\(tls.rawValue)" }
        }
        return text
    }

    /// Where the server is: `host:port`, or the socket's path.
    public var endpoint: String {
        host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// A URL as it may be shown when it could not be read: anything between `://` and `@` goes.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        return text[..<scheme.upperBound] + "…" + text[at...]
    }

    /// The password: the first matching line of the password file (libpq's format,
    /// `host:port:database:user:password`, `*` matching anything, `\` escaping), else
    /// `$PGPASSWORD`; nil when neither has one (trust or peer authentication).
    /// - Throws: ``InputError`` when a named password file cannot be read or is open to others.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let named = passwordFile ?? environment["PGPASSFILE"]
        let file = named ?? environment["HOME"].map { $0 + "/.pgpass" }
        if let file, FileManager.default.fileExists(atPath: file) {
            var info = stat()
            if stat(file, &info) == 0, info.st_mode & 0o077 != 0 {
                throw InputError("the password file \(file) can be read by others: run chmod 600 \(file)")
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw InputError("cannot read the password file \(file)")
            }
            let socketHost = host.hasPrefix("/") ? "localhost" : host
            for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
                let fields = Self.passwordFileFields(String(line))
                guard fields.count == 5 else { continue }
                let wanted = [socketHost, String(port), database, user]
                if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
            }
        } else if let named {
            throw InputError("the password file \(named) does not exist")
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        return nil
    }

    private static func passwordFileFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
