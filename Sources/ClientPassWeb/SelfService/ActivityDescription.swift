import ClientPassCore
import Foundation

/// An audit entry about an employee's account, said to that employee in plain words — the
/// page's one table over ``AuditEvent/Kind``:
/// "A POP3 login from 198.51.100.7 was refused: POP3 is turned off for the account."
struct ActivityDescription: Sendable, Equatable {
    /// The sentence.
    let text: String
    /// A refusal (shown marked), or anything else.
    let isRefusal: Bool

    /// The kinds that are never about one employee's account, or mean nothing to them (a hash
    /// upgraded to new parameters): the page does not show them.
    static let unshown: Set<AuditEvent.Kind> = [
        .storeInitialized, .storeBackedUp, .storeRestored, .departmentAdded,
        .departmentRemoved, .accountRemoved, .credentialRehashed,
    ]

    /// `nil` for entries the page does not show (``unshown``, and policy changes that name no account).
    /// - Parameter term: what employees call the password they sign in with; labels and
    ///   other typed text in the sentence are left as typed.
    init?(_ event: AuditEvent, accountName: String, term: PasswordTerm = .standard) {
        let byWhom: String
        switch event.actor {
        case .account(accountName): byWhom = "You"
        // Only the help desk acts on another account, on the page.
        case .account(let member): byWhom = "The help desk (\(member))"
        case .system: byWhom = "clientpass"
        default: byWhom = "Your mail administrator"
        }
        let address = event.address ?? "an unknown address"
        let service = event.service?.displayName ?? "mail"
        isRefusal = event.kind == .loginDenied || event.kind == .signInFailed
        if Self.unshown.contains(event.kind) { return nil }
        // An entry from before entries were typed, whose sentence could not be read into
        // fields: its sentence as written (a refused login's note is the help desk's, not this).
        if let note = event.note, event.kind != .loginDenied {
            text = "\(byWhom): \(note)."
            return
        }
        switch event.kind {
        case .loginDenied:
            let reason = term.apply(event.reason.map { $0.plainWords(service: event.service) } ?? "the password was not accepted")
            text =
                "\(service == "POP3" ? "A" : "An") \(service) login from \(address)\(event.context == .check ? ", tried by your mail administrator," : "") was refused: \(reason)."
        case .loginFromNewAddress:
            text =
                event.context == .check
                ? "Your mail administrator tried \(Self.credential(event.subject, term)) over \(service) as from \(address), and it worked."
                : "A mail client logged in over \(service) from \(address) for the first time (\(Self.credential(event.subject, term)))."
        case .signedIn:
            switch event.context {
            case .confirmation: text = term.apply("You confirmed your mailbox password on this page from \(address).")
            case .commandLine: text = "You signed in to self-service on the command line."
            case .api: text = "You signed in with the clientpass command line from \(address)."
            default: text = "You signed in to this page from \(address)."
            }
        case .signInFailed:
            let attempt =
                switch event.context {
                case .commandLine: "A sign-in on the command line"
                case .api: "A sign-in with the clientpass command line from \(address)"
                default: "A sign-in to this page from \(address)"
                }
            switch event.reason {
            case .throttled?: text = "\(attempt) was refused after too many failed attempts."
            case .accountDisabled?: text = "\(attempt) was refused: your account is disabled."
            default: text = term.apply("\(attempt) failed: wrong mailbox password.")
            }
        case .appPasswordCreated:
            text = "\(byWhom) created \(Self.credential(event.subject, term))\(Self.limits(event.new))."
        case .appPasswordRevoked:
            let why =
                switch event.context {
                case .reset?: " (a help-desk reset)"
                case .revokeAll?: " (all were revoked)"
                default: ""
                }
            text = "\(byWhom) revoked \(Self.credential(event.subject, term))\(why)."
        case .appPasswordRelabeled:
            let id = if case .appPassword(let id, _)? = event.subject { "app password \(id)" } else { "an app password" }
            text = "\(byWhom) renamed \(id) from \(Quoted(event.old?.text ?? "")) to \(Quoted(event.new?.text ?? ""))."
        case .servicesChanged:
            text = "\(byWhom) changed your services: \(Self.turned(event))."
        case .accountStatusChanged:
            text = "\(byWhom): your account was \(event.new?.text == "active" ? "enabled" : "disabled")."
        case .accountDepartmentChanged:
            text = "\(byWhom) moved your account " + (event.new?.text.map { "to department \(Quoted($0))." } ?? "out of its department.")
        case .accountHelpDeskChanged:
            text =
                event.new?.text == "member"
                ? "\(byWhom) made you a member of the help desk: you may issue device passwords for any account on this page."
                : "\(byWhom) took you out of the help desk."
        case .mailboxPasswordChanged:
            text = "\(byWhom): " + term.apply("your mailbox password was changed\(event.context == .reset ? " (a help-desk reset)" : "").")
        case .accountAdded:
            text = "Your account was created."
        case .policyChanged:
            guard event.account != nil, event.subject == .setting(.exception) else { return nil }
            text =
                event.new != nil
                ? "\(byWhom) made your account an exception: " + term.apply("your mailbox password keeps working in mail clients.")
                : "\(byWhom) ended your account's exception: mail clients may need an app password."
        case .storeInitialized, .storeBackedUp, .storeRestored, .departmentAdded, .departmentRemoved, .accountRemoved, .credentialRehashed:
            return nil
        }
    }

    /// `app password 3 "Phone"`, `your mailbox password`.
    private static func credential(_ subject: AuditEvent.Subject?, _ term: PasswordTerm) -> String {
        switch subject {
        case .appPassword(let id, let label)?: "app password \(id) \(Quoted(label))"
        case .mailboxPassword?: "your \(term)"
        default: "a credential"
        }
    }

    /// ` (IMAP only, from 10.0.3.0/24 only, until 2026-12-31 17:00)`, or nothing.
    private static func limits(_ value: AuditEvent.Value?) -> String {
        guard let value else { return "" }
        var parts: [String] = []
        if let protocols = value["protocols"]?.list {
            parts.append(protocols.compactMap { MailService(rawValue: $0)?.displayName }.joined(separator: ", ") + " only")
        }
        if let networks = value["networks"]?.list { parts.append("from \(networks.joined(separator: ", ")) only") }
        if let expiry = value["expires_at"]?.text.flatMap(RFC3339.date(from:)) { parts.append("until \(HumanTime.localDate(expiry))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    /// "POP3 off", "IMAP on, SMTP off": what changed.
    private static func turned(_ event: AuditEvent) -> String {
        let changes = event.servicesTurned.map { "\($0.service.displayName) \($0.on ? "on" : "off")" }
        return changes.isEmpty ? "no change" : changes.joined(separator: ", ")
    }
}
