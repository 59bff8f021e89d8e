import ClientPassCore
import ClientPassEdge
import Foundation
import HTTPTypes
import Hummingbird

/// The app passwords page (`/`) and its forms: create, rename, revoke, revoke all.
extension SelfServiceController {
    /// What a new app password's form sent, to show again when it is refused.
    struct TypedPassword {
        var label = ""
        var protocols: Set<MailService> = []
        var networks = ""
        var expires = ""

        init() {}

        init(form: FormData) {
            label = form["label"] ?? ""
            protocols = Set(MailService.allCases.filter { form.isChecked($0.rawValue) })
            networks = form["networks"] ?? ""
            expires = form["expires"] ?? ""
        }

        /// The label and limits the form asks for.
        /// - Throws: ``InputError`` in words for the page.
        func parsed(now: Date) throws -> (label: Label, limits: CredentialLimits) {
            let label = try Label(validating: self.label)
            let networks = self.networks.trimmingCharacters(in: .whitespaces)
            guard SelfServiceController.expiryChoices.contains(where: { $0.value == expires }) else {
                throw InputError("choose when the password expires from the list")
            }
            let limits = CredentialLimits(
                protocols: protocols, networks: networks.isEmpty ? [] : try IPNetwork.parseList(networks),
                expiresAt: expires.isEmpty ? nil : try Expiry.parse(expires, now: now))
            return (label, limits)
        }
    }

