import ClientPassCore
import Foundation

/// The audit trail in the administrator's words: `admin audit`'s DETAIL column and the
/// `detail` of `--json` — the command line's one table over ``AuditEvent/Kind``.
enum AuditText {
    static func detail(_ event: AuditEvent) -> String {
        // An entry from before entries were typed, whose sentence could not be read into
        // fields, is shown as it was written.
        if let note = event.note, event.kind != .loginDenied { return note }
        let address = event.address ?? "an unknown address"
        let service = event.service?.displayName ?? "mail"
        switch event.kind {
        case .storeInitialized:
            return "store created at \(path(event.subject))" + (event.new?["group"]?.text.map { " for group \($0)" } ?? "")
        case .storeBackedUp:
            return "backup written to \(path(event.subject)): \(inventory(event.new))"
        case .storeRestored:
            return "store restored from \(path(event.subject)): \(inventory(event.new)) (it held \(inventory(event.old)))"
        case .departmentAdded, .departmentRemoved:
            let name = if case .department(let name)? = event.subject { name } else { "" }
            return "department \(Quoted(name)) \(event.kind == .departmentAdded ? "added" : "removed")"
                + (event.context == .import ? " (import)" : event.context == .directory ? " (directory sync)" : "")
        case .accountAdded:
            let imported =
                event.context == .import
                ? " (imported, mailbox password hash \(event.new?["mailbox_password_scheme"]?.text.map { "{\(Untrusted.escaped($0))}" } ?? "of another scheme"))"
                : event.context == .directory ? " (directory sync)" : ""
            if case .department(let name)? = event.subject { return "account added in department \(Quoted(name))" + imported }
            return "account added" + imported
        case .accountRemoved:
            let count = event.old?["app_passwords"]?.number ?? 0
            return "account removed with its \(count) app password\(count == 1 ? "" : "s")"
        case .servicesChanged:
            let now = (event.new?.list ?? []).compactMap { MailService(rawValue: $0)?.displayName }
            return "services: \(turned(event)) (on now: \(now.isEmpty ? "none" : now.joined(separator: ", ")))"
        case .accountStatusChanged:
            let why = event.context == .directory ? " by the directory sync" + (event.note.map { " (\(Untrusted.escaped($0)))" } ?? "") : ""
            return (event.new?.text == Account.Status.active.rawValue ? "account enabled" : "account disabled") + why
        case .accountDepartmentChanged:
            return "department: \(event.old?.text.map { Quoted($0).description } ?? "none") → \(event.new?.text.map { Quoted($0).description } ?? "none")"
        case .accountHelpDeskChanged:
            return event.new?.text == "member" ? "made a member of the help desk" : "taken out of the help desk"
        case .mailboxPasswordChanged:
            if event.context == .directory { return "mailbox password now checked by the directory (directory sync)" }
            return "mailbox password set" + (event.context == .reset ? " (reset)" : "")
        case .appPasswordCreated:
            return "\(credential(event.subject)) created" + limits(event.new)
                + (event.context == .helpDesk ? " (a device password from the help desk's page)" : "")
        case .appPasswordRelabeled:
            let id = if case .appPassword(let id, _)? = event.subject { id } else { 0 }
            return "app password \(id) renamed from \(Quoted(event.old?.text ?? "")) to \(Quoted(event.new?.text ?? ""))"
        case .appPasswordRevoked:
            let why =
                switch event.context {
                case .reset?: " (reset)"
                case .revokeAll?: " (all revoked)"
                default: ""
                }
            return "\(credential(event.subject)) revoked\(why)"
        case .policyChanged:
            return policyChange(event)
        case .loginDenied:
            return "\(service) login from \(address)\(checked(event)) denied: \(event.note ?? event.reason?.plainWords(service: event.service) ?? "refused")"
        case .loginFromNewAddress:
            return "\(credential(event.subject)) used over \(service) from \(address) for the first time\(checked(event))"
        case .credentialRehashed:
            return "\(credential(event.subject)) rehashed with the configured Argon2id parameters"
        case .signedIn:
            switch event.context {
            case .confirmation?: return "confirmed the mailbox password on the self-service page from \(address)"
            case .commandLine?: return "signed in to self-service on the command line"
            case .api?: return "signed in to the self-service API from \(address)"
            default: return "signed in to the self-service page from \(address)"
            }
        case .signInFailed:
            let attempt =
                switch event.context {
                case .commandLine?: "self-service sign-in on the command line"
                case .api?: "self-service API sign-in from \(address)"
                default: "self-service sign-in from \(address)"
                }
            switch event.reason {
            case .throttled?: return "\(attempt) refused: too many failed attempts" + (event.context == .commandLine ? "" : " from this address")
            case .accountDisabled?: return "\(attempt) refused: the account is disabled"
            case .unknownAccount?: return "\(attempt) failed: no such account"
            default: return "\(attempt) failed: wrong mailbox password"
            }
        }
    }

