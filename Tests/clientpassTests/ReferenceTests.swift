import ClientPassTestSupport
import Foundation
import Testing

/// The committed man pages render with Debian's man, and the completion scripts load in
/// Debian's bash, zsh and fish and complete subcommands. (`make test` first checks that both
/// match the CLI's help: scripts/generate-reference.sh --check.)
@Suite struct ReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func shell(_ executable: String, _ arguments: [String]) throws -> RunResult {
        try runProcess(
            executable, arguments, stdin: nil,
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LC_ALL": "C.UTF-8", "TERM": "dumb", "MANWIDTH": "100"],
            in: root)
    }

    @Test func everyManPageRenders() throws {
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/man").filter { $0.hasSuffix(".1") }.sorted()
        for expected in [
            "clientpass.1", "clientpass.password.generate.1", "clientpass.admin.1", "clientpass.admin.policy.1",
            "clientpass.checkpassword.1", "clientpass.serve.1",
        ] {
            #expect(pages.contains(expected))
        }
        for page in pages {
            let result = try Self.shell("/usr/bin/man", ["--warnings", "-l", "-P", "cat", "man/" + page])
            #expect(result.status == 0, "\(page): \(result)")
            #expect(result.stderr.isEmpty, "\(page): \(result.stderr)")
            // The NAME section names the command the file is for.
            let command = page.dropLast(2).replacingOccurrences(of: ".", with: " ")
            #expect(result.stdout.contains("NAME") && result.stdout.contains(command), "\(page)")
        }
        // In 80 columns no header is cut short, and the footer names clientpass.
        for page in pages {
            let result = try runProcess(
                "/usr/bin/man", ["-l", "-P", "cat", "man/" + page], stdin: nil,
                environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LC_ALL": "C.UTF-8", "TERM": "dumb", "MANWIDTH": "80"],
                in: Self.root)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.first.map { !$0.contains("...") && $0.contains("General Commands Manual ") } == true, "\(page): \(lines.first ?? "")")
            #expect(lines.last?.hasPrefix("clientpass") == true, "\(page): \(lines.last ?? "")")
        }
        let serve = try Self.shell("/usr/bin/man", ["-l", "-P", "cat", "man/clientpass.serve.1"])
        #expect(serve.stdout.contains("--warm-cache-seconds"))
        // What --help says, the page says: the en dash of a range survives, and the exit codes
        // the help lists are not contradicted by a generic EXIT STATUS section.
        let help = try Self.shell(clientpassBinary.path, ["serve", "--help"])
        #expect(help.stdout.contains("1–1440"))
        #expect(serve.stdout.contains("1–1440"), "\(serve.stdout)")
        for page in pages {
            let rendered = try Self.shell("/usr/bin/man", ["-l", "-P", "cat", "man/" + page]).stdout
            if rendered.contains("Exit codes:") {
                #expect(!rendered.contains("exits 0 on success"), "\(page)")
            }
        }
    }

    /// Loads the bash completion and defines `complete_line LINE`, which prints what completing
    /// the end of LINE offers.
    static let bashCompletion = """
        source completions/clientpass.bash
        function=$(complete -p clientpass | sed -E 's/.*-F ([^ ]+) .*/\\1/')
        complete_line() {
            COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMPREPLY=()
            "$function" clientpass "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
        }

        """

    @Test func bashCompletesSubcommands() throws {
        let script =
            Self.bashCompletion + """
                echo "== adm"; complete_line "clientpass adm"
                echo "== admin pol"; complete_line "clientpass admin pol"
                echo "== password"; complete_line "clientpass password "
                """
        let result = try Self.shell("/usr/bin/bash", ["--norc", "--noprofile", "-c", script])
        #expect(result.status == 0, "\(result)")
        let sections = Self.sections(result.stdout)
        #expect(sections["adm"] == ["admin"], "\(result)")
        #expect(sections["admin pol"] == ["policy"], "\(result)")
        #expect(Set(sections["password"] ?? []).isSuperset(of: ["generate", "list", "label", "revoke"]), "\(result)")
    }

    /// Account and department names come from the store the line names; protocols from their
    /// list; paths from the file system.
    @Test func bashAndFishCompleteNamesFromTheStore() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "account", "add", "albert@example.com", "--password-stdin"], stdin: alicePassword + "\n"))
        let binDir = clientpassBinary.deletingLastPathComponent().path
        let environment = ["PATH": binDir + ":/usr/bin:/bin", "HOME": "/tmp", "LC_ALL": "C.UTF-8", "TERM": "dumb"]
        let bash = try runProcess(
            "/usr/bin/bash",
            [
                "--norc", "--noprofile", "-c",
                Self.bashCompletion + """
                    echo "== show"; complete_line "clientpass admin account show --store \(sandbox.store) al"
                    echo "== department"; complete_line "clientpass admin account list --store \(sandbox.store) --department Sa"
                    echo "== protocols"; complete_line "clientpass admin password issue --store \(sandbox.store) alice@example.com --protocols "
                    echo "== backup"; complete_line "clientpass admin backup \(sandbox.folder)/sto"
                    echo "== environment"; CLIENTPASS_STORE=\(sandbox.store) complete_line "clientpass admin account show al"
                    """,
            ], stdin: nil, environment: environment, in: Self.root)
        #expect(bash.status == 0, "\(bash)")
        let sections = Self.sections(bash.stdout)
        #expect(Set(sections["show"] ?? []) == ["alice@example.com", "albert@example.com"], "\(bash)")
        #expect(sections["department"] == ["Sales"], "\(bash)")
        #expect(Set(sections["protocols"] ?? []) == ["imap", "pop3", "smtp"], "\(bash)")
        #expect((sections["backup"] ?? []).contains { $0.hasSuffix("/store") }, "\(bash)")
        #expect(Set(sections["environment"] ?? []) == ["alice@example.com", "albert@example.com"], "without --store: \(bash)")
        // fish and zsh call the same `clientpass ---completion` for these names; fish runs its
        // custom completions only in an interactive shell, so bash stands for all three here.
    }

    /// The same names from a PostgreSQL store, and none (quietly) from one that cannot be reached.
    @Test(.enabled(if: TestTier.outsideServers, "needs PostgreSQL (make test)")) func bashCompletesNamesFromAPostgreSQLStore() throws {
        let database = try PostgreSQLLab.shared().makeDatabase()
        let unreachable = "postgresql://clientpass@127.0.0.1:1/none?sslmode=disable"
        let sandbox = try Sandbox(store: database.url)
        try sandbox.makeStoreWithAlice()
        expectSuccess(
            try sandbox.run(
                ["admin", "account", "add", "albert@example.com", "--department", "Sales", "--password-stdin"],
                stdin: alicePassword + "\n"))
        let binDir = clientpassBinary.deletingLastPathComponent().path
        let environment = ["PATH": binDir + ":/usr/bin:/bin", "HOME": "/tmp", "LC_ALL": "C.UTF-8", "TERM": "dumb"]
        let bash = try runProcess(
            "/usr/bin/bash",
            [
                "--norc", "--noprofile", "-c",
                Self.bashCompletion + """
                    echo "== show"; CLIENTPASS_STORE='\(database.url)' complete_line "clientpass admin account show al"
                    echo "== department"; CLIENTPASS_STORE='\(database.url)' complete_line "clientpass admin account list --department Sa"
                    echo "== unreachable"; CLIENTPASS_STORE='\(unreachable)' complete_line "clientpass admin account show al"
                    """,
            ], stdin: nil, environment: environment, in: Self.root)
        #expect(bash.status == 0, "\(bash)")
        let sections = Self.sections(bash.stdout)
        #expect(Set(sections["show"] ?? []) == ["alice@example.com", "albert@example.com"], "\(bash)")
        #expect(sections["department"] == ["Sales"], "\(bash)")
        #expect((sections["unreachable"] ?? []).isEmpty, "\(bash)")
    }

    @Test func fishCompletesSubcommands() throws {
        let result = try Self.shell(
            "/usr/bin/fish",
            [
                "--no-config", "-c",
                """
                source completions/clientpass.fish
                echo "== adm"; complete -C "clientpass adm"
                echo "== admin pol"; complete -C "clientpass admin pol"
                echo "== password"; complete -C "clientpass password "
                """,
            ])
        #expect(result.status == 0, "\(result)")
        let sections = Self.sections(result.stdout).mapValues { $0.map { String($0.split(separator: "\t").first ?? "") } }
        #expect(sections["adm"] == ["admin"], "\(result)")
        #expect(sections["admin pol"] == ["policy"], "\(result)")
        #expect(Set(sections["password"] ?? []).isSuperset(of: ["generate", "list", "label", "revoke"]), "\(result)")
    }

    /// zsh completes only inside its line editor: an interactive zsh on a pseudo-terminal
    /// (zsh/zpty) types `clientpass adm<TAB>` and shows what the line became.
    @Test func zshCompletesSubcommands() throws {
        let result = try Self.shell(
            "/usr/bin/zsh",
            [
                "-f", "-c",
                """
                zmodload zsh/zpty
                complete_line() {
                    zpty z zsh -f -i
                    zpty -w z 'PS1="> "; fpath=(\(Self.root)/completions $fpath); autoload -Uz compinit; compinit -u -D'
                    zpty -w z 'clientpass() { :; }; print READY'
                    zpty -r z line '*READY*'
                    zpty -r z line '*> '
                    zpty -w -n z "$1"$'\\t'
                    # Read what the line editor shows until the completion appears (at most 10 s).
                    local shown="" chunk
                    for attempt in {1..100}; do
                        zpty -r -t z chunk && shown+=$chunk
                        [[ $shown == *"$2"* ]] && break
                        sleep 0.1
                    done
                    print -r -- "== $1"; print -r -- "$shown"
                    zpty -d z
                }
                complete_line 'clientpass adm' 'clientpass admin '
                complete_line 'clientpass admin pol' 'clientpass admin policy '
                """,
            ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("clientpass admin "), "\(result)")
        #expect(result.stdout.contains("clientpass admin policy "), "\(result)")
    }

    /// `== title` lines, each followed by its lines.
    static func sections(_ output: String) -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("== ") {
                current = String(line.dropFirst(3))
                sections[current!] = []
            } else if let current, !line.isEmpty {
                sections[current]!.append(line)
            }
        }
        return sections
    }
}
