import Foundation

/// A file of accounts with the mailbox password hashes a mail server keeps, read for
/// `admin account import`: a Dovecot passwd-file (`user:{SCHEME}hash:…`) or a CSV file (name,
/// department, hash). Each line is an entry or a problem; a hash never appears in a problem.
public struct AccountImportFile: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case passwdFile = "passwd-file"
        case csv
    }

    /// An account to add.
    public struct Entry: Sendable {
        /// The line it is on (the first line of a CSV record).
        public let line: Int
        public let name: AccountName
        public let department: DepartmentName?
        public let hash: ImportedMailboxHash
    }

    /// A line that cannot be imported, and why.
    public struct Problem: Sendable, Hashable {
        public let line: Int
        /// The account name on the line, when there is one to show (as written, untrusted).
        public let name: String?
        public let message: String

        public init(line: Int, name: String?, message: String) {
            self.line = line
            self.name = name
            self.message = message
        }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var problems: [Problem] = []

    /// The lines a file may have: more is not a mail domain's account list but a mistake.
    public static let maximumRecords = 1_000_000

    /// Reads `text` as `format`. A weak scheme ({PLAIN}, {MD5-CRYPT}, {DES-CRYPT}) is a problem
    /// unless `allowWeak`; an Argon2 hash beyond what the documented deployments check
    /// (``ImportedMailboxHash/costBeyondDeployments``) unless `allowCostly`. A name given twice
    /// is a problem on its second line.
    public init(parsing text: String, format: Format, allowWeak: Bool, allowCostly: Bool = false) {
        let records: [(line: Int, fields: [String])]
        switch format {
        case .passwdFile: records = Self.passwdRecords(text)
        case .csv: records = Self.csvRecords(text, problems: &problems)
        }
        var seen: [String: Int] = [:]
        for record in records {
            if record.line == 0 { continue }
            guard entries.count + problems.count < Self.maximumRecords else {
                problems.append(Problem(line: record.line, name: nil, message: "more than \(Self.maximumRecords) accounts in one file"))
                break
            }
            let fields = record.fields
            let nameText = fields.first ?? ""
            // The name is shown only once the line has its fields and the first is a name: a
            // line split wrongly (a space or a semicolon for the separator) has the hash, or the
            // password itself, in its first field.
            var shownName: String?
            func problem(_ message: String) { problems.append(Problem(line: record.line, name: shownName, message: message)) }
            let layout = format == .passwdFile ? "passwd-file lines are user:{SCHEME}hash:…" : "CSV lines are name,department,hash"

            let hashText: String
            var departmentText = ""
            switch format {
            case .passwdFile:
                guard fields.count >= 2 else { problem("no password field (\(layout)); the line is not shown"); continue }
                hashText = fields[1]
            case .csv:
                guard fields.count >= 3 else {
                    problem("\(fields.count) field\(fields.count == 1 ? "" : "s") where \(layout); the line is not shown"); continue
                }
                departmentText = fields[1]
                // The hash is the rest of the line: Argon2 hashes have commas ("m=65536,t=3,p=1")
                // that a hand-made file leaves unquoted.
                hashText = fields[2...].joined(separator: ",")
            }
            let name: AccountName
            do { name = try AccountName(validating: nameText) } catch {
                problem("the first field is no account name (\(layout)); it is not shown, as it may hold a password")
                continue
            }
            shownName = nameText
            var department: DepartmentName?
            if !departmentText.isEmpty {
                do { department = try DepartmentName(validating: departmentText) } catch {
                    problem("the second field is no department name (\(layout)); it is not shown, as it may hold a password")
                    continue
                }
            }
            guard !hashText.isEmpty else { problem("no password hash"); continue }
            let hash: ImportedMailboxHash
            do { hash = try ImportedMailboxHash(parsing: hashText) } catch { problem(error.description); continue }
            if !allowCostly, let why = hash.costBeyondDeployments {
                problem(why)
                continue
            }
            if hash.isWeak, !allowWeak {
                problem("a weak scheme ({\(hash.schemeName)}): import it with --allow-weak, and it stays flagged until the account's next login")
                continue
            }
            if let first = seen[name.key] {
                problem("the same account as line \(first)")
                continue
            }
            seen[name.key] = record.line
            entries.append(Entry(line: record.line, name: name, department: department, hash: hash))
        }
        problems.sort { $0.line < $1.line }
    }

    /// Marks entries whose account exists already as problems (the import adds, never changes).
    public mutating func excludeExisting(_ exists: (AccountName) throws -> String?) rethrows {
        var kept: [Entry] = []
        for entry in entries {
            if let existing = try exists(entry.name) {
                problems.append(
                    Problem(
                        line: entry.line, name: entry.name.value,
                        message: "an account named \(Quoted(existing)) already exists (an import only adds accounts)"))
            } else {
                kept.append(entry)
            }
        }
        entries = kept
        problems.sort { $0.line < $1.line }
    }

    /// Non-empty lines, `#` comments skipped; the fields split at `:`. A line number of 0 marks
    /// nothing here (CSV uses it for a header).
    private static func passwdRecords(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var number = 0
        // "\r\n" is one Character in Swift: both endings are named.
        for trimmed in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) || trimmed.hasPrefix("#") { continue }
            records.append((number, trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)))
        }
        return records
    }

    /// RFC 4180 records: fields in double quotes may hold commas, quotes (doubled) and line
    /// breaks. A first record of `name,department,hash` is a header and is skipped.
    /// (Everything after the second comma is the hash, quoted or not.)
    private static func csvRecords(_ text: String, problems: inout [Problem]) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var characters = Array(text.unicodeScalars)
        if characters.last != "\n" { characters.append("\n") }
        var index = 0
        func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty && !fieldWasQuoted
            if !blank {
                let isHeader = records.isEmpty && fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } == ["name", "department", "hash"]
                records.append((isHeader ? 0 : recordLine, fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.unicodeScalars.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r" where index < characters.count && characters[index] == "\n":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(character)
            }
        }
        if quoted {
            problems.append(Problem(line: recordLine, name: nil, message: "a quoted field is not closed before the end of the file"))
            // The unfinished record is dropped: what it would have held is unknown.
        }
        return records
    }
}
