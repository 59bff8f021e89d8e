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
///     tls: { certificate: /etc/clientpass/tls.crt, key: /etc/clientpass/tls.key }
///     metrics_token_file: /etc/clientpass/metrics-token
///     metrics_listen: 127.0.0.1:9787
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

    public var store: String?
    public var listen: Backend?
    public var sharedSecretFile: String?
    public var backends: [ClientPassCore.Service: Backend] = [:]
    public var warmCacheSeconds: Int?
    public var logLevel: Logger.Level?
    /// Ends the open sessions of an account that lost access (see ``SessionTerminator``); the
    /// CLI's commands run it, as with CLIENTPASS_KICK_COMMAND.
    public var kickCommand: String?
    public var hashing = HashingConfiguration.standard
    /// The self-service page: idle time, the servers shown to employees, trusted proxies.
    public var sessionIdleMinutes: Int?
    public var mailServers: [ClientPassCore.Service: MailServer] = [:]
    public var trustedProxies: [IPNetwork]?
    /// HTTPS on `serve`'s own socket: PEM certificate chain and private key.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// `GET /metrics`: the file of its bearer token, and a listener of its own.
    public var metricsTokenFile: String?
    public var metricsListen: Backend?
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
        func problem(_ node: Node?, _ message: String) { problems.append(Problem(line: node?.mark?.line, message: message)) }

        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams marks the mapping; the line that repeats the key is more use.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (config, duplicates.map { key in
                let repeated = lines.indices.filter { lines[$0].drop { $0 == " " }.hasPrefix(key + ":") }.dropFirst().first
                return Problem(line: repeated.map { $0 + 1 } ?? context.mark.line, message: "\(key) is set twice")
            })
        } catch let error as YamlError {
            return (config, [Self.problem(from: error)])
        } catch {
            return (config, [Problem(line: nil, message: "not YAML: \(error)")])
        }
        guard let root else { return (config, []) }
        guard let mapping = root.mapping else {
            return (config, [Problem(line: root.mark?.line, message: "the file must be a mapping of settings (key: value)")])
        }

        func string(_ node: Node, _ key: String) -> String? {
            guard let scalar = node.scalar, !scalar.string.isEmpty else {
                problem(node, "\(key) must be a single value")
                return nil
            }
            return scalar.string
        }
        func integer(_ node: Node, _ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = node.scalar.flatMap({ Int($0.string) }), range.contains(value) else {
                problem(node, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }
        func address(_ node: Node, _ key: String) -> Backend? {
            guard let text = string(node, key) else { return nil }
            do { return try Backend(parsing: text) } catch {
                problem(node, "\(key): \(error)")
                return nil
            }
        }
        /// A mapping of imap, pop3 and smtp to something; other names are problems.
        /// In the file's order, so that problems come out by line.
        func forEachService(_ node: Node, _ key: String, values: String, what: String, _ body: (ClientPassCore.Service, Node) -> Void) {
            guard let mapping = node.mapping else {
                problem(node, "\(key) must be a mapping of imap, pop3 and smtp to \(values)")
                return
            }
            for (name, value) in mapping {
                guard let service = name.string.flatMap(ClientPassCore.Service.init(rawValue:)) else {
                    problem(name, "unknown \(what) \(Quoted(name.string ?? "?")) (imap, pop3, smtp)")
                    continue
                }
                body(service, value)
            }
        }
        func argon2id(_ node: Node, _ key: String, floor: Argon2idParameters) -> Argon2idParameters? {
            guard let settings = node.mapping else {
                problem(node, "\(key) must be a mapping with iterations and memory_mib")
                return nil
            }
            var iterations = floor.iterations
            var memoryMiB = floor.memoryKiB / 1024
            for (name, value) in settings {
                switch name.string {
                case "iterations": iterations = integer(value, "\(key).iterations", 1...100) ?? iterations
                case "memory_mib": memoryMiB = integer(value, "\(key).memory_mib", 1...4096) ?? memoryMiB
                default: problem(name, "unknown setting \(key).\(name.string ?? "?") (iterations, memory_mib)")
                }
            }
            let parameters = Argon2idParameters(iterations: iterations, memoryKiB: memoryMiB * 1024)
            guard parameters.isAtLeast(floor) else {
                problem(node, "\(key) is weaker than the floor of t=\(floor.iterations), \(floor.memoryKiB / 1024) MiB")
                return nil
            }
            return parameters
        }

        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                problem(keyNode, "setting names must be plain words")
                continue
            }
            if !seen.insert(key).inserted { problem(keyNode, "\(key) is set twice") }
            config.lines[key] = keyNode.mark?.line
            switch key {
            case "store": config.store = string(value, key)
            case "listen": config.listen = address(value, key)
            case "shared_secret_file": config.sharedSecretFile = string(value, key)
            case "metrics_token_file": config.metricsTokenFile = string(value, key)
            case "metrics_listen": config.metricsListen = address(value, key)
            case "kick_command":
                if let text = string(value, key) {
                    if !text.contains("{account}") || SessionTerminator(command: text) == nil {
                        problem(value, "kick_command must name a program and contain {account} (e.g. doveadm kick {account})")
                    } else {
                        config.kickCommand = text
                    }
                }
            case "warm_cache_seconds": config.warmCacheSeconds = integer(value, key, 0...Int(WarmCache.maximumLifetime))
            case "session_idle_minutes": config.sessionIdleMinutes = integer(value, key, PageConfiguration.idleMinutesRange)
            case "mail_servers":
                forEachService(value, key, values: "HOST:PORT [tls|starttls]", what: "mail server") { service, server in
                    guard let text = string(server, "mail_servers.\(service.rawValue)") else { return }
                    do { config.mailServers[service] = try MailServer(parsing: text) } catch {
                        problem(server, "mail_servers.\(service.rawValue): \(error)")
                    }
                }
            case "tls":
                guard let settings = value.mapping else {
                    problem(value, "tls must be a mapping with certificate and key (PEM files)")
                    continue
                }
                for (name, file) in settings {
                    switch name.string {
                    case "certificate": config.tlsCertificate = string(file, "tls.certificate")
                    case "key": config.tlsKey = string(file, "tls.key")
                    default: problem(name, "unknown setting tls.\(name.string ?? "?") (certificate, key)")
                    }
                }
                if (config.tlsCertificate == nil) != (config.tlsKey == nil) {
                    problem(value, "tls needs both certificate and key")
                }
            case "trusted_proxies":
                let items: [Node]
                if let sequence = value.sequence { items = Array(sequence) } else { items = [value] }
                var networks: [IPNetwork] = []
                for item in items {
                    guard let text = string(item, key) else { continue }
                    do { networks += try IPNetwork.parseList(text) } catch { problem(item, "trusted_proxies: \(error)") }
                }
                config.trustedProxies = networks
            case "log_level":
                if let text = string(value, key) {
                    if let level = Logger.Level(rawValue: text) { config.logLevel = level } else {
                        problem(value, "log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            case "backends":
                forEachService(value, key, values: "ADDRESS:PORT", what: "backend") { service, backend in
                    config.backends[service] = address(backend, "backends.\(service.rawValue)")
                }
            case "argon2id":
                guard let sections = value.mapping else {
                    problem(value, "argon2id must be a mapping with app_password and mailbox_password")
                    continue
                }
                for (name, section) in sections {
                    switch name.string {
                    case "app_password":
                        config.hashing.appPassword = argon2id(section, "argon2id.app_password", floor: .appPasswordFloor) ?? config.hashing.appPassword
                    case "mailbox_password":
                        config.hashing.mailboxPassword = argon2id(section, "argon2id.mailbox_password", floor: .mailboxPasswordFloor)
                            ?? config.hashing.mailboxPassword
                    default: problem(name, "unknown setting argon2id.\(name.string ?? "?") (app_password, mailbox_password)")
                    }
                }
            default:
                let known = ["store", "listen", "shared_secret_file", "backends", "warm_cache_seconds", "log_level", "kick_command", "argon2id",
                             "session_idle_minutes", "mail_servers", "trusted_proxies", "tls", "metrics_token_file", "metrics_listen"]
                let hint = closestMatch(to: key, among: known).map { "; did you mean \($0)?" } ?? " (\(known.joined(separator: ", ")))"
                problem(keyNode, "unknown setting \(key)\(hint)")
            }
        }
        return (config, problems)
    }

    /// Problems only the machine can show: a shared secret file that cannot be used, a missing
    /// store.
    public func checkFiles() -> [Problem] {
        var problems: [Problem] = []
        if let sharedSecretFile {
            do { _ = try SharedSecret(contentsOfFile: sharedSecretFile) } catch {
                problems.append(Problem(line: lines["shared_secret_file"], message: "shared_secret_file: \(error)"))
            }
        }
        if let metricsTokenFile {
            do { _ = try SharedSecret(contentsOfFile: metricsTokenFile, what: "metrics token") } catch {
                problems.append(Problem(line: lines["metrics_token_file"], message: "metrics_token_file: \(error)"))
            }
        }
        if let tlsCertificate, let tlsKey {
            do { _ = try ServeConfiguration.loadTLS(certificate: tlsCertificate, key: tlsKey) } catch {
                problems.append(Problem(line: lines["tls"], message: "tls: \(error)"))
            }
        }
        if let store, !FileManager.default.fileExists(atPath: store) {
            problems.append(Problem(line: lines["store"], message: "store: no store at \(store) (create it with `clientpass admin init`)"))
        }
        return problems
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
    /// The file the CLI and `serve` read when no flag names one: $CLIENTPASS_CONFIG, else the
    /// default path when it exists.
    public static var implicitPath: String? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty { return path }
        return FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil
    }
}
