import ClientPassCore
import Foundation
import Logging
import Yams

/// `serve`'s configuration file (YAML). Each setting is optional; a flag beats its environment
/// variable, which beats the file, which beats the default.
///
///     store: /var/lib/clientpass/clientpass.sqlite
///     listen: 127.0.0.1:8787
///     shared_secret_file: /etc/clientpass/shared-secret
///     backends: { imap: 10.0.0.5:143, pop3: 10.0.0.5:110, smtp: 10.0.0.5:587 }
///     warm_cache_seconds: 300
///     log_level: info
///     kick_command: doveadm kick {account}
///     session_idle_minutes: 15
///     mail_servers: { imap: mail.example.com:993, smtp: mail.example.com:587 }
///     trusted_proxies: [127.0.0.1, 10.0.0.0/8]
///     public_url: https://mail.example.com
///     mailbox_password_term: company password
///     tls: { certificate: /etc/clientpass/tls.crt, key: /etc/clientpass/tls.key }
///     metrics_token_file: /etc/clientpass/metrics-token
///     metrics_listen: 127.0.0.1:9787
///     mail_domains: [example.com, example.org]
///     help_desk: IT help desk, extension 4711
///     profile_signing: { certificate: /etc/clientpass/profiles.crt, key: /etc/clientpass/profiles.key }
///     argon2id:
///       app_password: { iterations: 2, memory_mib: 19 }
///       mailbox_password: { iterations: 2, memory_mib: 64 }
public struct ConfigFile: Sendable {
    /// One thing wrong with the file, at its line when it has one.
    public struct Problem: CustomStringConvertible, Equatable, Sendable {
        public let line: Int?
        public let message: String
        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    public static let defaultPath = "/etc/clientpass/clientpass.yaml"
    public static let environmentVariable = "CLIENTPASS_CONFIG"
    /// `session_idle_minutes`, `--session-idle-minutes`: the page's sessions end after this much
    /// idle time.
    public static let sessionIdleMinutesRange = 1...1440

    public var store: String?
    public var listen: IPEndpoint?
    public var sharedSecretFile: String?
    public var backends: [MailService: IPEndpoint] = [:]
    public var warmCacheSeconds: Int?
    public var logLevel: Logger.Level?
    /// Ends the open sessions of an account that lost access (see ``SessionTerminator``); the
    /// CLI's commands run it, as with CLIENTPASS_KICK_COMMAND.
    public var kickCommand: String?
    public var hashing = HashingConfiguration.standard
    /// The self-service page: idle time, the servers shown to employees, trusted proxies.
    public var sessionIdleMinutes: Int?
    public var mailServers: [MailService: MailServer] = [:]
    public var trustedProxies: [IPNetwork]?
    /// HTTPS on `serve`'s own socket: PEM certificate chain and private key.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// `GET /metrics`: the file of its bearer token, and a listener of its own.
    public var metricsTokenFile: String?
    public var metricsListen: IPEndpoint?
    /// The mail domains of autoconfig and Autodiscover.
    public var mailDomains: [MailDomain] = []
    /// What employees call the password they sign in with (``PasswordTerm``).
    public var mailboxPasswordTerm: PasswordTerm?
    /// The page's outside address, for the links the product makes (``PublicURL``).
    public var publicURL: PublicURL?
    /// Whom employees and device owners ask (printed on device cards).
    public var helpDesk: String?
    /// The certificate and key that sign Mail profiles (see ``ProfileSigner``).
    public var profileSigning: ProfileSigningFiles?
    /// Where each setting was, for problems found later (a secret file that cannot be read).
    public var lines: [String: Int] = [:]

    public init() {}

    /// Reads and checks a file; every problem is reported, not just the first.
    public static func load(_ path: String) -> (ConfigFile, [Problem]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return (ConfigFile(), [Problem(line: nil, message: "cannot read \(path)")])
        }
        return parse(text)
    }

