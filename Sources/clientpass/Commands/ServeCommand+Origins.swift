import ClientPassCore
import ClientPassEdge
import Foundation

extension ServeCommand {
    /// One setting of `serve`: its flag's value, its flag and environment variable, and
    /// whether the configuration file gives it.
    private struct Origin {
        let name: String
        let flagValue: String?
        let flag: String?
        let variable: String?
        let inFile: Bool
    }

    /// Where each setting that is not its default came from, for the start-up log ("store from
    /// $CLIENTPASS_STORE"), and the settings of the file a flag or the environment hides: the
    /// administrator who edits the file must learn why it changes nothing.
    func settingOrigins(_ file: ConfigFile, path: String?) -> (origins: [String], hidden: [String]) {
        let environment = ProcessInfo.processInfo.environment
        let origins: [Origin] = [
            Origin(name: "store", flagValue: storeOptions.store, flag: "--store", variable: "CLIENTPASS_STORE", inFile: file.store != nil),
            Origin(name: "listen", flagValue: listen, flag: "--listen", variable: "CLIENTPASS_LISTEN", inFile: file.listen != nil),
            Origin(
                name: "shared_secret_file", flagValue: sharedSecretFile, flag: "--shared-secret-file", variable: "CLIENTPASS_SHARED_SECRET_FILE",
                inFile: file.sharedSecretFile != nil),
            Origin(
                name: "backends.imap", flagValue: imapBackend, flag: "--imap-backend", variable: "CLIENTPASS_IMAP_BACKEND", inFile: file.backends[.imap] != nil),
            Origin(
                name: "backends.pop3", flagValue: pop3Backend, flag: "--pop3-backend", variable: "CLIENTPASS_POP3_BACKEND", inFile: file.backends[.pop3] != nil),
            Origin(
                name: "backends.smtp", flagValue: smtpBackend, flag: "--smtp-backend", variable: "CLIENTPASS_SMTP_BACKEND", inFile: file.backends[.smtp] != nil),
            Origin(
                name: "warm_cache_seconds", flagValue: warmCacheSeconds, flag: "--warm-cache-seconds", variable: "CLIENTPASS_WARM_CACHE_SECONDS",
                inFile: file.warmCacheSeconds != nil),
            Origin(name: "log_level", flagValue: logLevel?.rawValue, flag: "--log-level", variable: nil, inFile: file.logLevel != nil),
            Origin(name: "kick_command", flagValue: nil, flag: nil, variable: SessionTerminator.environmentVariable, inFile: file.kickCommand != nil),
            Origin(
                name: "session_idle_minutes", flagValue: sessionIdleMinutes, flag: "--session-idle-minutes", variable: "CLIENTPASS_SESSION_IDLE_MINUTES",
                inFile: file.sessionIdleMinutes != nil),
            Origin(
                name: "mail_servers.imap", flagValue: imapServer, flag: "--imap-server", variable: MailServer.environmentVariables[.imap],
                inFile: file.mailServers[.imap] != nil),
            Origin(
                name: "mail_servers.pop3", flagValue: pop3Server, flag: "--pop3-server", variable: MailServer.environmentVariables[.pop3],
                inFile: file.mailServers[.pop3] != nil),
            Origin(
                name: "mail_servers.smtp", flagValue: smtpServer, flag: "--smtp-server", variable: MailServer.environmentVariables[.smtp],
                inFile: file.mailServers[.smtp] != nil),
            Origin(
                name: "trusted_proxies", flagValue: trustedProxies, flag: "--trusted-proxies", variable: "CLIENTPASS_TRUSTED_PROXIES",
                inFile: file.trustedProxies != nil),
            Origin(name: "public_url", flagValue: publicURL, flag: "--public-url", variable: "CLIENTPASS_PUBLIC_URL", inFile: file.publicURL != nil),
            Origin(
                name: "mailbox_password_term", flagValue: nil, flag: nil, variable: PasswordTerm.environmentVariable, inFile: file.mailboxPasswordTerm != nil),
            Origin(
                name: "tls.certificate", flagValue: tlsCertificate, flag: "--tls-certificate", variable: "CLIENTPASS_TLS_CERTIFICATE",
                inFile: file.tlsCertificate != nil),
            Origin(name: "tls.key", flagValue: tlsKey, flag: "--tls-key", variable: "CLIENTPASS_TLS_KEY", inFile: file.tlsKey != nil),
            Origin(
                name: "metrics_token_file", flagValue: metricsTokenFile, flag: "--metrics-token-file", variable: "CLIENTPASS_METRICS_TOKEN_FILE",
                inFile: file.metricsTokenFile != nil),
            Origin(
                name: "metrics_listen", flagValue: metricsListen, flag: "--metrics-listen", variable: "CLIENTPASS_METRICS_LISTEN",
                inFile: file.metricsListen != nil),
            Origin(
                name: "mail_domains", flagValue: mailDomains.isEmpty ? nil : mailDomains.joined(separator: ","), flag: "--mail-domain",
                variable: "CLIENTPASS_MAIL_DOMAINS", inFile: !file.mailDomains.isEmpty),
            Origin(name: "help_desk", flagValue: nil, flag: nil, variable: DeviceCard.helpDeskVariable, inFile: file.helpDesk != nil),
            Origin(
                name: "profile_signing.certificate", flagValue: profileSigningCertificate, flag: "--profile-signing-certificate",
                variable: "CLIENTPASS_PROFILE_SIGNING_CERTIFICATE", inFile: file.profileSigning != nil),
            Origin(
                name: "profile_signing.key", flagValue: profileSigningKey, flag: "--profile-signing-key", variable: "CLIENTPASS_PROFILE_SIGNING_KEY",
                inFile: file.profileSigning != nil),
        ]
        let fileName = path ?? "the configuration file"
        var said: [String] = []
        var hidden: [String] = []
        for origin in origins {
            let fromEnvironment = origin.variable.flatMap { variable in environment[variable].flatMap { $0.isEmpty ? nil : "$\(variable)" } }
            if let source = origin.flagValue != nil ? origin.flag : fromEnvironment {
                said.append("\(origin.name) from \(source)")
                if origin.inFile { hidden.append("\(source) overrides \(origin.name) in \(fileName), which is not used") }
            } else if origin.inFile {
                said.append("\(origin.name) from \(fileName)")
            }
        }
        return (said, hidden)
    }
}