    func passwordsPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            html(renderer.render("passwords", try passwordsValues(current)))
        }
    }

    func create(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let form = current.form!
            let typed = TypedPassword(form: form)
            func refuse(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
                html(renderer.render("passwords", try passwordsValues(current, error: message, typed: typed)), status: status)
            }
            let label: Label
            let limits: CredentialLimits
            do {
                (label, limits) = try typed.parsed(now: engine.currentDate)
            } catch let error as InputError {
                return try refuse(.badRequest, Self.sentence(error.description))
            }
            if let refusal = try await confirmRecentSignIn(current, form, toCreate: "an app password") {
                return try refuse(refusal.status, refusal.message)
            }
            let generated: GeneratedAppPassword
            do {
                generated = try manager.generateAppPassword(for: current.account, label: label, limits: limits, by: .account(current.account.name))
            } catch let error as CredentialError where error.kind == .limitReached {
                // The page's own words: the core's error names no command, and an employee runs none.
                let count = error.count ?? 0
                return try refuse(
                    .conflict,
                    "You already have \(count) app password\(count == 1 ? "" : "s"), the most allowed. Revoke one you no longer use, then create the new one.")
            }
            logger.info("self-service app password created", metadata: ["account": "\(current.account.name)", "id": "\(generated.appPassword.id)"])
            var values = chrome(current, section: "passwords")
            values["label"] = generated.appPassword.label
            values["password"] = generated.displayPassword
            // Only the servers this password can log in to: its own protocols, among those on for the account.
            let usable = current.account.usableServices(with: limits)
            let servers = MailServer.shown(for: current.account, limits: limits, among: configuration.mailServers).map { service, server -> [String: Any] in
                ["protocol": Self.serverRole(service), "host": server.host, "port": server.port, "security": server.security.displayName]
            }
            values["servers"] = servers
            values["hasServers"] = !servers.isEmpty
            // iPhone, iPad, Mac: a Mail profile with the password in it, behind a one-time link and its QR code.
            // A profile that cannot be made (no email address, no servers) is simply not offered;
            // one that cannot be signed is logged and not offered unsigned behind the
            // administrator's back; one the store cannot keep is logged and not offered, and the
            // page still shows the password it has just made.
            if let profile = try? AppleMailProfile(account: current.account.name, protocols: Set(usable), servers: configuration.mailServers),
                let data = signedProfile(profile, generated), let token = keptSetupLink(data, generated, current.account)
            {
                let link = configuration.publicURL(for: current.visit).appending("/setup/\(token)")
                values["setupLink"] = link
                values["setupQR"] = try QRCode.svg(link)
                values["setupMinutes"] = Int(ProfileLinks.lifetime / 60)
                values["profileSigner"] = configuration.profileSigner?.name ?? false
            }
            return html(renderer.render("created", values))
        }
    }

    /// The token of a new set-up link for `profile`; `nil` (and an error in the log) when the
    /// store cannot keep it.
    private func keptSetupLink(_ profile: Data, _ generated: GeneratedAppPassword, _ account: Account) -> String? {
        do {
            return try profileLinks.add(profile, for: generated.appPassword, of: account, at: engine.currentDate)
        } catch {
            logger.error("cannot keep the set-up link of a new app password; the page offers none", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The profile's file, signed when a signer is configured; `nil` (and an error in the log)
    /// when signing fails.
    private func signedProfile(_ profile: AppleMailProfile, _ generated: GeneratedAppPassword) -> Data? {
        do {
            return try profile.data(appPassword: generated.appPassword, secret: generated.secret, signedBy: configuration.profileSigner)
        } catch {
            logger.error("cannot make the Mail profile of a new app password; the page offers none", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func renamePage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let password = try appPassword(request, context, of: current)
            return html(renderer.render("rename", values(current, about: password, typedLabel: password.label)))
        }
    }

    func rename(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let password = try appPassword(request, context, of: current)
            let typedLabel = current.form!["label"] ?? ""
            do {
                let renamed = try manager.relabelAppPassword(
                    password.id, of: current.account, to: try Label(validating: typedLabel),
                    by: .account(current.account.name))
                try sessions.update(id: current.id) { $0.notice = "Renamed “\(password.label)” to “\(renamed.label)”." }
                return redirect(to: "/")
            } catch let error as InputError {
                return html(
                    renderer.render("rename", values(current, about: password, typedLabel: typedLabel, error: Self.sentence(error.description))),
                    status: .badRequest)
            }
        }
    }

    func revokePage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let password = try appPassword(request, context, of: current)
            return html(renderer.render("revoke", values(current, about: password)))
        }
    }

    func revoke(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let password = try appPassword(request, context, of: current)
            let (revoked, consequences) = try manager.revokeAppPassword(password.id, of: current.account, by: .account(current.account.name))
            await endMailSessions(consequences)
            try sessions.update(id: current.id) { $0.notice = "Revoked “\(revoked.label)”. It no longer works anywhere." }
            return redirect(to: "/")
        }
    }

    func revokeAllPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let count = try manager.appPasswords(of: current.account).count
            guard count > 0 else {
                try sessions.update(id: current.id) { $0.notice = "You have no app passwords to revoke." }
                return redirect(to: "/")
            }
            var values = chrome(current, section: "passwords")
            values["count"] = count
            return html(renderer.render("revoke-all", values))
        }
    }

    func revokeAll(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context, form: true) { current in
            let (revoked, consequences) = try manager.revokeAllAppPasswords(of: current.account, by: .account(current.account.name))
            await endMailSessions(consequences)
            try sessions.update(id: current.id) {
                $0.notice =
                    revoked.isEmpty
                    ? "You had no app passwords to revoke."
                    : "Revoked all \(revoked.count) app password\(revoked.count == 1 ? "" : "s"). None of them works anywhere now."
            }
            return redirect(to: "/")
        }
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
            let lastUsed =
                password.lastUsedAt.map { at in
                    [Self.when(at, now: now), password.lastUsedAddress.map { "from \($0)" }, password.lastUsedProtocol.map { "over \($0.displayName)" }]
                        .compactMap { $0 }.joined(separator: " ")
                } ?? "Never"
            let expires = password.limits.expiresAt.map { at in at <= now ? "Expired \(Self.when(at, now: now))" : Self.when(at, now: now) } ?? "Never"
            var item: [String: Any] = [
                "id": password.id, "label": password.label, "created": Self.when(password.createdAt, now: now),
                "lastUsed": lastUsed, "expires": expires,
                "protocols": password.limits.protocols.isEmpty
                    ? "All your services"
                    : MailService.allCases.filter(password.limits.protocols.contains).map(\.displayName).joined(separator: ", "),
            ]
            if !password.limits.networks.isEmpty { item["networks"] = password.limits.networks.map(\.description).joined(separator: ", ") }
            return item
        }
        values["hasPasswords"] = !passwords.isEmpty
        values["atLimit"] = passwords.count >= maximum
        values["maximum"] = maximum
        addNewPasswordForm(typed, of: current, to: &values)
        return values
    }

    /// The fields of a form that makes a password (here and on the help desk's page): what was
    /// typed, the protocol and expiry choices, and whether the mailbox password is asked again.
    func addNewPasswordForm(_ typed: TypedPassword, of current: SignedIn, to values: inout [String: Any]) {
        values["typedLabel"] = typed.label
        values["typedNetworks"] = typed.networks
        values["serviceChoices"] = MailService.allCases.map { ["name": $0.rawValue, "displayName": $0.displayName, "checked": typed.protocols.contains($0)] }
        values["expiryChoices"] = Self.expiryChoices.map { ["value": $0.value, "text": $0.text, "selected": $0.value == typed.expires] }
        values["needsPassword"] = needsPassword(current.session)
        values["reauthMinutes"] = Int(configuration.reauthenticationAfter / 60)
    }

    /// How a mail client's settings name each protocol's server.
    static func serverRole(_ service: MailService) -> String {
        switch service {
        case .imap: "IMAP (incoming)"
        case .pop3: "POP3 (incoming)"
        case .smtp: "SMTP (outgoing)"
        }
    }
}

extension SelfServiceController {
    /// `GET /setup/{token}`: a new app password's Mail profile, once, within 10 minutes, while
    /// the password exists; 410 with a plain explanation otherwise. No sign-in: the phone that
    /// scans the QR code has none, and the token is the only key.
    func setupProfile(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let gone = Response(
            status: .gone, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string: """
                        This set-up link no longer works: it works once, for 10 minutes, and only while its app password exists.
                        Create a new app password on the self-service page to get a new link.

                        """)))
        guard let link = try profileLinks.take(token, at: engine.currentDate),
            let account = try manager.currentAccount(named: link.account), account.id == link.accountID,
            account.status == .active,
            try manager.appPasswords(of: account).contains(where: { $0.id == link.appPasswordID && $0.createdAt == link.appPasswordCreatedAt })
        else { return gone }
        logger.info("set-up link used: Mail profile sent", metadata: ["account": "\(link.account)", "id": "\(link.appPasswordID)"])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/x-apple-aspen-config", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"mail.mobileconfig\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: link.profile)))
    }
}
