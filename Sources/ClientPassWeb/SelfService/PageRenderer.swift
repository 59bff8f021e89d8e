import ClientPassCore
import Foundation
import Hummingbird
import Mustache

/// The self-service page's templates, style sheet and script, compiled into the binary.
/// Mustache escapes every `{{value}}` for HTML, so whatever an employee typed shows as text.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    let styleSheet: ByteBuffer
    let script: ByteBuffer
    /// What employees call the password they sign in with: `{{passwordTerm}}` in a sentence,
    /// `{{PasswordTerm}}` at its start.
    let term: PasswordTerm

    /// The templates by name, as `PackageResources` embeds them.
    static let templates: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "sign-in": PackageResources.sign_in_mustache,
        "passwords": PackageResources.passwords_mustache,
        "created": PackageResources.created_mustache,
        "rename": PackageResources.rename_mustache,
        "revoke": PackageResources.revoke_mustache,
        "revoke-all": PackageResources.revoke_all_mustache,
        "access": PackageResources.access_mustache,
        "activity": PackageResources.activity_mustache,
        "message": PackageResources.message_mustache,
        "devices": PackageResources.devices_mustache,
        "device-card": PackageResources.device_card_mustache,
    ]

    /// - Throws: when a template does not parse (caught by the tests, never in production).
    init(term: PasswordTerm = .standard) throws {
        self.term = term
        var library = MustacheLibrary()
        for (name, bytes) in Self.templates {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
        styleSheet = ByteBuffer(bytes: PackageResources.clientpass_css)
        script = ByteBuffer(bytes: PackageResources.clientpass_js)
    }

    /// The page `template` shows with `values`.
    func render(_ template: String, _ values: [String: Any]) -> String {
        var values = values
        values["passwordTerm"] = term.description
        values["PasswordTerm"] = term.description.prefix(1).uppercased() + term.description.dropFirst()
        guard let html = library.render(values, withTemplate: template) else {
            preconditionFailure("no template named \(template)")
        }
        return html
    }
}
