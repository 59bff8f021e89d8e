import ArgumentParser
import ClientPassCore
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Add, list, show, change and remove accounts.",
        subcommands: [Add.self, Import.self, List.self, Show.self, Change.self, Remove.self, Disable.self, Enable.self, SetPassword.self]
    )
}

extension AccountCommand {
    struct Add: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an account with its mailbox password.",
            discussion: """
                NAME is the login name as mail clients send it (alice@example.com or alice): \
                case-insensitive, no spaces or control characters, at most 254 bytes. The \
                mailbox password (at least 8 characters) is asked twice without echo, or read \
                from the first line of standard input with --password-stdin. New accounts have \
                IMAP, POP3 and SMTP on.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's login name.")
        var name: String

        @Option(name: .long, help: "The department it belongs to (see `admin department add`).", completion: Completions.departments)
        var department: String?

        @Flag(name: .long, help: "Read the mailbox password from the first line of standard input.")
        var passwordStdin = false

        func execute() async throws {
            let manager = try global.openManager()
            _ = try AccountName(validating: name)
            let password = try SecretReader.readNew(fromStandardInput: passwordStdin, prompt: "Mailbox password for \(name): ")
            let account = try manager.addAccount(named: name, department: department, mailboxPassword: password, by: .currentAdmin)
            if global.json {
                try Output.json(AccountJSON(account: account, appPasswordCount: 0))
            } else {
                print("Added account \(account.name)\(account.department.map { " in \($0)" } ?? "") with IMAP, POP3 and SMTP on.")
            }
        }
    }

    struct Import: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add accounts with the mailbox password hashes the mail server keeps.",
            discussion: """
                FILE (or - for standard input) is a Dovecot passwd-file (user:{SCHEME}hash:…, \
                `#` comments; fields after the hash are ignored) or, with --format csv (the \
                default for a name ending in .csv), CSV lines of name, department and hash, with \
                an optional header line `name,department,hash`. Departments that do not exist \
                are created.

                Supported schemes: \(ImportedMailboxHash.supportedSchemes). {CRYPT} is read by \
                its prefix: $6$, $5$ and $2y$ count as SHA512-, SHA256- and BLF-CRYPT; $1$ and \
                DES hashes are weak. An {ARGON2ID} hash is kept as clientpass's own. Every other \
                hash is checked as it is, in its scheme, until the account's first successful \
                login, which replaces it with Argon2id at the configured cost (audited as \
                credential.rehashed). Weak hashes are flagged in `admin account list` until then. \
                An Argon2 hash that needs more than 128 MiB, or more than 512 MiB-passes of work, \
                to check is refused unless --allow-costly: checkpassword cannot check it under \
                Dovecot's default 256 MiB address-space limit. A check of a hash cheaper than \
                clientpass's own mailbox-password cost is padded to that cost, so that a wrong \
                password costs what one for an unknown account costs.

                The import adds accounts and never changes one: a name that exists already is a \
                problem. Lines with problems are listed with their numbers (never their hashes) \
                and nothing is imported, unless --skip-invalid imports the rest. Everything is \
                imported in one transaction: all the accounts or none.

                Exit codes: 0 success; 1 failure (store missing, locked or too new, file \
                unreadable); 64 usage error; 65 the file has lines that cannot be imported \
                (nothing was imported).
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The passwd-file or CSV file, or - for standard input.", completion: .file())
        var file: String

        @Option(name: .long, help: "passwd-file or csv (default: csv for a name ending in .csv, else passwd-file).")
        var format: AccountImportFile.Format?

        @Flag(name: .long, help: "Import the valid lines and list the others, instead of importing nothing.")
        var skipInvalid = false

        @Flag(
            name: .long,
            help: "Import plain-text, MD5-crypt, DES-crypt and salted SHA or MD5 ({SSHA512}, {SSHA256}, {SSHA}, {SMD5}) hashes too (flagged until rehashed).")
        var allowWeak = false

        @Flag(name: .long, help: "Import Argon2 hashes that need more than 128 MiB or 512 MiB-passes to check (up to 256 MiB and 32 passes).")
        var allowCostly = false

        @Flag(name: .long, help: "Show what would be imported; change nothing.")
        var dryRun = false

