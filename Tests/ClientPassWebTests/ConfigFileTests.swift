import ClientPassCore
import Foundation
import Logging
import Testing
@testable import ClientPassEdge
@testable import ClientPassWeb

/// `serve`'s configuration file, parsed in-process: every key of the table, and every problem at
/// its line (the command-line tests check `config check`'s output around the same parser).
@Suite struct ConfigFileTests {
    @Test func everyKeyIsRead() throws {
        let (config, problems) = ConfigFile.parse(
            """
            store: /var/lib/clientpass/clientpass.sqlite
            listen: 127.0.0.1:8787
            shared_secret_file: /etc/clientpass/shared-secret
            backends: { imap: 10.0.0.5:143, smtp: "[2001:db8::25]:587" }
            warm_cache_seconds: 60
            log_level: notice
            kick_command: doveadm kick {account}
            argon2id:
              app_password: { iterations: 3, memory_mib: 32 }
            session_idle_minutes: 30
            mail_servers: { imap: mail.example.com:993, pop3: "mail.example.com:1995 tls" }
            trusted_proxies: [127.0.0.1, "10.0.0.0/8"]
            public_url: HTTPS://Mail.Example.com/
            mailbox_password_term: company password
            tls: { certificate: /etc/clientpass/tls.crt, key: /etc/clientpass/tls.key }
            metrics_token_file: /etc/clientpass/metrics-token
            metrics_listen: 127.0.0.1:9787
            mail_domains: [example.com, Example.ORG]
            help_desk: IT help desk, extension 4711
            profile_signing: { certificate: /etc/clientpass/profiles.crt, key: /etc/clientpass/profiles.key, chain: /etc/clientpass/chain.pem }
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(config.store == "/var/lib/clientpass/clientpass.sqlite")
        #expect(config.listen?.port == 8787 && config.metricsListen?.port == 9787)
        #expect(config.sharedSecretFile == "/etc/clientpass/shared-secret" && config.metricsTokenFile == "/etc/clientpass/metrics-token")
        #expect(config.backends[.imap]?.port == 143 && config.backends[.smtp]?.port == 587 && config.backends[.pop3] == nil)
        #expect(config.warmCacheSeconds == 60 && config.logLevel == .notice && config.sessionIdleMinutes == 30)
        #expect(config.kickCommand == "doveadm kick {account}")
        #expect(config.hashing.appPassword == Argon2idParameters(iterations: 3, memoryKiB: 32 * 1024))
        #expect(config.hashing.mailboxPassword == HashingConfiguration.standard.mailboxPassword)
        #expect(config.mailServers.count == 2 && config.trustedProxies?.count == 2)
        #expect(config.tlsCertificate == "/etc/clientpass/tls.crt" && config.tlsKey == "/etc/clientpass/tls.key")
        #expect(config.lines["metrics_listen"] == 17)
        #expect(config.mailboxPasswordTerm?.description == "company password")
        #expect(config.publicURL?.description == "https://mail.example.com")
        #expect(config.mailDomains.map(\.name) == ["example.com", "example.org"])
        #expect(config.helpDesk == "IT help desk, extension 4711")
        #expect(
            config.profileSigning
                == ProfileSigningFiles(
                    certificate: "/etc/clientpass/profiles.crt", key: "/etc/clientpass/profiles.key",
                    chain: "/etc/clientpass/chain.pem"))
        // Every key of the table was in the file: a key added to the table is added here too.
        #expect(Set(config.lines.keys) == Set(ConfigFile.settings.map(\.name)))
    }

    @Test(
        arguments: [
            ("listen: 127.0.0.1:99999", 1, "not a port number"),
            ("backends: { lmtp: 127.0.0.1:24 }", 1, "unknown backend \"lmtp\" (imap, pop3, smtp)"),
            ("backends: 10.0.0.5:143", 1, "backends must be a mapping of imap, pop3 and smtp to ADDRESS:PORT"),
            ("warm_cache_secs: 30", 1, "unknown setting warm_cache_secs; did you mean warm_cache_seconds?"),
            ("colour: blue", 1, "unknown setting colour (store, listen,"),
            ("log_level: loud", 1, "log_level must be one of trace, debug, info, notice, warning, error, critical"),
            ("kick_command: doveadm kick", 1, "kick_command must name a program and contain {account}"),
            ("argon2id:\n  app_password: { iterations: 1, memory_mib: 19 }", 2, "argon2id.app_password is weaker than the floor"),
            (
                "argon2id:\n  mailbox_password: { iterations: 3, memory_mib: 64, lanes: 4 }", 2,
                "unknown setting argon2id.mailbox_password.lanes (iterations, memory_mib)"
            ),
            ("argon2id:\n  sha1: {}", 2, "unknown setting argon2id.sha1 (app_password, mailbox_password)"),
            ("argon2id: strong", 1, "argon2id must be a mapping with app_password and mailbox_password"),
            ("argon2id:\n  app_password: 3", 2, "argon2id.app_password must be a mapping with iterations and memory_mib"),
            ("session_idle_minutes: 0", 1, "session_idle_minutes must be a whole number from 1 to 1440"),
            ("mail_servers:\n  imap: mail.example.com:1143", 2, "has no conventional security"),
            ("trusted_proxies: [127.0.0.1, 10.0.0.0/33]", 1, "trusted_proxies:"),
            ("tls: { certificate: /a.crt }", 1, "tls needs both certificate and key"),
            ("tls: { cert: /a.crt }", 1, "unknown setting tls.cert (certificate, key)"),
            ("tls: on", 1, "tls must be a mapping with certificate and key (PEM files)"),
            ("store: [a, b]", 1, "store must be a single value"),
            ("store: a\nstore: b", 2, "store is set twice"),
            ("listen: [1, 2", 2, "not valid YAML"),
            ("- a list", 1, "the file must be a mapping of settings"),
            ("mail_domains: [example.com, localhost]", 1, "mail_domains: \"localhost\" is not a mail domain"),
            ("public_url: mail.example.com", 1, "public_url: \"mail.example.com\" is not a public URL: give the page's address as browsers reach it"),
            ("public_url: ftp://mail.example.com", 1, "it must start with https://"),
            ("mailbox_password_term: <b>pw</b>", 1, "mailbox_password_term: \"<b>pw</b>\" is not a term for the password employees sign in with"),
            ("public_url: https://mail.example.com/clientpass", 1, "the page is served at the root of its address"),
            ("public_url: https://admin:pw@mail.example.com", 1, "a public URL must not hold a user name or password"),
        ] as [(String, Int, String)])
    func problemsAreFoundAtTheirLine(text: String, line: Int, message: String) {
        let (_, problems) = ConfigFile.parse(text)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == line, "\(problems)")
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    @Test func aDoveadmKickCommandWithoutAnInstanceIsNoted() {
        #expect(ConfigFile.parse("kick_command: /usr/bin/doveadm kick {account}").0.notes.first?.line == 1)
        #expect(ConfigFile.parse("kick_command: doveadm -c /etc/dovecot-b/dovecot.conf kick {account}").0.notes.isEmpty)
        #expect(ConfigFile.parse("kick_command: doveadm -i mail2 kick {account}").0.notes.isEmpty)
        #expect(ConfigFile.parse("kick_command: /usr/local/bin/kick-and-flush {account}").0.notes.isEmpty)
    }

    /// `store:` may be a PostgreSQL URL: checked for what it says (no password in it, TLS off
    /// loopback), not as a file, and then reached (PostgreSQLCommandTests reach a real server).
    @Test func aPostgreSQLStoreIsCheckedAsAURL() {
        let unreachable = ConfigFile.parse("store: postgresql://clientpass@127.0.0.1:1/clientpass?sslmode=disable\n").0.checkFiles()
        #expect(unreachable.count == 1 && unreachable[0].message.contains("nothing listens at 127.0.0.1:1"), "\(unreachable)")
        let withPassword = ConfigFile.parse("store: postgresql://clientpass:hunter2@db.example.com/clientpass\n").0.checkFiles()
        #expect(withPassword.count == 1 && withPassword[0].message.contains("password file") && !withPassword[0].message.contains("hunter2"))
        let clearText = ConfigFile.parse("store: postgresql://clientpass@db.example.com/clientpass?sslmode=disable\n").0.checkFiles()
        #expect(clearText.count == 1 && clearText[0].message.contains("clear text"))
        let missingFile = ConfigFile.parse("store: /nonexistent/clientpass.sqlite\n").0.checkFiles()
        #expect(missingFile.count == 1 && missingFile[0].message.contains("no store at /nonexistent/clientpass.sqlite"))
    }

    @Test func everyProblemOfAFileIsReported() {
        let (_, problems) = ConfigFile.parse("log_level: loud\ncolour: blue\nsession_idle_minutes: 0\n")
        #expect(problems.map(\.line) == [1, 2, 3])
    }
}
