import Foundation

/// An audit entry written before entries were typed (one English sentence in `detail`), read
/// into fields once, by the migration that types the trail. The sentences are the ones earlier
/// versions wrote, word for word; whatever does not read as one of them keeps its whole
/// sentence as the note, so nothing is lost. Nothing else in clientpass reads a sentence.
struct LegacyAuditEntry {
    var actor: AuditActor
    var subject: AuditEvent.Subject?
    var reason: DenialReason?
    var old: AuditEvent.Value?
    var new: AuditEvent.Value?
    var context: AuditEvent.Context?
    var note: String?

    init(actor: String, action: String, detail: String, address: String?, reason: String?) {
        self.actor = Self.actor(actor)
        self.reason = reason.flatMap(DenialReason.init(rawValue:))
        if !read(AuditEvent.Kind(rawValue: action), detail, address: address) {
            subject = nil
            old = nil
            new = nil
            context = nil
            note = detail
        }
    }

    /// `clientpass`, `admin (root)`, or an account's name.
    static func actor(_ text: String) -> AuditActor {
        if text == "clientpass" { return .system }
        if text.hasPrefix("admin ("), text.hasSuffix(")") { return .admin(osUser: String(text.dropFirst(7).dropLast())) }
        return .account(text)
    }

    /// Fills the fields from `detail`; `false` when it is not a sentence of `kind`.
    private mutating func read(_ kind: AuditEvent.Kind?, _ detail: String, address: String?) -> Bool {
        var text = Scanner(detail)
        switch kind {
        case nil:
            return false
        case .storeInitialized:
            guard text.skip("store created at ") else { return false }
            let rest = text.rest
            if let range = rest.range(of: " for group ", options: .backwards) {
                subject = .store(path: String(rest[..<range.lowerBound]))
                new = .record([.init("group", .text(String(rest[range.upperBound...])))])
            } else {
                subject = .store(path: rest)
            }
        case .storeBackedUp:
            guard text.skip("backup written to "), let (path, counts) = Self.splitLast(text.rest, ": "),
                let inventory = Self.inventory(counts)
            else { return false }
            subject = .store(path: path)
            new = inventory
        case .storeRestored:
            guard text.skip("store restored from "), let (path, rest) = Self.splitLast(text.rest, ": "),
                let (restored, held) = Self.splitLast(rest, " (it held "), held.hasSuffix(")"),
                let new = Self.inventory(restored), let old = Self.inventory(String(held.dropLast()))
            else { return false }
            subject = .store(path: path)
            self.old = old
            self.new = new
        case .departmentAdded, .departmentRemoved:
            guard text.skip("department "), let name = text.quoted(),
                text.skip(kind == .departmentAdded ? " added" : " removed"), text.isAtEnd
            else { return false }
            subject = .department(name)
        case .accountAdded:
            guard text.skip("account added") else { return false }
            if text.skip(" in department ") {
                guard let name = text.quoted(), text.isAtEnd else { return false }
                subject = .department(name)
            }
            return text.isAtEnd
        case .accountRemoved:
            guard text.skip("account removed with its "), let count = text.number(),
                text.skip(count == 1 ? " app password" : " app passwords"), text.isAtEnd
            else { return false }
            old = .record([.init("app_passwords", .number(count))])
        case .accountStatusChanged:
            switch detail {
            case "account enabled": (old, new) = (.text("disabled"), .text("active"))
            case "account disabled": (old, new) = (.text("active"), .text("disabled"))
            default: return false
            }
        case .mailboxPasswordChanged:
            switch detail {
            case "mailbox password set": break
            case "mailbox password set (reset)": context = .reset
            default: return false
            }
        case .appPasswordCreated:
            guard let (id, label) = text.appPassword(), text.skip(" created") else { return false }
            subject = .appPassword(id: id, label: label)
            if text.skip(" (") {
                guard text.rest.hasSuffix(")"), let limits = Self.limits(String(text.rest.dropLast())) else { return false }
                new = limits
            } else if !text.isAtEnd {
                return false
            }
        case .appPasswordRelabeled:
            guard text.skip("app password "), let id = text.number(), text.skip(" renamed from "), let oldLabel = text.quoted(),
                text.skip(" to "), let newLabel = text.quoted(), text.isAtEnd
            else { return false }
            subject = .appPassword(id: id, label: newLabel)
            (old, new) = (.text(oldLabel), .text(newLabel))
        case .appPasswordRevoked:
            guard let (id, label) = text.appPassword(), text.skip(" revoked") else { return false }
            subject = .appPassword(id: id, label: label)
            switch text.rest {
            case "": break
            case " (reset)": context = .reset
            case " (all revoked)": context = .revokeAll
            default: return false
            }
        case .accountDepartmentChanged, .accountHelpDeskChanged:
            // No earlier version wrote them.
            return false
        case .servicesChanged:
            // "services: IMAP on, POP3 off" named what was set, not what was before and after:
            // it stays a note.
            return false
        case .policyChanged:
            return readPolicy(detail)
        case .loginDenied:
            // "IMAP login from 198.51.100.7 denied: <the rule's sentence>"
            guard let range = detail.range(of: " denied: ") else { return false }
            note = String(detail[range.upperBound...])
        case .loginFromNewAddress, .credentialRehashed:
            guard let credential = text.credential(),
                text.skip(kind == .credentialRehashed ? " rehashed " : " used over ")
            else { return false }
            subject = credential
        case .signedIn:
            if detail.hasPrefix("signed in to the self-service page") {
                context = .page
            } else if detail.hasPrefix("confirmed the mailbox password") {
                context = .confirmation
            } else if detail == "signed in to self-service on the command line" {
                context = .commandLine
            } else {
                return false
            }
        case .signInFailed:
            context = detail.hasPrefix("self-service sign-in from ") ? .page : .commandLine
            let reasons: [(String, DenialReason)] = [
                ("no such account", .unknownAccount), ("wrong mailbox password", .badCredential),
                ("too many failed attempts", .throttled), ("the account is disabled", .accountDisabled),
            ]
            guard detail.hasPrefix("self-service sign-in "), let match = reasons.first(where: { detail.hasSuffix($0.0) || detail.contains($0.0 + " ") }) else {
                return false
            }
            reason = reason ?? match.1
        }
        return true
    }

