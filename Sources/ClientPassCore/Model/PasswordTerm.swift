import Foundation

/// What employees call the password they sign in with: "mailbox password" by default, "company
/// password" (or what the company says) in directory mode, where employees know no mailbox
/// password. `mailbox_password_term` in the configuration file, or
/// CLIENTPASS_MAILBOX_PASSWORD_TERM. Applied to every text an employee reads (the page, the
/// self-service API's messages, the self-service commands); administrators' texts keep the
/// product's own word.
public struct PasswordTerm: Sendable, Hashable, CustomStringConvertible {
    public static let standard = PasswordTerm(unchecked: "mailbox password")
    /// What `admin directory set` suggests.
    public static let directorySuggestion = "company password"
    public static let environmentVariable = "CLIENTPASS_MAILBOX_PASSWORD_TERM"

    /// The term as it stands inside a sentence (written as given: "SSO password" stays so).
    public let description: String

    private init(unchecked text: String) {
        description = text
    }

    /// Parses a term: 3 to 40 letters, digits, spaces and hyphens, starting with a letter.
    /// - Throws: ``InputError`` saying what is wrong.
    public init(validating text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (3...40).contains(trimmed.count), trimmed.first?.isLetter == true,
            trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }), !trimmed.contains("  ")
        else {
            throw InputError(
                "\(Quoted(text)) is not a term for the password employees sign in with: give 3 to 40 letters, digits, spaces and hyphens, such as \(Quoted(Self.directorySuggestion))"
            )
        }
        description = trimmed
    }

    /// `text` with the product's word ("mailbox password", "Mailbox password", and their plural
    /// and articles) in this term.
    public func apply(_ text: String) -> String {
        guard self != .standard, text.contains("ailbox password") else { return text }
        let article = description.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        let capitalized = description.prefix(1).uppercased() + description.dropFirst()
        return
            text
            .replacingOccurrences(of: " a mailbox password", with: " \(article) \(description)")
            .replacingOccurrences(of: "A mailbox password", with: article.prefix(1).uppercased() + article.dropFirst() + " \(description)")
            .replacingOccurrences(of: "mailbox password", with: description)
            .replacingOccurrences(of: "Mailbox password", with: capitalized)
    }
}