        func execute() async throws {
            let manager = try global.openManager()
            let text = try Self.read(file)
            let chosen = format ?? (file.lowercased().hasSuffix(".csv") ? .csv : .passwdFile)
            let plan = try manager.planImport(text, format: chosen, allowWeak: allowWeak, allowCostly: allowCostly)
            if !plan.problems.isEmpty, !skipInvalid {
                if global.json {
                    try Output.json(ImportJSON(imported: [], createdDepartments: [], problems: plan.problems, dryRun: dryRun, importedNothing: true))
                }
                Self.report(plan.problems)
                FileHandle.standardError.write(
                    Data(
                        """
                        Nothing was imported: \(plan.problems.count) line\(plan.problems.count == 1 ? " has a problem" : "s have problems"). \
                        Fix \(plan.problems.count == 1 ? "it" : "them"), or import the other \(plan.entries.count) with --skip-invalid.

                        """.utf8))
                throw ExitCode(65)
            }
            if dryRun {
                if global.json {
                    try Output.json(
                        ImportJSON(
                            imported: plan.entries.map { ImportJSON.Imported(name: $0.name.value, department: $0.department?.value, hash: $0.hash) },
                            createdDepartments: [], problems: plan.problems, dryRun: true, importedNothing: true))
                    return
                }
                Self.report(plan.problems)
                print("Would import \(plan.entries.count) account\(plan.entries.count == 1 ? "" : "s") (dry run; nothing changed):")
                for entry in plan.entries {
                    print(
                        "  \(entry.name.value)\(entry.department.map { " in \($0.value)" } ?? "")  {\(entry.hash.schemeName)}\(entry.hash.isWeak ? " (weak)" : "")"
                    )
                }
                return
            }
            let result =
                plan.entries.isEmpty
                ? ImportedAccounts(accounts: [], createdDepartments: [])
                : try manager.importAccounts(plan.entries, by: .currentAdmin)
            if global.json {
                try Output.json(
                    ImportJSON(
                        imported: plan.entries.map { ImportJSON.Imported(name: $0.name.value, department: $0.department?.value, hash: $0.hash) },
                        createdDepartments: result.createdDepartments, problems: plan.problems, dryRun: false, importedNothing: plan.entries.isEmpty))
                return
            }
            Self.report(plan.problems)
            let count = result.accounts.count
            print(
                "Imported \(count) account\(count == 1 ? "" : "s")\(plan.problems.isEmpty ? "" : "; skipped \(plan.problems.count) line\(plan.problems.count == 1 ? "" : "s")")."
                    + (result.createdDepartments.isEmpty
                        ? ""
                        : " Created the department\(result.createdDepartments.count == 1 ? "" : "s") \(result.createdDepartments.joined(separator: ", ")).")
                    + " They have IMAP, POP3 and SMTP on.")
            let rehashed = plan.entries.filter { if case .imported = $0.hash { true } else { false } }.count
            if rehashed > 0 {
                print(
                    "\(rehashed) mailbox password hash\(rehashed == 1 ? " is" : "es are") checked as imported until the account's first login rehashes it to Argon2id."
                )
            }
            let weak = plan.entries.filter(\.hash.isWeak)
            if !weak.isEmpty {
                print("Weak hashes (flagged in `admin account list` until then): \(weak.map(\.name.value).joined(separator: ", ")).")
            }
        }