    private static func policyChange(_ event: AuditEvent) -> String {
        switch event.subject {
        case .setting(.thirdPartyClients)?:
            return "third-party clients \(event.new?.text ?? "?")"
        case .setting(.throttling)?:
            let value = event.new
            func number(_ name: String) -> String { value?[name]?.number.map(String.init) ?? "?" }
            return
                "throttling: \(number("account_failures")) failures per account and address, \(number("address_failures")) per address, \(number("account_wide_failures")) per account from unknown addresses, in \(number("window_seconds")) s"
        case .setting(.hashing)?:
            func parameters(_ name: String) -> String {
                let part = event.new?[name]
                return "t=\(part?["iterations"]?.number.map(String.init) ?? "?"), \(part?["memory_kib"]?.number.map { String($0 / 1024) } ?? "?") MiB"
            }
            return "hashing: app passwords \(parameters("app_password")), mailbox passwords \(parameters("mailbox_password"))"
        case .setting(.enforcement)?:
            switch event.new?["mode"]?.text {
            case "all": return "secure-password enforcement on for all members"
            case "selected":
                let names = (event.new?["departments"]?.list ?? []).map { "department \($0)" } + (event.new?["accounts"]?.list ?? [])
                return "secure-password enforcement on for " + (names.isEmpty ? "no one" : names.joined(separator: ", "))
            default: return "secure-password enforcement off"
            }
        case .setting(.directory)?:
            guard let value = event.new else { return "directory mode off" }
            return
                "directory mode on: \(value["url"]?.text.map { Untrusted.escaped($0) } ?? "?"), users under \(value["base_dn"]?.text.map { Untrusted.escaped($0) } ?? "?")"
        case .setting(.exception)?:
            guard let note = event.new?.text else { return "no longer an exception to secure-password enforcement" }
            return "made an exception to secure-password enforcement (keeps its mailbox password)" + (note.isEmpty ? "" : ": \(note)")
        case .secureNetwork(let network)?:
            guard let note = event.new?.text else { return "secure network \(network) removed" }
            return "secure network \(network) added" + (note.isEmpty ? "" : " (\(note))")
        case .firstPartyHost(let network)?:
            guard let note = event.new?.text else { return "first-party host \(network) removed" }
            return "first-party host \(network) added" + (note.isEmpty ? "" : " (\(note))")
        default:
            return "policy changed"
        }
    }

    /// " (clientpass check)" for a login the help desk decided with `clientpass check`.
    private static func checked(_ event: AuditEvent) -> String {
        event.context == .check ? " (clientpass check)" : ""
    }

    /// `app password 3 "Phone"`, `mailbox password`.
    private static func credential(_ subject: AuditEvent.Subject?) -> String {
        switch subject {
        case .appPassword(let id, let label)?: "app password \(id) \(Quoted(label))"
        case .mailboxPassword?: "mailbox password"
        default: "a credential"
        }
    }

    private static func path(_ subject: AuditEvent.Subject?) -> String {
        if case .store(let path)? = subject { return path }
        return "?"
    }

    /// "3 accounts, 5 app passwords".
    private static func inventory(_ value: AuditEvent.Value?) -> String {
        "\(value?["accounts"]?.number ?? 0) accounts, \(value?["app_passwords"]?.number ?? 0) app passwords"
    }

