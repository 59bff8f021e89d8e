import ClientPassCore
import Foundation

/// What each page shows, as the values its template reads.
extension SelfServiceController {
    /// What a new app password's form sent, to show again when it is refused.
    struct TypedPassword {
        var label = ""
        var protocols: Set<Service> = []
        var networks = ""
        var expires = ""

        init() {}

        init(form: FormData) {
            label = form["label"] ?? ""
            protocols = Set(Service.allCases.filter { form.isChecked($0.rawValue) })
            networks = form["networks"] ?? ""
            expires = form["expires"] ?? ""
        }
    }

    /// The values every signed-in page has: the account, the CSRF token, which section is
    /// current, and a notice or an error.
    func chrome(_ current: SignedIn, section: String, error: String? = nil) -> [String: Any] {
        var values: [String: Any] = ["signedIn": true, "accountName": current.account.name, "csrf": current.session.csrfToken,
                                     "onPasswords": section == "passwords", "onAccess": section == "access", "onActivity": section == "activity"]
        if let notice = sessions.takeNotice(id: current.id) { values["notice"] = notice }
        if let error { values["error"] = error }
        return values
    }

    /// The rename and revoke pages: one app password's number and label.
    func values(_ current: SignedIn, about password: AppPassword, typedLabel: String = "", error: String? = nil) -> [String: Any] {
        var values = chrome(current, section: "passwords", error: error)
        values["id"] = password.id
        values["label"] = password.label
        values["typedLabel"] = typedLabel
        return values
    }

    func passwordsValues(_ current: SignedIn, error: String? = nil, typed: TypedPassword = TypedPassword()) throws -> [String: Any] {
        let now = engine.currentDate
        let passwords = try manager.appPasswords(of: current.account)
        let maximum = try manager.maximumAppPasswords()
        var values = chrome(current, section: "passwords", error: error)
        values["passwords"] = passwords.map { password -> [String: Any] in
            let lastUsed = password.lastUsedAt.map { at in
                [Self.when(at, now: now), password.lastUsedAddress.map { "from \($0)" }, password.lastUsedProtocol.map { "over \($0.displayName)" }]
                    .compactMap { $0 }.joined(separator: " ")
            } ?? "Never"
            let expires = password.limits.expiresAt.map { at in at <= now ? "Expired \(Self.when(at, now: now))" : Self.when(at, now: now) } ?? "Never"
            var item: [String: Any] = ["id": password.id, "label": password.label, "created": Self.when(password.createdAt, now: now),
                                       "lastUsed": lastUsed, "expires": expires,
                                       "protocols": password.limits.protocols.isEmpty ? "All your services"
                                           : Service.allCases.filter(password.limits.protocols.contains).map(\.displayName).joined(separator: ", ")]
            if !password.limits.networks.isEmpty { item["networks"] = password.limits.networks.map(\.description).joined(separator: ", ") }
            return item
        }
        values["hasPasswords"] = !passwords.isEmpty
        values["atLimit"] = passwords.count >= maximum
        values["maximum"] = maximum
        values["typedLabel"] = typed.label
        values["typedNetworks"] = typed.networks
        values["serviceChoices"] = Service.allCases.map { ["name": $0.rawValue, "displayName": $0.displayName, "checked": typed.protocols.contains($0)] }
        values["expiryChoices"] = Self.expiryChoices.map { ["value": $0.value, "text": $0.text, "selected": $0.value == typed.expires] }
        values["needsPassword"] = needsPassword(current.session)
        values["reauthMinutes"] = Int(configuration.reauthenticationAfter / 60)
        return values
    }

    func accessValues(_ current: SignedIn, summary: AccessSummary) -> [String: Any] {
        var values = chrome(current, section: "access")
        let account = summary.account
        let address = current.visit.address
        values["services"] = Service.allCases.map { ["name": $0.displayName, "state": account.services[$0] ? "on" : "off"] }
        values["networks"] = summary.secureNetworks.map { network -> [String: Any] in
            network.note.isEmpty ? ["network": network.network.description] : ["network": network.network.description, "note": network.note]
        }
        values["hasNetworks"] = !summary.secureNetworks.isEmpty
        switch summary.thirdPartyClients {
        case .allowed: values["clients"] = "Allowed from any network."
        case .blocked:
            values["clients"] = summary.secureNetworks.isEmpty
                ? "Blocked everywhere: no secure networks are set, so mail clients cannot log in."
                : "Blocked, except from the secure networks below."
        }
        if summary.isException {
            values["securePassword"] = "No: your account is an exception and keeps using its mailbox password in mail clients."
        } else if summary.isSecurePasswordRequired {
            values["securePassword"] = "Yes: mail clients need an app password; your mailbox password does not work in them."
        } else {
            values["securePassword"] = "No: mail clients may use your mailbox password or an app password."
        }
        let here = Self.here(address: address, summary: summary)
        values["here"] = here.text
        values["hereClass"] = here.allowed ? "allowed" : "blocked"
        return values
    }

    /// Whether a mail client could connect from the address the page sees, in words: the
    /// policy's own rules, asked for each protocol.
    static func here(address: IPAddress, summary: AccessSummary) -> (text: String, allowed: Bool) {
        let connection = summary.connection(from: address)
        let address = connection.address
        if !connection.open.isEmpty {
            guard summary.thirdPartyClients == .blocked, let network = connection.secureNetwork else {
                return ("You are on \(address): mail clients may connect from here, as from any network.", true)
            }
            let note = network.note.isEmpty ? "" : " (\(network.note))"
            return ("You are on \(address): inside the secure network \(network.network)\(note), so mail clients may connect from here.", true)
        }
        let reasons = Set(connection.refusals.values)
        if reasons == [.serviceDisabled] {
            return ("You are on \(address), but IMAP, POP3 and SMTP are all turned off for your account: mail clients cannot connect from anywhere.", false)
        }
        if reasons.contains(.accountDisabled) {
            return ("You are on \(address), but your account is disabled: mail clients cannot connect from anywhere.", false)
        }
        return ("You are on \(address): outside the secure networks, so mail clients are blocked here.", false)
    }

    /// "2026-11-29 09:15 (2 hours ago)", or just the date when further away than a month.
    static func when(_ date: Date, now: Date) -> String {
        let relative = HumanTime.relative(date, now: now)
        let local = HumanTime.localDate(date)
        return relative == local ? local : "\(local) (\(relative))"
    }

    /// How a mail client's settings name each protocol's server.
    static func serverRole(_ service: Service) -> String {
        switch service {
        case .imap: "IMAP (incoming)"
        case .pop3: "POP3 (incoming)"
        case .smtp: "SMTP (outgoing)"
        }
    }
}