        static func read(_ path: String) throws -> String {
            let data: Data
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: path) else {
                    throw CommandFailure("cannot read \(Quoted(path)): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
                }
                data = contents
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure("\(path == "-" ? "standard input" : Quoted(path).description) is not UTF-8 text; nothing was imported")
            }
            return text
        }

        /// The problems, one a line on standard error: the line number, the name, the reason.
        static func report(_ problems: [AccountImportFile.Problem]) {
            for problem in problems {
                let name = problem.name.map { " (\(Untrusted.escaped($0)))" } ?? ""
                FileHandle.standardError.write(Data("line \(problem.line)\(name): \(problem.message)\n".utf8))
            }
        }

        struct ImportJSON: Encodable {
            struct Imported: Encodable {
                let name: String
                let department: String?
                let scheme: String
                let weak: Bool

                init(name: String, department: String?, hash: ImportedMailboxHash) {
                    self.name = name
                    self.department = department
                    self.scheme = hash.schemeName
                    self.weak = hash.isWeak
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(name, forKey: .name)
                    try container.encode(department, forKey: .department)
                    try container.encode(scheme, forKey: .scheme)
                    try container.encode(weak, forKey: .weak)
                }

                enum CodingKeys: String, CodingKey { case name, department, scheme, weak }
            }

            struct Problem: Encodable {
                let line: Int
                let name: String?
                let error: String

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(line, forKey: .line)
                    try container.encode(name, forKey: .name)
                    try container.encode(error, forKey: .error)
                }

                enum CodingKeys: String, CodingKey { case line, name, error }
            }

            let imported: [Imported]
            let createdDepartments: [String]
            let problems: [Problem]
            let dryRun: Bool
            /// Nothing was written: a dry run, problems without --skip-invalid, or no entries.
            let importedNothing: Bool

            init(imported: [Imported], createdDepartments: [String], problems: [AccountImportFile.Problem], dryRun: Bool, importedNothing: Bool) {
                self.imported = importedNothing ? [] : imported
                self.wouldImport = importedNothing ? imported : []
                self.createdDepartments = createdDepartments
                self.problems = problems.map { Problem(line: $0.line, name: $0.name, error: $0.message) }
                self.dryRun = dryRun
                self.importedNothing = importedNothing
            }

            let wouldImport: [Imported]

            // No optionals here: the synthesized encoding writes every key.
            enum CodingKeys: String, CodingKey {
                case imported, wouldImport = "would_import", createdDepartments = "created_departments", problems, dryRun = "dry_run"
            }
        }
    }

    struct Change: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Move an account to another department, or make it a member of the help desk.",
            discussion: """
                `admin account set bob@example.com --department Support`, or `--no-department`. \
                Prints what it was. If the move brings the account under secure-password \
                enforcement, its open mail sessions are ended (kick_command).

                `--help-desk` makes the account a member of the help desk: signed in to the \
                self-service page, it may issue device passwords (printers, scanners) for any \
                account, as `admin password issue` does, and print their device cards. Each such \
                password is audited with the member's name. `--no-help-desk` ends that at once, \
                even for a form already open.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @Option(name: .long, help: "The department to move it to.", completion: Completions.departments) var department: String?
        @Flag(name: .long, help: "Take it out of its department.") var noDepartment = false
        @Flag(name: .long, inversion: .prefixedNo, help: "Make it a member of the help desk, or not (who may issue device passwords on the page).")
        var helpDesk: Bool?

        func validate() throws {
            // One change a run: each is one transaction, and a run never stops half done.
            guard [department != nil, noDepartment, helpDesk != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give one of --department NAME, --no-department, --help-desk and --no-help-desk")
            }
        }

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            var moved = false
            if department != nil || noDepartment {
                let (changed, consequences) = try manager.setDepartment(of: account, to: department, by: .currentAdmin)
                global.endSessions(consequences)
                moved = changed
            }
            let joined = try helpDesk.map { try manager.setHelpDesk(of: account, to: $0, by: .currentAdmin) } ?? false
            let now = try manager.account(named: account.name)
            if global.json {
                try Output.json(
                    SetJSON(
                        account: now.name, department: now.department, was: account.department,
                        helpDesk: now.isHelpDesk, wasHelpDesk: account.isHelpDesk))
                return
            }
            if department != nil || noDepartment {
                if moved {
                    print(
                        "Moved \(now.name) to \(now.department.map { "department \($0)" } ?? "no department") (was: \(account.department.map { "department \($0)" } ?? "none"))."
                    )
                } else {
                    print("\(now.name) is already in \(now.department.map { "department \($0)" } ?? "no department"); nothing changed.")
                }
            }
            if let helpDesk {
                switch (joined, helpDesk) {
                case (true, true): print("\(now.name) is now a member of the help desk: on the page, it may issue device passwords for any account.")
                case (true, false): print("\(now.name) is no longer a member of the help desk.")
                case (false, true): print("\(now.name) is already a member of the help desk; nothing changed.")
                case (false, false): print("\(now.name) is not a member of the help desk; nothing changed.")
                }
            }
        }

        struct SetJSON: Encodable {
            let account: String
            let department: String?
            let was: String?
            let helpDesk: Bool
            let wasHelpDesk: Bool

            enum CodingKeys: String, CodingKey {
                case account, department, was, helpDesk = "help_desk", wasHelpDesk = "was_help_desk"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(account, forKey: .account)
                try container.encode(department, forKey: .department)
                try container.encode(was, forKey: .was)
                try container.encode(helpDesk, forKey: .helpDesk)
                try container.encode(wasHelpDesk, forKey: .wasHelpDesk)
            }
        }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List accounts.",
            discussion: """
                SOURCE says where each account's mailbox password is checked: local (clientpass's \
                own hash), directory (a bind as the user, in directory mode) or imported (a hash \
                `account import` brought, until the first login rehashes it); --json has it as \
                `source`.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Only the accounts of this department.", completion: Completions.departments)
        var department: String?

        func execute() async throws {
            let manager = try global.openManager()
            let accounts = try manager.accounts(inDepartment: department)
            let perAccount = try manager.appPasswordCounts()
            let counts = accounts.map { perAccount[$0.id] ?? 0 }
            if global.json {
                try Output.json(zip(accounts, counts).map { AccountJSON(account: $0, appPasswordCount: $1) })
                return
            }
            guard !accounts.isEmpty else {
                print(department == nil ? "No accounts yet. Add one with `clientpass admin account add NAME`." : "No accounts in \(department!).")
                return
            }
            let weak = Set(accounts.filter { MailboxPasswordHasher.isWeak($0.mailboxPasswordHash) }.map(\.id))
            Output.table(
                ["NAME", "DEPARTMENT", "SOURCE", "STATUS", "SERVICES", "APP PASSWORDS"],
                zip(accounts, counts).map { account, count in
                    [
                        account.name, account.department ?? "-", account.passwordSource.rawValue,
                        account.status.rawValue + (account.isHelpDesk ? ", help desk" : "") + (weak.contains(account.id) ? ", weak password hash" : ""),
                        account.services.enabled.isEmpty ? "none" : account.services.enabled.map(\.displayName).joined(separator: ","),
                        String(count),
                    ]
                })
            if !weak.isEmpty {
                print(
                    "\n\(weak.count) account\(weak.count == 1 ? " has" : "s have") a weak imported mailbox password hash "
                        + "(plain text, MD5-crypt, DES-crypt or one salted digest) until \(weak.count == 1 ? "its" : "their") next login rehashes it, "
                        + "or `admin account set-password` replaces it.")
            }
        }
    }

    struct Show: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an account: status, services, access and app passwords.",
            discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's name.", completion: Completions.accounts)
        var name: String

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let passwords = try manager.appPasswords(of: account)
            let summary = try manager.access(for: account)
            if global.json {
                try Output.json(
                    ShowJSON(
                        account: AccountJSON(account: account, appPasswordCount: passwords.count),
                        access: AccessJSON(summary: AccessReport(summary)),
                        appPasswords: passwords.map { AppPasswordJSON(appPassword: $0, includeUsage: true) }))
                return
            }
            printAccess(AccessReport(summary))
            print("Created:              \(HumanTime.localDate(account.createdAt))\n")
            try printAppPasswords(
                passwords, of: account.name, json: false, now: manager.currentDate, generate: "clientpass password generate --user \(account.name)")
        }

        struct ShowJSON: Encodable {
            let account: AccountJSON
            let access: AccessJSON
            let appPasswords: [AppPasswordJSON]

            enum CodingKeys: String, CodingKey {
                case account, access, appPasswords = "app_passwords"
            }
        }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an account and all its app passwords.",
            discussion: """
                This cannot be undone. It says what it will remove; without --yes, clientpass asks \
                you to type the account's name on the terminal; --dry-run only shows it.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's name.", completion: Completions.accounts)
        var name: String

        @OptionGroup var confirmation: ConfirmationOptions

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let count = try manager.appPasswords(of: account).count
            guard
                try confirmation.confirm(
                    "remove \(account.name) and its \(count) app password\(count == 1 ? "" : "s")",
                    typing: account.name, json: global.json)
            else { return }
            let (removed, consequences) = try manager.removeAccount(named: account.name, by: .currentAdmin)
            global.endSessions(consequences)
            if global.json {
                try Output.json(RemovedJSON(account: account.name, appPasswords: removed))
            } else {
                print("Removed account \(account.name) and its \(removed) app password\(removed == 1 ? "" : "s").")
            }
        }

        struct RemovedJSON: Encodable {
            let account: String
            let appPasswords: Int

            enum CodingKeys: String, CodingKey {
                case account, appPasswords = "removed_app_passwords"
            }
        }
    }

    struct Disable: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable an account: no access at all, from the next login.",
            discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String

        func execute() async throws {
            try setStatus(.disabled, of: name, global: global)
        }
    }

    struct Enable: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String

        func execute() async throws {
            try setStatus(.active, of: name, global: global)
        }
    }

    struct SetPassword: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set an account's mailbox password (asked twice without echo, or --password-stdin).",
            discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @Flag(name: .long, help: "Read the new mailbox password from the first line of standard input.") var passwordStdin = false

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let password = try SecretReader.readNew(fromStandardInput: passwordStdin, prompt: "New mailbox password for \(account.name): ")
            global.endSessions(try manager.setMailboxPassword(of: account, to: password, by: .currentAdmin))
            if global.json { try Output.json(["account": account.name]) } else { print("Set the mailbox password of \(account.name).") }
        }
    }
}

private func setStatus(_ status: Account.Status, of name: String, global: GlobalOptions) throws {
    let manager = try global.openManager()
    let account = try manager.account(named: name)
    let (changed, consequences) = try manager.setStatus(status, of: account, by: .currentAdmin)
    global.endSessions(consequences)
    if global.json {
        try Output.json(["account": account.name, "status": status.rawValue])
    } else if changed {
        print(status == .active ? "Enabled \(account.name)." : "Disabled \(account.name): it has no access at all from the next login.")
    } else {
        print("\(account.name) was already \(status == .active ? "enabled" : "disabled"); nothing changed.")
    }
}
extension AccountImportFile.Format: ExpressibleByArgument {}