    private mutating func readPolicy(_ detail: String) -> Bool {
        var text = Scanner(detail)
        switch detail {
        case "third-party clients allowed":
            (subject, old, new) = (.setting(.thirdPartyClients), .text("blocked"), .text("allowed"))
        case "third-party clients blocked":
            (subject, old, new) = (.setting(.thirdPartyClients), .text("allowed"), .text("blocked"))
        case "secure-password enforcement off":
            (subject, new) = (.setting(.enforcement), .record([.init("mode", .text("off"))]))
        case "secure-password enforcement on for all members":
            (subject, new) = (.setting(.enforcement), .record([.init("mode", .text("all"))]))
        case "made an exception to secure-password enforcement (keeps its mailbox password)":
            (subject, new) = (.setting(.exception), .text(""))
        case "no longer an exception to secure-password enforcement":
            (subject, old) = (.setting(.exception), .text(""))
        default:
            if text.skip("secure network ") {
                let rest = text.rest
                if rest.hasSuffix(" removed") {
                    (subject, old) = (.secureNetwork(String(rest.dropLast(8))), .text(""))
                } else if let range = rest.range(of: " added") {
                    let note = rest[range.upperBound...]
                    guard note.isEmpty || (note.hasPrefix(" (") && note.hasSuffix(")")) else { return false }
                    (subject, new) = (.secureNetwork(String(rest[..<range.lowerBound])), .text(note.isEmpty ? "" : String(note.dropFirst(2).dropLast())))
                } else {
                    return false
                }
            } else if text.skip("throttling: "), let account = text.number(), text.skip(" failures per account and address, "),
                let address = text.number(), text.skip(" per address, ")
            {
                var accountWide = ThrottlePolicy.standard.accountWideFailures
                if let wide = text.number() {
                    guard text.skip(" per account from unknown addresses, ") else { return false }
                    accountWide = wide
                }
                guard text.skip("in "), let window = text.number(), text.skip(" s"), text.isAtEnd else { return false }
                subject = .setting(.throttling)
                new = .throttling(
                    ThrottlePolicy(
                        accountFailures: account, addressFailures: address, accountWideFailures: accountWide,
                        window: TimeInterval(window)))
            } else {
                // "secure-password enforcement on for department Sales, bob@example.com": names
                // may hold ", ", so the selection is not split; it stays a note.
                return false
            }
        }
        return true
    }

