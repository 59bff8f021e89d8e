import ArgumentParser
import ClientPassCore
import Foundation

extension AdminCommand {
    struct Backup: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Copy the whole store into a new file, safely while clientpass is serving.",
            discussion: """
                Uses SQLite's online backup: the copy is one consistent state of the store, taken \
                while other processes go on deciding logins and making changes. The copy is \
                written beside PATH, checked (a clientpass store, undamaged), then renamed into \
                place, mode 0600. It holds every hash and the selector key: keep it as safe as \
                the store. An existing PATH is never overwritten.

                Exit codes: 0 written; 1 PATH exists or cannot be written, or the store cannot be \
                read; 64 usage error.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The new backup file.", valueName: "path"), completion: .file()) var path: String

        func execute() async throws {
            let store = try global.openSQLiteStore(for: "backup")
            let summary = try store.backup(to: path, by: .currentAdmin, at: Date())
            if global.json {
                try Output.json(SummaryJSON(path: path, summary: summary))
            } else {
                print(
                    "Backed up \(global.storePath) to \(path): \(summary.accounts) accounts, \(summary.appPasswords) app passwords, \(summary.auditEvents) audit entries."
                )
            }
        }
    }

    struct Restore: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Replace the whole store with a backup.",
            discussion: """
                First checks that PATH is a clientpass store this version can use (not a newer \
                one) and undamaged; a file that fails changes nothing. Then copies it over the \
                store in one step: processes using the store (serve, checkpassword) see the old \
                state or the restored one, never a mix, and their next login is decided on the \
                restored one. An older backup's schema is brought up to date. Without --yes, only \
                checks the backup and says what it would replace.

                Exit codes: 0 restored (or, without --yes, the backup checked out); 1 the backup \
                is missing, not a clientpass store, newer or damaged, or the store cannot be \
                written; 64 usage error.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The backup file (from `admin backup`).", valueName: "path"), completion: .file()) var path: String
        @Flag(name: .long, help: "Replace the store; without it, only check the backup.") var yes = false

