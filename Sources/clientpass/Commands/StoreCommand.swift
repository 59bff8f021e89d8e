import ArgumentParser
import ClientPassCore
import ClientPassPostgreSQL
import Foundation

/// `clientpass admin store`: moving a store between backends.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move the whole store between a SQLite file and PostgreSQL.",
        subcommands: [Copy.self]
    )
}

extension StoreCommand {
    struct Copy: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole store into a new one: SQLite to PostgreSQL, or back.",
            discussion: """
                Reads the source in one transaction (one consistent state; it may go on serving), \
                writes the target in one transaction (all of it or nothing), then reads every row \
                of the target back and compares it with the source's, and compares `admin export \
                --include-hashes` of both. Accounts, hashes, app passwords, the policy, the audit \
                trail, throttling counters and page sessions all move; the selector key too, so \
                every app password keeps working.

                The target must not hold a store: a SQLite path that does not exist yet, or an \
                empty PostgreSQL database. Give a PostgreSQL password in a password file \
                (passfile=PATH in the URL, $PGPASSFILE or ~/.pgpass) or $PGPASSWORD.

                Exit codes: 0 copied and verified; 1 the target holds a store or tables already, \
                a store cannot be reached, or the copy reads back differently; 64 usage error.
                """)

        @Option(name: .long, help: ArgumentHelp("The store to copy: a SQLite file or a PostgreSQL URL.", valueName: "path|url"), completion: .file())
        var from: String

        @Option(
            name: .long, help: ArgumentHelp("The new store: a SQLite path that does not exist, or an empty PostgreSQL database.", valueName: "path|url"),
            completion: .file())
        var to: String

        @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
        var json = false

        func execute() async throws {
            let source = try StoreLocation(parsing: from)
            let target = try StoreLocation(parsing: to)
            guard source != target else { throw InputError("--from and --to name the same store") }
            let original = try source.open()
            let summary = try StoreCopy.copy(from: original, to: target, by: .currentAdmin)
            // The administrator's view as well as the rows: both exports, with every hash, equal.
            let copy = try target.open()
            let moment = Date(timeIntervalSince1970: 0)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            // To the millisecond, as both backends keep moments.
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
            let exports = try [original, copy].map {
                try encoder.encode(AdminCommand.ExportJSON(export: try $0.export(), includeHashes: true, exportedAt: moment))
            }
            guard exports[0] == exports[1] else {
                throw CommandFailure("the copy at \(target) was written but its export differs from the source's: do not use it; remove it and try again")
            }
            if json {
                try Output.json(CopyJSON(from: source.description, to: target.description, summary: summary))
            } else {
                print(
                    "Copied \(source) to \(target): \(summary.accounts) accounts, \(summary.appPasswords) app passwords, \(summary.auditEvents) audit entries; the copy reads back the same and exports the same."
                )
            }
        }
    }

    struct CopyJSON: Encodable {
        let from: String
        let to: String
        let summary: StoreCopy.Summary

        enum CodingKeys: String, CodingKey { case from, to, accounts, appPasswords = "app_passwords", auditEvents = "audit_events", rows, verified }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(summary.accounts, forKey: .accounts)
            try container.encode(summary.appPasswords, forKey: .appPasswords)
            try container.encode(summary.auditEvents, forKey: .auditEvents)
            try container.encode(Dictionary(uniqueKeysWithValues: summary.rows.map { ($0.table, $0.count) }), forKey: .rows)
            try container.encode(true, forKey: .verified)
        }
    }
}