    private static func splitLast(_ text: String, _ separator: String) -> (String, String)? {
        guard let range = text.range(of: separator, options: .backwards) else { return nil }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    /// "3 accounts, 5 app passwords".
    private static func inventory(_ text: String) -> AuditEvent.Value? {
        var scanner = Scanner(text)
        guard let accounts = scanner.number(), scanner.skip(" accounts, "), let passwords = scanner.number(),
            scanner.skip(" app passwords"), scanner.isAtEnd
        else { return nil }
        return .inventory(accounts: accounts, appPasswords: passwords)
    }

    /// "protocols imap,smtp; networks 10.0.3.0/24; expires 2026-12-01T00:00:00Z".
    private static func limits(_ text: String) -> AuditEvent.Value? {
        var fields: [AuditEvent.Value.Field] = []
        for part in text.components(separatedBy: "; ") {
            if part.hasPrefix("protocols ") {
                fields.append(.init("protocols", .list(part.dropFirst(10).split(separator: ",").map(String.init))))
            } else if part.hasPrefix("networks ") {
                fields.append(.init("networks", .list(part.dropFirst(9).split(separator: ",").map(String.init))))
            } else if part.hasPrefix("expires ") {
                fields.append(.init("expires_at", .text(String(part.dropFirst(8)))))
            } else {
                return nil
            }
        }
        return .record(fields)
    }

    /// Reads a sentence from left to right.
    private struct Scanner {
        private var remaining: Substring

        init(_ text: String) { remaining = Substring(text) }

        var rest: String { String(remaining) }
        var isAtEnd: Bool { remaining.isEmpty }

        mutating func skip(_ prefix: String) -> Bool {
            guard remaining.hasPrefix(prefix) else { return false }
            remaining = remaining.dropFirst(prefix.count)
            return true
        }

        mutating func number() -> Int? {
            let digits = remaining.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(digits) else { return nil }
            remaining = remaining.dropFirst(digits.count)
            return value
        }

        /// A ``Quoted`` string: `"…"` with `\"` and `\\` escaped.
        mutating func quoted() -> String? {
            guard remaining.first == "\"" else { return nil }
            var value = ""
            var index = remaining.index(after: remaining.startIndex)
            while index < remaining.endIndex {
                let character = remaining[index]
                if character == "\\" {
                    let next = remaining.index(after: index)
                    guard next < remaining.endIndex, remaining[next] == "\"" || remaining[next] == "\\" else {
                        value.append(character)
                        index = next
                        continue
                    }
                    value.append(remaining[next])
                    index = remaining.index(after: next)
                } else if character == "\"" {
                    remaining = remaining[remaining.index(after: index)...]
                    return value
                } else {
                    value.append(character)
                    index = remaining.index(after: index)
                }
            }
            return nil
        }

        /// `app password 3 "Phone"`.
        mutating func appPassword() -> (Int, String)? {
            guard skip("app password "), let id = number(), skip(" "), let label = quoted() else { return nil }
            return (id, label)
        }

        /// `app password 3 "Phone"` or `mailbox password`.
        mutating func credential() -> AuditEvent.Subject? {
            if skip("mailbox password") { return .mailboxPassword }
            return appPassword().map { .appPassword(id: $0.0, label: $0.1) }
        }
    }
}