    public static func parse(_ text: String) -> (ConfigFile, [Problem]) {
        var config = ConfigFile()
        var problems: [Problem] = []

        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams marks the mapping; the line that repeats the key is more use.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (
                config,
                duplicates.map { key in
                    let repeated = lines.indices.filter { lines[$0].drop { $0 == " " }.hasPrefix(key + ":") }.dropFirst().first
                    return Problem(line: repeated.map { $0 + 1 } ?? context.mark.line, message: "\(key) is set twice")
                }
            )
        } catch let error as YamlError {
            return (config, [Self.problem(from: error)])
        } catch {
            return (config, [Problem(line: nil, message: "not YAML: \(error)")])
        }
        guard let root else { return (config, []) }
        guard let mapping = root.mapping else {
            return (config, [Problem(line: root.mark?.line, message: "the file must be a mapping of settings (key: value)")])
        }

        let reader = ConfigReader()
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                reader.problem(keyNode, "setting names must be plain words")
                continue
            }
            if !seen.insert(key).inserted { reader.problem(keyNode, "\(key) is set twice") }
            config.lines[key] = keyNode.mark?.line
            guard let setting = settings.first(where: { $0.name == key }) else {
                let known = settings.map(\.name)
                let hint = closestMatch(to: key, among: known).map { "; did you mean \($0)?" } ?? " (\(known.joined(separator: ", ")))"
                reader.problem(keyNode, "unknown setting \(key)\(hint)")
                continue
            }
            setting.read(reader, value, &config)
        }
        problems += reader.problems
        return (config, problems)
    }

    /// Things worth a look that are not wrong: a `doveadm` kick command that names no Dovecot
    /// instance talks to the default one (`-c FILE` or `-i NAME` names another).
    public var notes: [Problem] {
        guard let kickCommand else { return [] }
        let words = kickCommand.split(separator: " ").map(String.init)
        guard let program = words.first, program == "doveadm" || program.hasSuffix("/doveadm"),
            !words.contains(where: { $0 == "-c" || $0 == "-i" || $0.hasPrefix("-c") || $0.hasPrefix("-i") })
        else { return [] }
        return [
            Problem(
                line: lines["kick_command"],
                message: "kick_command runs doveadm for the default Dovecot (/etc/dovecot/dovecot.conf); for another instance add -c FILE or -i NAME")
        ]
    }

    private static func problem(from error: YamlError) -> Problem {
        switch error {
        case .scanner(_, let message, let mark, _), .parser(_, let message, let mark, _), .composer(_, let message, let mark, _):
            return Problem(line: mark.line, message: "not valid YAML: \(message)")
        default:
            return Problem(line: nil, message: "not valid YAML: \(error)")
        }
    }
}

extension ConfigFile {
    /// The implicit file (``implicitPath``), read: its settings and its problems; `nil` when
    /// there is none.
    public static func loadImplicit() -> (path: String, config: ConfigFile, problems: [Problem])? {
        guard let path = implicitPath else { return nil }
        let (config, problems) = load(path)
        return (path, config, problems)
    }

    /// Where the CLI looked for its settings, for an error about a missing one: the file it read
    /// (and why its settings were not used, when it has problems), or that there is none.
    public static var implicitSourceDescription: String {
        guard let (path, _, problems) = loadImplicit() else {
            return "no configuration file was read: \(defaultPath) does not exist and \(environmentVariable) is not set"
        }
        let named = ProcessInfo.processInfo.environment[environmentVariable].map { _ in "\(environmentVariable) names \(path)" } ?? "read \(path)"
        guard problems.isEmpty else {
            return "\(named), whose settings were not used: \(problems.map(\.description).joined(separator: "; ")) (clientpass config check)"
        }
        return named
    }

    /// The file the CLI and `serve` read when no flag names one: $CLIENTPASS_CONFIG, else the
    /// default path when it exists.
    public static var implicitPath: String? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty { return path }
        return FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil
    }
}
