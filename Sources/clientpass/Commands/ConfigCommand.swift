import ArgumentParser
import ClientPassCore
import ClientPassEdge
import ClientPassWeb
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with serve's configuration file.",
        subcommands: [Check.self])

    struct Check: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a configuration file and report every problem with its line.",
            discussion: """
                The file is YAML with the settings store, listen, shared_secret_file, backends \
                (imap, pop3, smtp), warm_cache_seconds, log_level, kick_command (run by the CLI \
                and by serve after a revocation on the page, when CLIENTPASS_KICK_COMMAND is not \
                set), argon2id (0.13's: the first serve of 0.14 takes it into the store, whose \
                parameters every process hashes with since, set with `admin policy hashing`; the \
                file's value is then ignored), and for the \
                self-service page session_idle_minutes (1–1440), mail_servers (imap, pop3, smtp: \
                HOST:PORT, plus tls or starttls for unusual ports), trusted_proxies (a list of \
                addresses or ranges), public_url (the page's address as browsers outside reach \
                it, such as https://mail.example.com, for the links it hands out), \
                mailbox_password_term (what employees call the password they sign in with, in every \
                text they read: "company password" in directory mode, say) and tls (certificate and key, PEM files: serve speaks HTTPS), \
                and for monitoring metrics_token_file (the bearer token of GET /metrics) and \
                metrics_listen (HOST:PORT of a listener serving /metrics only), mail_domains (the \
                domains Thunderbird's autoconfig and Outlook's Autodiscover answer for) and \
                help_desk (whom to ask, printed on device cards), and profile_signing (certificate \
                and key, PEM files, and optionally chain: they sign Mail profiles). \
                Also checks that the TLS files, the profile signing files, the shared secret file \
                and the metrics token file can be used and that \
                the store exists. Prints PATH:LINE: PROBLEM for each problem, or \
                PATH: OK.

                With no file named and none at the default place (nor CLIENTPASS_CONFIG), says so \
                and exits 0, as serve runs without one.

                Exit codes: 0 the file is valid, or there is none; 1 it has problems, or cannot \
                be read; 64 usage error.
                """)

        @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
        var json = false

        @Argument(help: ArgumentHelp("The file (default: $CLIENTPASS_CONFIG, else \(ConfigFile.defaultPath)).", valueName: "path"), completion: .file())
        var path: String?

        func execute() async throws {
            // No file named and none at the default place: as for `serve`, that is normal.
            guard let path = self.path ?? ConfigFile.implicitPath else {
                if json {
                    try Output.json(CheckJSON(path: nil, problems: [], notes: []))
                } else {
                    print(
                        "No configuration file (\(ConfigFile.defaultPath) does not exist and CLIENTPASS_CONFIG is not set): serve uses its flags, the environment and the defaults."
                    )
                }
                return
            }
            let (config, parseProblems) = ConfigFile.load(path)
            let problems = parseProblems + (parseProblems.isEmpty ? config.checkFiles() : [])
            if json {
                try Output.json(CheckJSON(path: path, problems: problems, notes: parseProblems.isEmpty ? config.notes : []))
            } else if problems.isEmpty {
                for note in config.notes { print("\(path):\(note.line.map { "\($0):" } ?? "") note: \(note.message)") }
                print("\(path): OK")
            } else {
                for problem in problems {
                    print("\(path):\(problem.line.map { "\($0):" } ?? "") \(problem.message)")
                }
            }
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }

    struct CheckJSON: Encodable {
        /// `nil`: there is no file.
        let path: String?
        let problems: [ConfigFile.Problem]
        let notes: [ConfigFile.Problem]

        enum CodingKeys: String, CodingKey { case path, valid, problems, notes }
        enum ProblemKeys: String, CodingKey { case line, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(problems.isEmpty, forKey: .valid)
            for (key, entries) in [(CodingKeys.problems, problems), (.notes, notes)] {
                var list = container.nestedUnkeyedContainer(forKey: key)
                for problem in entries {
                    var item = list.nestedContainer(keyedBy: ProblemKeys.self)
                    try item.encode(problem.line, forKey: .line)
                    try item.encode(problem.message, forKey: .message)
                }
            }
        }
    }
}
