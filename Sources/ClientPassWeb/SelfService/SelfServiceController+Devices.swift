import ClientPassCore
import ClientPassEdge
import Foundation
import HTTPTypes
import Hummingbird

/// The help desk's page (`/devices`): a password for a printer's or scanner's account, and the
/// device card to print and keep with the device — what `admin password issue … --card html`
/// does, for members of the help desk (`admin account set NAME --help-desk`) signed in with
/// their own mailbox password.
///
/// Everyone else gets 403 and the page is not in their navigation. Membership is checked again
/// in the transaction that writes the password, so taking someone out of the help desk stops a
/// form they still have open.
extension SelfServiceController {
    /// What the device form sent: the account, and the password's label and limits.
    struct TypedDevice {
        var account = ""
        var password = TypedPassword()

        /// A new form: SMTP only, what a printer or scanner needs.
        static var fresh: TypedDevice {
            var typed = TypedDevice()
            typed.password.protocols = [.smtp]
            return typed
        }

        init() {}

        init(form: FormData) {
            account = (form["account"] ?? "").trimmingCharacters(in: .whitespaces)
            password = TypedPassword(form: form)
        }
    }

    func devicesPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            try requireHelpDesk(current)
            return html(renderer.render("devices", devicesValues(current, typed: .fresh)))
        }
    }

    func issueDevicePassword(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            try requireHelpDesk(current)
            let form = current.form!
            let typed = TypedDevice(form: form)
            func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
                html(renderer.render("devices", devicesValues(current, error: message, typed: typed)), status: status)
            }
            let label: Label
            let limits: CredentialLimits
            let account: Account
            do {
                guard !typed.account.isEmpty else { return refuse(.badRequest, "Give the account the device logs in as.") }
                (label, limits) = try typed.password.parsed(now: engine.currentDate)
                account = try manager.account(named: typed.account)
            } catch let error as InputError {
                return refuse(.badRequest, Self.sentence(error.description))
            } catch let error as AccountError where error.kind == .unknownAccount {
                return refuse(.notFound, "There is no account “\(typed.account)”." + (error.suggestion.map { " Did you mean “\($0)”?" } ?? ""))
            }
            if let refusal = try await confirmRecentSignIn(current, form, toCreate: "a device password") {
                return refuse(refusal.status, refusal.message)
            }
            let generated: GeneratedAppPassword
            do {
                generated = try manager.issueDevicePassword(for: account, label: label, limits: limits, byHelpDeskMember: current.account)
            } catch let error as CredentialError where error.kind == .limitReached {
                let count = error.count ?? 0
                return refuse(
                    .conflict,
                    "\(account.name) already has \(count) app passwords, the most allowed. Ask the account's owner or an administrator to revoke one first.")
            } catch let error as CredentialError where error.kind == .notHelpDesk {
                throw Self.notHelpDesk
            }
            logger.info(
                "device password issued by the help desk",
                metadata: ["member": "\(current.account.name)", "account": "\(account.name)", "id": "\(generated.appPassword.id)"])
            let card = DeviceCard(account: account, generated: generated, servers: configuration.mailServers, helpDesk: configuration.helpDesk)
            var values = chrome(current, section: "devices")
            values["label"] = generated.appPassword.label
            values["account"] = account.name
            values["rows"] = card.rows.map { ["name": $0.0, "value": Untrusted.escaped($0.1), "isPassword": $0.0 == "Password"] }
            if account.status != .active {
                values["warning"] = "\(account.name) is disabled: the password works only once an administrator enables the account."
            }
            return html(renderer.render("device-card", values))
        }
    }

    static var notHelpDesk: PageError {
        PageError(
            .forbidden, "For the help desk only",
            "Issuing passwords for devices is for members of the help desk. Ask your mail administrator if you need it.",
            link: ("/", "Back to your app passwords"))
    }

    /// - Throws: ``PageError`` (403) unless the signed-in account is a member of the help desk.
    func requireHelpDesk(_ current: SignedIn) throws {
        guard current.account.isHelpDesk else { throw Self.notHelpDesk }
    }

    func devicesValues(_ current: SignedIn, error: String? = nil, typed: TypedDevice) -> [String: Any] {
        var values = chrome(current, section: "devices", error: error)
        values["typedAccount"] = typed.account
        addNewPasswordForm(typed.password, of: current, to: &values)
        return values
    }
}
