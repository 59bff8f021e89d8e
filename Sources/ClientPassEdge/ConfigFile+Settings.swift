import ClientPassCore
import Foundation
import Logging
import Yams

extension ConfigFile {
    /// One key of the file: its name and how its value is read into the configuration.
    struct Setting: Sendable {
        let name: String
        let read: @Sendable (ConfigReader, Node, inout ConfigFile) -> Void
    }

    /// Every key the file may hold, in the order `config check` names them.
    static let settings: [Setting] = [
        Setting(name: "store") { reader, value, config in config.store = reader.string(value, "store") },
        Setting(name: "listen") { reader, value, config in config.listen = reader.address(value, "listen") },
        Setting(name: "shared_secret_file") { reader, value, config in config.sharedSecretFile = reader.string(value, "shared_secret_file") },
        Setting(name: "backends") { reader, value, config in
            reader.forEachService(value, "backends", values: "ADDRESS:PORT", what: "backend") { service, backend in
                config.backends[service] = reader.address(backend, "backends.\(service.rawValue)")
            }
        },
        Setting(name: "warm_cache_seconds") { reader, value, config in
            config.warmCacheSeconds = reader.integer(value, "warm_cache_seconds", 0...Int(WarmCache.maximumLifetime))
        },
        Setting(name: "log_level") { reader, value, config in
            guard let text = reader.string(value, "log_level") else { return }
            guard let level = Logger.Level(rawValue: text) else {
                reader.problem(value, "log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                return
            }
            config.logLevel = level
        },
        Setting(name: "kick_command") { reader, value, config in
            guard let text = reader.string(value, "kick_command") else { return }
            guard text.contains("{account}"), SessionTerminator(command: text) != nil else {
                reader.problem(value, "kick_command must name a program and contain {account} (e.g. doveadm kick {account})")
                return
            }
            config.kickCommand = text
        },
        Setting(name: "argon2id") { reader, value, config in
            reader.sections(value, "argon2id", names: ["app_password", "mailbox_password"]) { name, section in
                if name == "app_password" {
                    config.hashing.appPassword = reader.argon2id(section, "argon2id.app_password", floor: .appPasswordFloor) ?? config.hashing.appPassword
                } else {
                    config.hashing.mailboxPassword =
                        reader.argon2id(section, "argon2id.mailbox_password", floor: .mailboxPasswordFloor)
                        ?? config.hashing.mailboxPassword
                }
            }
        },
        Setting(name: "session_idle_minutes") { reader, value, config in
            config.sessionIdleMinutes = reader.integer(value, "session_idle_minutes", ConfigFile.sessionIdleMinutesRange)
        },
        Setting(name: "mail_servers") { reader, value, config in
            reader.forEachService(value, "mail_servers", values: "HOST:PORT [tls|starttls]", what: "mail server") { service, server in
                let key = "mail_servers.\(service.rawValue)"
                guard let text = reader.string(server, key) else { return }
                do { config.mailServers[service] = try MailServer(parsing: text) } catch { reader.problem(server, "\(key): \(error)") }
            }
        },
        Setting(name: "trusted_proxies") { reader, value, config in
            var networks: [IPNetwork] = []
            for item in value.sequence.map(Array.init) ?? [value] {
                guard let text = reader.string(item, "trusted_proxies") else { continue }
                do { networks += try IPNetwork.parseList(text) } catch { reader.problem(item, "trusted_proxies: \(error)") }
            }
            config.trustedProxies = networks
        },
        Setting(name: "public_url") { reader, value, config in
            guard let text = reader.string(value, "public_url") else { return }
            do { config.publicURL = try PublicURL(parsing: text) } catch { reader.problem(value, "public_url: \(error)") }
        },
        Setting(name: "mailbox_password_term") { reader, value, config in
            guard let text = reader.string(value, "mailbox_password_term") else { return }
            do { config.mailboxPasswordTerm = try PasswordTerm(validating: text) } catch { reader.problem(value, "mailbox_password_term: \(error)") }
        },
        Setting(name: "tls") { reader, value, config in
            reader.sections(value, "tls", names: ["certificate", "key"], expecting: "certificate and key (PEM files)") { name, file in
                if name == "certificate" {
                    config.tlsCertificate = reader.string(file, "tls.certificate")
                } else {
                    config.tlsKey = reader.string(file, "tls.key")
                }
            }
            if value.mapping != nil, (config.tlsCertificate == nil) != (config.tlsKey == nil) {
                reader.problem(value, "tls needs both certificate and key")
            }
        },
        Setting(name: "metrics_token_file") { reader, value, config in config.metricsTokenFile = reader.string(value, "metrics_token_file") },
        Setting(name: "metrics_listen") { reader, value, config in config.metricsListen = reader.address(value, "metrics_listen") },
        Setting(name: "help_desk") { reader, value, config in
            guard let text = reader.string(value, "help_desk") else { return }
            guard text.count <= 200, !Untrusted.hasUnsafeCharacters(text) else {
                reader.problem(value, "help_desk must be one line of at most 200 printable characters")
                return
            }
            config.helpDesk = text
        },
        Setting(name: "profile_signing") { reader, value, config in
            var files: [String: String] = [:]
            reader.sections(
                value, "profile_signing", names: ["certificate", "key", "chain"], expecting: "certificate and key (PEM files), and optionally chain"
            ) { name, file in
                files[name] = reader.string(file, "profile_signing.\(name)")
            }
            guard value.mapping != nil else { return }
            guard let certificate = files["certificate"], let key = files["key"] else {
                reader.problem(value, "profile_signing needs both certificate and key")
                return
            }
            config.profileSigning = ProfileSigningFiles(certificate: certificate, key: key, chain: files["chain"])
        },
        Setting(name: "mail_domains") { reader, value, config in
            for item in value.sequence.map(Array.init) ?? [value] {
                guard let text = reader.string(item, "mail_domains") else { continue }
                do { config.mailDomains.append(try MailDomain(parsing: text)) } catch { reader.problem(item, "mail_domains: \(error)") }
            }
        },
    ]
}

/// Reads values out of the YAML and collects every problem, each at its line.
final class ConfigReader {
    private(set) var problems: [ConfigFile.Problem] = []