    /// " (protocols imap,smtp; networks 10.0.3.0/24; expires 2026-12-01T00:00:00Z)", or nothing.
    private static func limits(_ value: AuditEvent.Value?) -> String {
        var parts: [String] = []
        if let protocols = value?["protocols"]?.list { parts.append("protocols " + protocols.joined(separator: ",")) }
        if let networks = value?["networks"]?.list { parts.append("networks " + networks.joined(separator: ",")) }
        if let expiry = value?["expires_at"]?.text { parts.append("expires " + expiry) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
    }

    /// "POP3 off", "IMAP on, SMTP off": what changed.
    private static func turned(_ event: AuditEvent) -> String {
        let changes = event.servicesTurned.map { "\($0.service.displayName) \($0.on ? "on" : "off")" }
        return changes.isEmpty ? "no change" : changes.joined(separator: ", ")
    }
}

/// One entry in `admin audit --json`: the typed fields, and `detail` in the words of the table.
struct AuditEventJSON: Encodable {
    let event: AuditEvent

    enum CodingKeys: String, CodingKey {
        case id, at, actor, actorKind = "actor_kind", actorName = "actor_name", account, action, subject, reason, address, service
        case old, new, context, note, detail
    }

    enum SubjectKeys: String, CodingKey { case kind, id, label, name }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.id, forKey: .id)
        try container.encode(event.at, forKey: .at)
        // Attacker-chosen text may be in any entry: escaped like every other sink.
        try container.encode(Untrusted.escaped(event.actor.description, limit: 512), forKey: .actor)
        let (kind, name): (String, String?) =
            switch event.actor {
            case .account(let name): ("account", name)
            case .admin(let user): ("admin", user)
            case .system: ("system", nil)
            }
        try container.encode(kind, forKey: .actorKind)
        try container.encode(name.map { Untrusted.escaped($0, limit: 512) }, forKey: .actorName)
        try container.encode(event.account.map { Untrusted.escaped($0, limit: 512) }, forKey: .account)
        try container.encode(event.kind.rawValue, forKey: .action)
        if let subject = event.subject {
            var nested = container.nestedContainer(keyedBy: SubjectKeys.self, forKey: .subject)
            switch subject {
            case .appPassword(let id, let label):
                try nested.encode("app_password", forKey: .kind)
                try nested.encode(id, forKey: .id)
                try nested.encode(Untrusted.escaped(label), forKey: .label)
            case .mailboxPassword:
                try nested.encode("mailbox_password", forKey: .kind)
            case .department(let name):
                try nested.encode("department", forKey: .kind)
                try nested.encode(Untrusted.escaped(name), forKey: .name)
            case .secureNetwork(let network):
                try nested.encode("secure_network", forKey: .kind)
                try nested.encode(network, forKey: .name)
            case .firstPartyHost(let network):
                try nested.encode("first_party_host", forKey: .kind)
                try nested.encode(network, forKey: .name)
            case .setting(let setting):
                try nested.encode("setting", forKey: .kind)
                try nested.encode(setting.rawValue, forKey: .name)
            case .store(let path):
                try nested.encode("store", forKey: .kind)
                try nested.encode(Untrusted.escaped(path, limit: 4096), forKey: .name)
            }
        } else {
            try container.encodeNil(forKey: .subject)
        }
        try container.encode(event.reason?.rawValue, forKey: .reason)
        try container.encode(event.address, forKey: .address)
        try container.encode(event.service?.rawValue, forKey: .service)
        try container.encode(event.old.map(JSONValue.init), forKey: .old)
        try container.encode(event.new.map(JSONValue.init), forKey: .new)
        try container.encode(event.context?.rawValue, forKey: .context)
        try container.encode(event.note.map { Untrusted.escaped($0, limit: 4096) }, forKey: .note)
        try container.encode(Untrusted.escaped(AuditText.detail(event), limit: 4096), forKey: .detail)
    }

    /// A change's value as plain JSON: a string, a number, an array, an object.
    struct JSONValue: Encodable {
        let value: AuditEvent.Value
        init(_ value: AuditEvent.Value) { self.value = value }

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            switch value {
            case .text(let text):
                var container = encoder.singleValueContainer()
                try container.encode(Untrusted.escaped(text))
            case .number(let number):
                var container = encoder.singleValueContainer()
                try container.encode(number)
            case .list(let list):
                var container = encoder.singleValueContainer()
                try container.encode(list.map { Untrusted.escaped($0) })
            case .fields(let fields):
                var container = encoder.container(keyedBy: Key.self)
                for field in fields { try container.encode(JSONValue(field.value), forKey: Key(stringValue: field.name)) }
            }
        }
    }
}
