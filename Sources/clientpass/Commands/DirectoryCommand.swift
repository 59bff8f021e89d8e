import ArgumentParser
import ClientPassCore
import ClientPassEdge
import ClientPassDirectory
import Foundation

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Directory mode: accounts from LDAP or Active Directory, mailbox passwords checked by a bind.",
        discussion: """
            In directory mode the mailbox password of an account synced from the directory is \
            checked by a bind as the user, and never stored. App passwords stay local and are \
            checked first: they keep working while the directory is down, and are never sent \
            to it. See docs/directory.md.
            """,
        subcommands: [Change.self, Show.self, Test.self, Off.self, Sync.self]
    )
}

extension DirectoryCommand {
    struct Change: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Turn directory mode on, or change its settings.",
            discussion: """
                The settings live in the store, so every process and node sees the same. The \
                service account's password stays in --bind-password-file on each host (its first \
                line); the store keeps only the path. ldap:// needs --starttls unless the \
                directory is on this host; the directory's certificate is checked against \
                --ca-file, else the system's CAs.

                Defaults: --filter \(DirectorySettings.defaultFilter) (OpenLDAP's and Active \
                Directory's people), --account-attribute mail; disabled users by Active \
                Directory's userAccountControl bit 2, OpenLDAP's nsAccountLock or \
                pwdAccountLockedTime unless --disabled-attribute names another. A sync that would \
                disable more than --max-disable-percent (default \(DirectorySettings.defaultMaximumDisablePercent)) \
                of the directory's accounts stops and asks for --yes.

                Employees then sign in with their directory password: where they do not know it as \
                a "mailbox password", set mailbox_password_term (such as "\(PasswordTerm.directorySuggestion)") \
                in the configuration file, and every text they read says that.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "ldaps://HOST[:PORT], or ldap://HOST[:PORT] with --starttls.") var url: String
        @Option(name: .long, help: "CA certificates (PEM) that sign the directory's certificate.", completion: .file()) var caFile: String?
        @Flag(name: .long, help: "Upgrade an ldap:// connection with StartTLS.") var starttls = false
        @Option(name: .long, help: "The service account's DN.") var bindDn: String
        @Option(name: .long, help: "A file whose first line is the service account's password.", completion: .file()) var bindPasswordFile: String
        @Option(name: .long, help: "Where users are searched (the whole subtree).") var baseDn: String
        @Option(name: .long, help: "The LDAP filter of users.") var filter: String = DirectorySettings.defaultFilter
        @Option(name: .long, help: "The attribute whose value is the account name (mail, userPrincipalName, uid…).") var accountAttribute = "mail"
        @Option(name: .long, help: "The attribute whose value is the department.") var departmentAttribute: String?
        @Flag(name: .long, help: "The department is the user's nearest OU.") var departmentFromOu = false
        @Option(name: .long, help: "The attribute that marks a disabled user (present and not FALSE or 0).") var disabledAttribute: String?
        @Option(name: .long, help: "Stop a sync that would disable more than this share of accounts (percent).")
        var maxDisablePercent = DirectorySettings.defaultMaximumDisablePercent

        func execute() async throws {
            let settings = DirectorySettings(
                url: url, caFile: caFile.map(absolutePath), startTLS: starttls, bindDN: bindDn,
                bindPasswordFile: absolutePath(bindPasswordFile), baseDN: baseDn, filter: filter,
                accountAttribute: accountAttribute, departmentAttribute: departmentAttribute,
                departmentFromOU: departmentFromOu, disabledAttribute: disabledAttribute,
                maximumDisablePercent: maxDisablePercent)
            try settings.validate()
            guard FileManager.default.isReadableFile(atPath: settings.bindPasswordFile) else {
                throw InputError("cannot read --bind-password-file \(Quoted(settings.bindPasswordFile)); nothing was changed")
            }
            if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw InputError("cannot read --ca-file \(Quoted(caFile)); nothing was changed")
            }
            let store = try global.openStore()
            try store.setDirectorySettings(settings, by: .currentAdmin, at: Date())
            if global.json {
                try Output.json(SettingsJSON(settings))
            } else {
                print(
                    "Directory mode is on: \(settings.url), users under \(settings.baseDN). Check it with `clientpass admin directory test`, then sync with `clientpass admin directory sync`."
                )
                if PasswordTerm.configured() == .standard {
                    // Employees of a directory know no "mailbox password".
                    print(
                        "Employees now sign in with their directory password, which they may not know as a \"mailbox password\": set mailbox_password_term: \(PasswordTerm.directorySuggestion) (or what they call it) in \(ConfigFile.defaultPath) on every host, and the page, the API and the self-service commands say that instead."
                    )
                }
            }
        }
    }

    struct Show: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the directory settings.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            let settings = try global.openStore().directorySettings()
            if global.json {
                try Output.json(settings.map(SettingsJSON.init) ?? SettingsJSON.off)
                return
            }
            guard let settings else {
                print("Directory mode is off: mailbox passwords are checked by clientpass's own hashes.")
                return
            }
            for (name, value) in SettingsJSON(settings).rows {
                print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(value)")
            }
        }
    }

    struct Test: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Bind as the service account, count the users the filter finds and show three.",
            discussion: """
                Exit codes: 0 the directory answered; 1 it could not be reached or refused the \
                service account (the error says which), or directory mode is off; 64 usage error.
                """)
        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            guard let settings = try global.openStore().directorySettings() else {
                throw CommandFailure("directory mode is off: turn it on with `clientpass admin directory set`")
            }
            let users = try LDAPConnector().users(with: settings)
            if global.json {
                try Output.json(TestJSON(users: users.count, sample: users.prefix(3).map(UserJSON.init)))
                return
            }
            print("Bound to \(settings.url) as \(settings.bindDN): \(users.count) user\(users.count == 1 ? "" : "s") under \(settings.baseDN).")
            for user in users.prefix(3) {
                print(
                    "  \(Untrusted.escaped(user.name.isEmpty ? "(no \(settings.accountAttribute))" : user.name))"
                        + "\(user.department.map { "  department \(Untrusted.escaped($0))" } ?? "")\(user.isDisabled ? "  disabled" : "")"
                        + "  \(Untrusted.escaped(user.dn))")
            }
        }
    }

    struct Off: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "off",
            abstract: "Turn directory mode off.",
            discussion: """
                Accounts synced from the directory keep their app passwords, which go on working; \
                they have no mailbox password until one is set (`admin account set-password`) or \
                directory mode is on again.