    func problem(_ node: Node?, _ message: String) {
        problems.append(ConfigFile.Problem(line: node?.mark?.line, message: message))
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

    func address(_ node: Node, _ key: String) -> IPEndpoint? {
        guard let text = string(node, key) else { return nil }
        do { return try IPEndpoint(parsing: text) } catch {
            problem(node, "\(key): \(error)")
            return nil
        }
    }

    /// A mapping of named parts (`tls.certificate`, `argon2id.app_password`): `read` gets each
    /// known part, any other is a problem. In the file's order, so problems come by line.
    func sections(_ node: Node, _ key: String, names: [String], expecting: String? = nil, _ read: (String, Node) -> Void) {
        guard let mapping = node.mapping else {
            problem(node, "\(key) must be a mapping with \(expecting ?? names.joined(separator: " and "))")
            return
        }
        for (name, value) in mapping {
            guard let known = name.string, names.contains(known) else {
                problem(name, "unknown setting \(key).\(name.string ?? "?") (\(names.joined(separator: ", ")))")
                continue
            }
            read(known, value)
        }
    }

    /// A mapping of imap, pop3 and smtp to something; other names are problems.
    func forEachService(_ node: Node, _ key: String, values: String, what: String, _ body: (MailService, Node) -> Void) {
        guard let mapping = node.mapping else {
            problem(node, "\(key) must be a mapping of imap, pop3 and smtp to \(values)")
            return
        }
        for (name, value) in mapping {
            guard let service = name.string.flatMap(MailService.init(rawValue:)) else {
                problem(name, "unknown \(what) \(Quoted(name.string ?? "?")) (imap, pop3, smtp)")
                continue
            }
            body(service, value)
        }
    }

    func argon2id(_ node: Node, _ key: String, floor: Argon2idParameters) -> Argon2idParameters? {
        var iterations = floor.iterations
        var memoryMiB = floor.memoryKiB / 1024
        guard node.mapping != nil else {
            problem(node, "\(key) must be a mapping with iterations and memory_mib")
            return nil
        }
        sections(node, key, names: ["iterations", "memory_mib"]) { name, value in
            if name == "iterations" {
                iterations = integer(value, "\(key).iterations", 1...100) ?? iterations
            } else {
                memoryMiB = integer(value, "\(key).memory_mib", 1...4096) ?? memoryMiB
            }
        }
        let parameters = Argon2idParameters(iterations: iterations, memoryKiB: memoryMiB * 1024)
        guard parameters.isAtLeast(floor) else {
            problem(node, "\(key) is weaker than the floor of t=\(floor.iterations), \(floor.memoryKiB / 1024) MiB")
            return nil
        }
        return parameters
    }
}
