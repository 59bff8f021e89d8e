import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird

/// "Your access" (`/access`): what the policy's rules let this account's mail clients do.
extension SelfServiceController {

    func accessPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            html(renderer.render("access", accessValues(current, summary: try manager.access(for: current.account))))
        }
    }

    func accessValues(_ current: SignedIn, summary: AccessSummary) -> [String: Any] {
        var values = chrome(current, section: "access")
        let account = summary.account
        let address = current.visit.address
        values["services"] = MailService.allCases.map { ["name": $0.displayName, "state": account.services[$0] ? "on" : "off"] }
        values["networks"] = summary.secureNetworks.map { network -> [String: Any] in
            network.note.isEmpty ? ["network": network.network.description] : ["network": network.network.description, "note": network.note]
        }
        values["hasNetworks"] = !summary.secureNetworks.isEmpty
        switch summary.thirdPartyClients {
        case .allowed: values["clients"] = "Allowed from any network."
        case .blocked:
            values["clients"] =
                summary.secureNetworks.isEmpty
                ? "Blocked everywhere: no secure networks are set, so mail clients cannot log in."
                : "Blocked, except from the secure networks below."
        }
        if summary.isException {
            values["securePassword"] = configuration.passwordTerm.apply(
                "No: your account is an exception and keeps using its mailbox password in mail clients.")
        } else if summary.isSecurePasswordRequired {
            values["securePassword"] = configuration.passwordTerm.apply("Yes: mail clients need an app password; your mailbox password does not work in them.")
        } else {
            values["securePassword"] = configuration.passwordTerm.apply("No: mail clients may use your mailbox password or an app password.")
        }
        let names = summary.firstPartyHosts.map(\.note).filter { !$0.isEmpty }
        values["firstParty"] =
            summary.firstPartyHosts.isEmpty
            ? "None is set up here."
            : configuration.passwordTerm.apply("They always work with your mailbox password") + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))")
                + ", whatever the rules for mail clients; an app password does not work there."
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
}