                \(ExitCodes.admin)
                """)
        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            let store = try global.openStore()
            guard try store.directorySettings() != nil else {
                if global.json { try Output.json(["directory": "off"]) } else { print("Directory mode is already off; nothing changed.") }
                return
            }
            try store.setDirectorySettings(nil, by: .currentAdmin, at: Date())
            let synced = try store.accounts(inDepartment: nil).filter(\.usesDirectoryPassword).count
            if global.json {
                try Output.json(["directory": "off"])
            } else {
                print(
                    "Directory mode is off. \(synced) account\(synced == 1 ? "" : "s") from the directory now have no mailbox password (their app passwords still work)."
                )
            }
        }
    }

    struct Sync: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Bring accounts and departments in line with the directory.",
            discussion: """
                Adds the directory's users that have no account, links accounts found in the \
                directory (their mailbox password is then checked by the directory), moves \
                accounts between departments (when the settings map departments), and disables \
                accounts that are disabled or gone in the directory; it never deletes. An \
                account it disabled is enabled again when the directory enables it; one an \
                administrator disabled stays disabled. Everything happens in one transaction, \
                and every change is audited. Open mail sessions of disabled accounts are ended \
                (kick_command). Safe to run from a timer.

                A sync that would disable more than the settings' share of accounts stops and \
                changes nothing unless --yes: a wrong filter must not lock out the company.

                Exit codes: 0 in line (changed or not); 1 the directory could not be reached, or \
                directory mode is off; 3 stopped by the share of accounts it would disable \
                (nothing changed), and a --dry-run whose sync would stop there; 64 usage error.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Show what would change; change nothing.") var dryRun = false
        @Flag(name: .long, help: "Disable however many accounts the directory says.") var yes = false

        func execute() async throws {
            let store = try global.openStore()
            guard let settings = try store.directorySettings() else {
                throw CommandFailure("directory mode is off: turn it on with `clientpass admin directory set`")
            }
            let users = try LDAPConnector().users(with: settings)
            let plan: DirectorySyncPlan
            if dryRun {
                plan = DirectorySyncPlan(users: users, accounts: try store.accounts(inDepartment: nil), settings: settings)
                // A dry run exits as the sync would: a timer's script learns the same from both.
                if plan.exceedsDisableLimit(settings), !yes {
                    if global.json { try Output.json(PlanJSON(plan, dryRun: true, stopped: true)) }
                    Self.printPlan(plan, to: global.json ? .standardError : .standardOutput)
                    FileHandle.standardError.write(
                        Data(
                            ("Dry run: nothing was changed. A sync would stop here: it disables more than "
                                + "\(settings.maximumDisablePercent) % of the accounts (run it with --yes).\n").utf8))
                    throw ExitCode(3)
                }
            } else {
                do {
                    plan = try store.syncDirectory(users: users, settings: settings, allowingMassDisable: yes, by: .currentAdmin, at: Date())
                } catch let refused as DirectorySyncRefused {
                    if global.json { try Output.json(PlanJSON(refused.plan, dryRun: false, stopped: true)) }
                    Self.printPlan(refused.plan, to: .standardError)
                    FileHandle.standardError.write(Data("Error: \(refused)\n".utf8))
                    throw ExitCode(3)
                }
                global.endSessions(Consequences(accountsLosingAccess: plan.disablings.map(\.account)))
            }
            if global.json {
                try Output.json(PlanJSON(plan, dryRun: dryRun, stopped: false))
                return
            }
            Self.printPlan(plan, to: .standardOutput)
            if plan.isEmpty {
                print("In line with the directory (\(users.count) user\(users.count == 1 ? "" : "s")); nothing \(dryRun ? "would change" : "changed").")
            } else if dryRun {
                print("Dry run: nothing was changed.")
            }
        }

