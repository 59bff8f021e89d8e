import ClientPassCore
import Foundation

/// An audit entry about an employee's account, said to that employee in plain words:
/// "A POP3 login from 198.51.100.7 was refused: POP3 is turned off for your account."
struct ActivityDescription: Sendable, Equatable {
    /// The sentence.
    let text: String
    /// A refusal (shown marked), or anything else.
    let isRefusal: Bool

    /// `nil` for entries that mean nothing to the employee (a hash upgraded to new parameters).
    init?(_ event: AuditEvent, accountName: String) {
        let byWhom: String
        switch event.actor {
        case accountName: byWhom = "You"
        case Actor.system.description: byWhom = "clientpass"
        default: byWhom = "Your mail administrator"
        }
        let address = event.address ?? "an unknown address"
        let service = event.service?.displayName ?? "mail"
        switch event.action {
        case .loginDenied:
            let reason = event.reason.flatMap(DenialReason.init(rawValue:)).map { Self.plainWords(for: $0, service: service) } ?? "the password was not accepted"
            text = "\(Self.article(service)) \(service) login from \(address) was refused: \(reason)."
            isRefusal = true
        case .loginFromNewAddress:
            text = "A mail client logged in over \(service) from \(address) for the first time (\(Self.credential(in: event.detail)))."
            isRefusal = false
        case .signedIn:
            text = event.detail.hasPrefix("confirmed")
                ? "You confirmed your mailbox password on this page from \(address)."
                : "You signed in to this page from \(address)."
            isRefusal = false
        case .signInFailed:
            text = event.reason == DenialReason.throttled.rawValue
                ? "A sign-in to this page from \(address) was refused after too many failed attempts."
                : event.reason == DenialReason.accountDisabled.rawValue
                    ? "A sign-in to this page from \(address) was refused: your account is disabled."
                    : "A sign-in to this page from \(address) failed: wrong mailbox password."
            isRefusal = true
        case .appPasswordCreated:
            text = "\(byWhom) created \(Self.removingVerb("created", from: event.detail))."
            isRefusal = false
        case .appPasswordRevoked:
            text = "\(byWhom) revoked \(Self.removingVerb("revoked", from: event.detail))."
            isRefusal = false
        case .appPasswordRelabeled:
            text = "\(byWhom) renamed \(event.detail.replacingOccurrences(of: " renamed from ", with: " from "))."
            isRefusal = false
        case .servicesChanged:
            text = "\(byWhom) changed your services: \(event.detail.replacingOccurrences(of: "services: ", with: ""))."
            isRefusal = false
        case .accountStatusChanged:
            text = "\(byWhom): \(event.detail == "account enabled" ? "your account was enabled" : "your account was disabled")."
            isRefusal = false
        case .mailboxPasswordChanged:
            text = "\(byWhom): your mailbox password was changed."
            isRefusal = false
        case .accountAdded:
            text = "Your account was created."
            isRefusal = false
        case .credentialRehashed:
            return nil
        default:
            text = "\(byWhom): \(event.detail.capitalizingFirstLetter)."
            isRefusal = false
        }
    }

    /// Why a login was refused, for the account's owner.
    static func plainWords(for reason: DenialReason, service: String) -> String {
        switch reason {
        case .unknownAccount: "there is no such account"
        case .accountDisabled: "your account is disabled"
        case .throttled: "too many failed attempts from that address, so it has to wait"
        case .serviceDisabled: "\(service) is turned off for your account"
        case .thirdPartyBlocked: "mail clients are blocked outside the secure networks, and that address is outside them"
        case .securePasswordRequired: "your mailbox password does not work in mail clients; use an app password"
        case .credentialScope: "the app password used is limited to other protocols or networks"
        case .credentialExpired: "the app password used has expired"
        case .badCredential: "wrong password"
        }
    }

    /// `app password 3 "Phone" created (protocols imap)` → `app password 3 "Phone" (protocols imap)`:
    /// the verb after the quoted label goes (the label itself may hold any words).
    private static func removingVerb(_ verb: String, from detail: String) -> String {
        guard let range = detail.range(of: "\" \(verb)", options: .backwards) else { return detail }
        return detail.replacingCharacters(in: range, with: "\"")
    }

    /// "An IMAP login", "A POP3 login", "An SMTP login".
    private static func article(_ service: String) -> String {
        service == "POP3" ? "A" : "An"
    }

    /// The credential named at the start of a new-address entry ("app password 2 "Phone"", "the
    /// mailbox password").
    private static func credential(in detail: String) -> String {
        guard let range = detail.range(of: " used over ") else { return detail }
        return String(detail[..<range.lowerBound])
    }
}
