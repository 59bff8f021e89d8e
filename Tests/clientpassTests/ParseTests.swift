import ArgumentParser
import Foundation
import Testing
@testable import clientpass

/// The command line, parsed in this process as swift-argument-parser's own tests do: what each
/// command accepts and refuses before it opens anything, with the exit code and the words the
/// process would give. No binary is started, so these run in milliseconds; the tests that
/// spawn `clientpass` cover what happens after parsing.
@Suite struct ParseTests {
    /// What parsing `arguments` ends with: the command, or the exit code and message the process
    /// would print (ArgumentParser's own `exitCode(for:)` and `message(for:)`, as `main` uses).
    enum Parsed {
        case command(any ParsableCommand)
        case refused(code: Int32, message: String)
    }

    static func parse(_ arguments: [String]) -> Parsed {
        do {
            return .command(try ClientPassCommand.parseAsRoot(arguments))
        } catch {
            return .refused(code: ClientPassCommand.exitCode(for: error).rawValue, message: ClientPassCommand.message(for: error))
        }
    }

    static func refusal(_ arguments: [String]) -> (code: Int32, message: String)? {
        if case .refused(let code, let message) = parse(arguments) { return (code, message) }
        return nil
    }

    static func parsed<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        switch parse(arguments) {
        case .command(let command): return try #require(command as? C, "\(arguments) parsed as \(command)")
        case .refused(let code, let message): throw ParseFailure(description: "\(arguments): \(code) \(message)")
        }
    }

    struct ParseFailure: Error, CustomStringConvertible { let description: String }

    /// Every command of the tree, with its path of names.
    static func everyCommand(_ command: any ParsableCommand.Type = ClientPassCommand.self, path: [String] = []) -> [([String], any ParsableCommand.Type)] {
        let here = (path, command)
        return [here]
            + command.configuration.subcommands.flatMap { sub in
                everyCommand(sub, path: path + [sub.configuration.commandName ?? "?"])
            }
    }

    /// Each command names itself: otherwise ArgumentParser derives the name with
    /// `String(describing:)` of the type, a search of every protocol conformance in the binary,
    /// for every command at every start (about 3 ms of `clientpass --version` for 44 commands).
    @Test func everyCommandNamesItself() {
        let commands = Self.everyCommand()
        #expect(commands.count > 60)
        for (path, command) in commands {
            #expect(command.configuration.commandName != nil, "\(path.joined(separator: " ")) (\(command))")
        }
    }

    /// The refusals each command makes of its flags alone: a usage error (64) naming the
    /// mistake.
    @Test(arguments: [
        (["check", "--user", "alice@example.com", "--protocol", "http", "--from", "192.0.2.1"], "'http'"),
        (
            ["explain", "--user", "a@example.com", "--protocol", "imap", "--from", "192.0.2.1", "--app-password", "1", "--mailbox-password"],
            "--app-password and --mailbox-password exclude each other"
        ),
        (["admin", "account", "set", "alice@example.com"], "give one of --department NAME, --no-department, --help-desk and --no-help-desk"),
        (["admin", "account", "set", "alice@example.com", "--help-desk", "--department", "Support"], "give one of --department NAME"),
        (["admin", "policy", "enforce-secure-password", "on", "--scope", "all", "--add"], "--add and --remove go with --scope selected"),
        (["admin", "policy", "enforce-secure-password", "on"], "give --scope all or --scope selected"),
        (["admin", "policy", "enforce-secure-password", "off", "--scope", "all"], "`off` takes no --scope"),
        (["admin", "policy", "enforce-secure-password", "on", "--scope", "selected"], "--scope selected needs at least one --department or --account"),
        (["admin", "policy", "enforce-secure-password", "on", "--scope", "all", "--department", "Sales"], "go with --scope selected, not --scope all"),
        (["admin", "policy", "hashing", "--app-password-memory", "8"], "--app-password-memory must be between 19 and 4096"),
        (["admin", "policy", "hashing", "--mailbox-password-iterations", "1"], "--mailbox-password-iterations must be between 2 and 1000"),
        (["admin", "policy", "hashing", "--mailbox-password-memory", "4097"], "--mailbox-password-memory must be between 64 and 4096"),
        (["admin", "services", "set", "--imap", "off"], "select accounts one way"),
        (["admin", "services", "set", "--all", "alice@example.com", "--imap", "off"], "select accounts one way"),
        (["admin", "services", "set", "--all"], "say what to change: --imap, --pop3 and/or --smtp"),
        (["admin", "services", "set", "--all", "--department", "Sales", "--imap", "off"], "select accounts one way"),
        (["admin", "services", "set", "--all", "--imap", "maybe"], "'maybe'"),
        (["admin", "audit", "--limit", "0"], "--limit must be between 1 and 100000"),
        (["password", "revoke"], "give either an app password id or --all"),
        (["password", "revoke", "3", "--all"], "give either an app password id or --all"),
        (["admin", "password", "revoke", "alice@example.com"], "give either an app password id or --all"),
        (["password", "label", "one", "New"], "'one'"),
        (["admin", "password", "issue", "alice@example.com", "--label", "X", "--card", "text", "--json"], "--card and --json exclude each other"),
        (["admin", "account", "remove", "alice@example.com", "--yes", "--dry-run"], "--yes and --dry-run exclude each other"),
        (["admin", "policy", "third-party-clients", "sometimes"], "'sometimes'"),
        (["admin", "bogus"], "Unexpected argument 'bogus'"),
    ])
    func flagsAloneAreRefused(_ arguments: [String], _ message: String) throws {
        let refused = try #require(Self.refusal(arguments), "\(arguments) was accepted")
        #expect(refused.code == 64, "\(arguments): \(refused)")
        #expect(refused.message.contains(message), "\(arguments): \(refused.message)")
    }

    /// What the parser hands the commands: the values as typed, in the types the commands use.
    @Test func valuesReachTheCommands() throws {
        let hashing = try Self.parsed(
            ["admin", "policy", "hashing", "--app-password-iterations", "3", "--mailbox-password-memory", "128"],
            as: PolicyCommand.Hashing.self)
        #expect(hashing.appPasswordIterations == 3 && hashing.appPasswordMemory == nil)
        #expect(hashing.mailboxPasswordMemory == 128 && hashing.mailboxPasswordIterations == nil)

        let services = try Self.parsed(
            ["admin", "services", "set", "--department", "Sales", "--pop3", "off", "--smtp", "on"],
            as: ServicesCommand.Change.self)
        #expect(services.department == "Sales" && services.accounts.isEmpty && !services.all)
        #expect(services.imap == nil && services.pop3 == .off && services.smtp == .on)

        let check = try Self.parsed(
            ["check", "--user", "alice@example.com", "--protocol", "pop3", "--from", " 2001:db8::1 ", "--via", "192.0.2.9"],
            as: CheckCommand.self)
        #expect(check.request.service == .pop3)
        #expect(try check.request.parsedAddress().description == "2001:db8::1")
        #expect(try check.request.parsedConnectingAddress()?.description == "192.0.2.9")

        let relabel = try Self.parsed(["password", "label", "2", "Phone"], as: PasswordCommand.Relabel.self)
        #expect(relabel.id == 2 && relabel.newLabel == "Phone")
    }

    /// An address is read when the command runs, with the same usage error as a flag.
    @Test func aBadAddressIsAUsageError() throws {
        let check = try Self.parsed(["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "1.2.3.999"], as: CheckCommand.self)
        #expect {
            _ = try check.request.parsedAddress()
        } throws: { error in
            ClientPassCommand.exitCode(for: error).rawValue == 64 && ClientPassCommand.message(for: error).contains("is not an IPv4 or IPv6 address")
        }
    }

    /// Dovecot's invocation of checkpassword, read without the parser: only
    /// `[--store PATH | --store=PATH] REPLY-PROGRAM`; anything else goes to the parser, which
    /// gives help or a usage error.
    @Test func checkpasswordsOwnReader() {
        let accepted: [([String], String?, String)] = [
            (["/usr/lib/dovecot/checkpassword-reply"], nil, "/usr/lib/dovecot/checkpassword-reply"),
            (["--store", "/var/lib/clientpass/clientpass.sqlite", "/bin/true"], "/var/lib/clientpass/clientpass.sqlite", "/bin/true"),
            (["--store=/srv/c.sqlite", "/bin/true"], "/srv/c.sqlite", "/bin/true"),
        ]
        for (arguments, store, reply) in accepted {
            let read = CheckpasswordProgram.arguments(arguments[...])
            #expect(read?.store == store && read?.replyProgram == reply, "\(arguments)")
        }
        for arguments in [
            [], ["--help"], ["--store", "/bin/true"], ["--store=", "/bin/true"], ["/bin/true", "extra"], ["--bogus", "/bin/true"],
            ["--store", "a", "b", "c"],
        ] {
            #expect(CheckpasswordProgram.arguments(arguments[...]) == nil, "\(arguments)")
        }
        #expect(Self.refusal(["checkpassword", "--bogus", "/bin/true"])?.code == 64)
    }
}
