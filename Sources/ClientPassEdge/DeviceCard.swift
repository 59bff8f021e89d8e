import ClientPassCore
import Foundation

/// The sheet the help desk hands with a printer's or scanner's password (`admin password issue
/// … --card text|html`, and the page's device passwords): the servers the password may use, the
/// user name, the password, its limits, and whom to ask.
public struct DeviceCard: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case text, html
    }

    public let account: Account
    public let generated: GeneratedAppPassword
    public let servers: [MailService: MailServer]
    /// `help_desk` in the configuration file, or $CLIENTPASS_HELP_DESK.
    public let helpDesk: String?

    public init(account: Account, generated: GeneratedAppPassword, servers: [MailService: MailServer], helpDesk: String?) {
        self.account = account
        self.generated = generated
        self.servers = servers
        self.helpDesk = helpDesk
    }

    /// Label and value pairs, in the card's order; the values are not escaped.
    public var rows: [(String, String)] {
        let password = generated.appPassword
        var rows: [(String, String)] = [("Device", password.label), ("Account", account.name)]
        // Only servers the password can log in to: its protocols among the account's.
        for (service, server) in MailServer.shown(for: account, limits: password.limits, among: servers) {
            rows.append(("\(service.displayName) server", "\(server.host), port \(server.port), \(server.security.displayName)"))
        }
        rows.append(("User name", account.name))
        rows.append(("Password", generated.displayPassword))
        var limits: [String] = []
        if !password.limits.protocols.isEmpty { limits.append(password.limits.protocols.sorted().map(\.displayName).joined(separator: ", ") + " only") }
        if !password.limits.networks.isEmpty { limits.append("from " + password.limits.networks.map(\.description).joined(separator: ", ") + " only") }
        if let expiry = password.limits.expiresAt { limits.append("until " + HumanTime.localDate(expiry)) }
        rows.append(("Works", limits.isEmpty ? "for every protocol, from anywhere the policy allows, without end" : limits.joined(separator: "; ")))
        rows.append(("Questions", helpDesk ?? "your mail administrator"))
        return rows
    }

    public var text: String {
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Untrusted.escaped($0.1) }
        return (["Mail settings for a device", ""] + lines + ["", "Keep this sheet with the device; the password is not shown again."])
            .joined(separator: "\n") + "\n"
    }

    public var html: String {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let body = rows.map { "<tr><th>\(escaped($0.0))</th><td>\(escaped(Untrusted.escaped($0.1)))</td></tr>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Mail settings for \(escaped(generated.appPassword.label))</title>
            <style>body{font:14pt sans-serif;margin:2cm}th{text-align:left;padding-right:1em;vertical-align:top}td{font-family:monospace}</style>
            </head><body>
            <h1>Mail settings for a device</h1>
            <table>
            \(body)
            </table>
            <p>Keep this sheet with the device; the password is not shown again.</p>
            </body></html>

            """
    }

    /// The environment variable that names whom to ask (before `help_desk` in the file).
    public static let helpDeskVariable = "CLIENTPASS_HELP_DESK"

    /// `help_desk` in the configuration file, or $CLIENTPASS_HELP_DESK.
    public static func configuredHelpDesk() -> String? {
        if let value = ProcessInfo.processInfo.environment[helpDeskVariable], !value.isEmpty { return value }
        guard let file = ConfigFile.loadImplicit(), file.problems.isEmpty else { return nil }
        return file.config.helpDesk
    }
}