        func execute() async throws {
            let store = try global.openSQLiteStore(for: "restore")
            let backup = try SQLiteStore.inspect(backupAt: path)
            guard yes else {
                if global.json {
                    try Output.json(SummaryJSON(path: path, summary: backup, restored: false))
                } else {
                    print(
                        """
                        \(path) is a clientpass store: \(backup.accounts) accounts, \(backup.appPasswords) app passwords, \(backup.auditEvents) audit entries.
                        Nothing was changed. Add --yes to replace \(store.path) with it.
                        """)
                }
                return
            }
            let result = try store.restore(from: path, by: .currentAdmin, at: Date())
            if global.json {
                try Output.json(SummaryJSON(path: path, summary: result.restored, restored: true))
            } else {
                print(
                    "Restored \(store.path) from \(path): \(result.restored.accounts) accounts, \(result.restored.appPasswords) app passwords (it held \(result.replaced.accounts) accounts, \(result.replaced.appPasswords) app passwords)."
                )
            }
        }
    }

    struct SummaryJSON: Encodable {
        let path: String
        let summary: StoreSummary
        var restored: Bool?

        enum CodingKeys: String, CodingKey { case path, accounts, appPasswords = "app_passwords", auditEvents = "audit_events", migrations, restored }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(summary.accounts, forKey: .accounts)
            try container.encode(summary.appPasswords, forKey: .appPasswords)
            try container.encode(summary.auditEvents, forKey: .auditEvents)
            try container.encode(summary.migrations, forKey: .migrations)
            if let restored { try container.encode(restored, forKey: .restored) }
        }
    }

    struct Export: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Print the policy, accounts and app password metadata as one JSON document.",
            discussion: """
                Read in one transaction: the domain policy (third-party clients, enforcement with \
                its selection and exceptions, throttling, secure networks), departments, and every \
                account with its services, status and app passwords (labels, limits, created, \
                last use). No hashes unless --include-hashes, which adds each account's mailbox \
                password hash and each app password's selector and hash: treat that output like \
                the store. The output is JSON whether or not --json is given.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Include the Argon2id hashes and selectors.") var includeHashes = false

        func execute() async throws {
            let store = try global.openStore()
            try Output.json(ExportJSON(export: try store.export(), includeHashes: includeHashes, exportedAt: Date()))
        }
    }

    struct ExportJSON: Encodable {
        let export: StoreExport
        let includeHashes: Bool
        let exportedAt: Date

        enum Keys: String, CodingKey {
            case exportedAt = "exported_at", policy, departments, accounts
            case thirdPartyClients = "third_party_clients", enforceSecurePassword = "enforce_secure_password"
            case enforcedDepartments = "enforced_departments", enforcedAccounts = "enforced_accounts", exceptions
            case maximumAppPasswords = "max_app_passwords", throttling, secureNetworks = "secure_networks", firstPartyHosts = "first_party_hosts"
            case accountFailures = "account_failures", addressFailures = "address_failures", windowSeconds = "window_seconds"
            case accountWideFailures = "account_wide_failures"
            case network, note, account, name, createdAt = "created_at"
            case department, status, services, mailboxPasswordHash = "mailbox_password_hash", appPasswords = "app_passwords"
            case helpDesk = "help_desk"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(exportedAt, forKey: .exportedAt)
            var policy = container.nestedContainer(keyedBy: Keys.self, forKey: .policy)
            try policy.encode(export.policy.thirdPartyClients.rawValue, forKey: .thirdPartyClients)
            try policy.encode(export.policy.enforcement.rawValue, forKey: .enforceSecurePassword)
            try policy.encode(export.enforcedDepartments, forKey: .enforcedDepartments)
            try policy.encode(export.enforcedAccounts, forKey: .enforcedAccounts)
            var exceptions = policy.nestedUnkeyedContainer(forKey: .exceptions)
            for exception in export.exceptions {
                var item = exceptions.nestedContainer(keyedBy: Keys.self)
                try item.encode(exception.account, forKey: .account)
                try item.encode(exception.note, forKey: .note)
            }
            try policy.encode(export.policy.maximumAppPasswords, forKey: .maximumAppPasswords)
            var throttling = policy.nestedContainer(keyedBy: Keys.self, forKey: .throttling)
            try throttling.encode(export.policy.throttling.accountFailures, forKey: .accountFailures)
            try throttling.encode(export.policy.throttling.addressFailures, forKey: .addressFailures)
            try throttling.encode(export.policy.throttling.accountWideFailures, forKey: .accountWideFailures)
            try throttling.encode(Int(export.policy.throttling.window), forKey: .windowSeconds)
            try policy.encode(export.secureNetworks.map(NetworkJSON.init), forKey: .secureNetworks)
            try policy.encode(export.firstPartyHosts.map(NetworkJSON.init), forKey: .firstPartyHosts)
            var departments = container.nestedUnkeyedContainer(forKey: .departments)
            for department in export.departments {
                var item = departments.nestedContainer(keyedBy: Keys.self)
                try item.encode(department.name, forKey: .name)
                try item.encode(department.accountCount, forKey: .accounts)
                try item.encode(department.createdAt, forKey: .createdAt)
            }
            var accounts = container.nestedUnkeyedContainer(forKey: .accounts)
            for exported in export.accounts {
                let account = exported.account
                var item = accounts.nestedContainer(keyedBy: Keys.self)
                try item.encode(account.name, forKey: .name)
                try item.encode(account.department, forKey: .department)
                try item.encode(account.status.rawValue, forKey: .status)
                try item.encode(account.services, forKey: .services)
                try item.encode(account.createdAt, forKey: .createdAt)
                try item.encode(account.isHelpDesk, forKey: .helpDesk)
                if includeHashes { try item.encode(account.mailboxPasswordHash, forKey: .mailboxPasswordHash) }
                try item.encode(
                    exported.appPasswords.map { ExportedAppPasswordJSON(appPassword: $0, includeHashes: includeHashes) },
                    forKey: .appPasswords)
            }
        }
    }

    struct ExportedAppPasswordJSON: Encodable {
        let appPassword: AppPassword
        let includeHashes: Bool

        enum CodingKeys: String, CodingKey { case selector, hash }

        func encode(to encoder: any Encoder) throws {
            try AppPasswordJSON(appPassword: appPassword, includeUsage: true).encode(to: encoder)
            if includeHashes {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(appPassword.selector, forKey: .selector)
                try container.encode(appPassword.hash, forKey: .hash)
            }
        }
    }
}