        static func printPlan(_ plan: DirectorySyncPlan, to handle: FileHandle) {
            var lines: [String] = []
            lines += plan.additions.map { "add      \($0.name.value)\($0.department.map { " in \($0.value)" } ?? "")" }
            lines += plan.links.filter(\.takesOver).map { "link     \($0.account) (its mailbox password is now the directory's)" }
            lines += plan.moves.map { "move     \($0.account): \($0.from ?? "no department") → \($0.to?.value ?? "no department")" }
            lines += plan.disablings.map { "disable  \($0.account) (\($0.why))" }
            lines += plan.enablings.map { "enable   \($0) (enabled in the directory again)" }
            lines += plan.skipped.map { "skip     \(Untrusted.escaped($0.dn)): \($0.why)" }
            if !lines.isEmpty { handle.write(Data((lines.joined(separator: "\n") + "\n").utf8)) }
        }
    }
}

/// The settings as `--json` and `show` print them (never the password, only its file).
struct SettingsJSON: Encodable {
    let enabled: Bool
    let settings: DirectorySettings?

    init(_ settings: DirectorySettings) {
        enabled = true
        self.settings = settings
    }

    private init() {
        enabled = false
        settings = nil
    }

    static let off = SettingsJSON()

    var rows: [(String, String)] {
        guard let settings else { return [] }
        return [
            ("url", settings.url), ("starttls", settings.startTLS ? "yes" : "no"), ("ca file", settings.caFile ?? "the system's CAs"),
            ("bind dn", settings.bindDN), ("bind password file", settings.bindPasswordFile), ("base dn", settings.baseDN),
            ("filter", settings.filter), ("account attribute", settings.accountAttribute),
            ("department", settings.departmentFromOU ? "the nearest OU" : settings.departmentAttribute.map { "attribute \($0)" } ?? "not mapped"),
            ("disabled", settings.disabledAttribute.map { "attribute \($0)" } ?? "userAccountControl bit 2, nsAccountLock, pwdAccountLockedTime"),
            ("max disable percent", String(settings.maximumDisablePercent)),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case enabled, url, starttls, caFile = "ca_file", bindDN = "bind_dn", bindPasswordFile = "bind_password_file", baseDN = "base_dn"
        case filter, accountAttribute = "account_attribute", departmentAttribute = "department_attribute", departmentFromOU = "department_from_ou"
        case disabledAttribute = "disabled_attribute", maximumDisablePercent = "max_disable_percent"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        guard let settings else { return }
        try container.encode(settings.url, forKey: .url)
        try container.encode(settings.startTLS, forKey: .starttls)
        try container.encode(settings.caFile, forKey: .caFile)
        try container.encode(settings.bindDN, forKey: .bindDN)
        try container.encode(settings.bindPasswordFile, forKey: .bindPasswordFile)
        try container.encode(settings.baseDN, forKey: .baseDN)
        try container.encode(settings.filter, forKey: .filter)
        try container.encode(settings.accountAttribute, forKey: .accountAttribute)
        try container.encode(settings.departmentAttribute, forKey: .departmentAttribute)
        try container.encode(settings.departmentFromOU, forKey: .departmentFromOU)
        try container.encode(settings.disabledAttribute, forKey: .disabledAttribute)
        try container.encode(settings.maximumDisablePercent, forKey: .maximumDisablePercent)
    }
}

struct UserJSON: Encodable {
    let dn: String
    let name: String
    let department: String?
    let disabled: Bool

    init(_ user: DirectoryUser) {
        dn = user.dn
        name = user.name
        department = user.department
        disabled = user.isDisabled
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dn, forKey: .dn)
        try container.encode(name, forKey: .name)
        try container.encode(department, forKey: .department)
        try container.encode(disabled, forKey: .disabled)
    }

    enum CodingKeys: String, CodingKey { case dn, name, department, disabled }
}

struct TestJSON: Encodable {
    let users: Int
    let sample: [UserJSON]
}

/// A sync's changes as `--json` prints them.
struct PlanJSON: Encodable {
    let added: [String]
    let linked: [String]
    let moved: [[String: String?]]
    let disabled: [[String: String]]
    let enabled: [String]
    let skipped: [[String: String]]
    let dryRun: Bool
    let stopped: Bool

    init(_ plan: DirectorySyncPlan, dryRun: Bool, stopped: Bool) {
        added = plan.additions.map(\.name.value)
        linked = plan.links.filter(\.takesOver).map(\.account)
        moved = plan.moves.map { ["account": $0.account, "from": $0.from, "to": $0.to?.value] }
        disabled = plan.disablings.map { ["account": $0.account, "why": $0.why] }
        enabled = plan.enablings
        skipped = plan.skipped.map { ["dn": $0.dn, "why": $0.why] }
        self.dryRun = dryRun
        self.stopped = stopped
    }

    enum CodingKeys: String, CodingKey {
        case added, linked, moved, disabled, enabled, skipped, dryRun = "dry_run", stopped
    }
}
