import ArgumentParser
import ClientPassCore
import ClientPassPostgreSQL
import Foundation

/// Shell completion of the names a command takes, read from the store the command line names
/// (`--store PATH|URL`, else $CLIENTPASS_STORE, else the default path) where it is readable: a
/// SQLite file, or a PostgreSQL database (the password from its password file, as any command).
enum Completions {
    static let accounts = CompletionKind.custom { words, _, prefix in names(\.accounts, words: words, prefix: prefix) }
    static let departments = CompletionKind.custom { words, _, prefix in names(\.departments, words: words, prefix: prefix) }
    static let protocols = CompletionKind.list(MailService.allCases.map(\.rawValue))

    private static func names(
        _ which: KeyPath<(accounts: [String], departments: [String]), [String]>, words: [String],
        prefix: String
    ) -> [String] {
        let all = StoreLocation.names(at: storePath(in: words))[keyPath: which]
        return all.filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
    }

    /// The store the words being completed name (an unparsed `StoreOptions` has no value to
    /// read, so the flag is looked up in the words).
    static func storePath(in words: [String]) -> String {
        var flag: String?
        for (index, word) in words.enumerated() {
            if word == "--store", index + 1 < words.count { flag = words[index + 1] }
            if word.hasPrefix("--store=") { flag = String(word.dropFirst("--store=".count)) }
        }
        return StoreOptions.path(flag: flag, configured: StoreOptions.configuredStore)
    }
}
