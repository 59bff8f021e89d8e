import Foundation

/// The login name of an account, as mail clients send it (`alice@example.com` or `alice`).
///
/// Names compare case-insensitively: ``key`` is the lowercased form the store keeps unique,
/// ``value`` the spelling the account was created with (its canonical name).
///
/// **Canonical form.** A name is accepted only in Unicode Normalization Form C and only when
/// compatibility normalization (NFKC) leaves it unchanged: no name can be spelled two ways
/// that look alike. A login is compared in that form only, never normalized on the way in, so
/// `K` written as U+212A KELVIN SIGN (whose canonical form is the letter K) names no account
/// rather than `kim@example.com`, and neither does a fullwidth `ｋｉｍ`.
public struct AccountName: Sendable, Hashable, CustomStringConvertible {
    public static let maximumUTF8Length = 254

    public let value: String
    public var key: String { value.lowercased() }
    public var description: String { value }

    /// - Throws: ``InputError`` when the name is empty, too long, or has whitespace or control characters.
    public init(validating text: String) throws {
        guard !text.isEmpty else {
            throw InputError("the account name is empty")
        }
        guard text.utf8.count <= Self.maximumUTF8Length else {
            throw InputError("the account name is \(text.utf8.count) bytes long; at most \(Self.maximumUTF8Length) are allowed")
        }
        if let bad = text.unicodeScalars.first(where: {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
        }) {
            throw InputError("the account name \(Quoted(text)) contains \(describe(bad)); names cannot contain spaces or control characters")
        }
        // Private-use characters look like anything a font makes of them, and unassigned ones may
        // normalize differently once assigned: neither has a stable canonical form.
        if let bad = text.unicodeScalars.first(where: { [.privateUse, .unassigned, .surrogate].contains($0.properties.generalCategory) }) {
            throw InputError(
                "the account name \(Quoted(text)) contains \(describe(bad)), a private-use or unassigned character; names use assigned characters only")
        }
        // Compared scalar by scalar: String's == treats canonically equivalent spellings as equal.
        let nfc = text.precomposedStringWithCanonicalMapping
        if !text.unicodeScalars.elementsEqual(nfc.unicodeScalars) {
            let bad = zip(text.unicodeScalars, nfc.unicodeScalars).first { $0 != $1 }?.0 ?? text.unicodeScalars.last!
            throw InputError(
                "the account name \(Quoted(text)) is not in canonical form (Unicode NFC): \(describe(bad)) is written as \(Quoted(nfc)) there; use that spelling"
            )
        }
        let nfkc = text.precomposedStringWithCompatibilityMapping
        if !text.unicodeScalars.elementsEqual(nfkc.unicodeScalars) {
            let bad =
                text.unicodeScalars.first { !String($0).precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual([$0]) } ?? text.unicodeScalars
                .first!
            throw InputError("the account name \(Quoted(text)) contains \(describe(bad)), a compatibility character; write it as \(Quoted(nfkc))")
        }
        value = text
    }

    public static func == (lhs: AccountName, rhs: AccountName) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

/// The name of a department: 1–64 printable characters, compared case-insensitively.
public struct DepartmentName: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 64

    public let value: String
    public var key: String { value.lowercased() }
    public var description: String { value }

    /// Leading and trailing spaces are dropped.
    /// - Throws: ``InputError`` when the name is empty, too long, or has control characters.
    public init(validating text: String) throws {
        value = try validatePrintable(text, what: "department name", maximumLength: Self.maximumLength)
    }

    public static func == (lhs: DepartmentName, rhs: DepartmentName) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

/// The label of an app password: 1–64 printable characters ("Outlook on laptop").
public struct Label: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 64

    public let value: String
    public var description: String { value }

    /// Leading and trailing spaces are dropped.
    /// - Throws: ``InputError`` when the label is empty, too long, or has control characters.
    public init(validating text: String) throws {
        value = try validatePrintable(text, what: "label", maximumLength: Self.maximumLength)
    }
}

/// Trims surrounding whitespace and checks that what remains is 1…`maximumLength` characters
/// (Unicode scalars, as SQLite counts them) with no control or format characters.
private func validatePrintable(_ text: String, what: String, maximumLength: Int) throws -> String {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
        throw InputError("the \(what) is empty; give 1 to \(maximumLength) characters")
    }
    let length = trimmed.unicodeScalars.count
    guard length <= maximumLength else {
        throw InputError("the \(what) is \(length) characters long; at most \(maximumLength) are allowed")
    }
    // Exactly what every sink would have to escape.
    if let bad = trimmed.unicodeScalars.first(where: Untrusted.needsEscape) {
        throw InputError("the \(what) \(Quoted(trimmed)) contains \(describe(bad)); use printable characters only")
    }
    return trimmed
}

private func describe(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case " ": "a space"
    case "\t": "a tab"
    case "\n", "\r": "a line break"
    default:
        "the character U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            + (scalar.properties.name.map { " " + $0 } ?? "")
    }
}

/// A user-supplied string shown inside a message: quoted, with control characters escaped so a
/// message stays on one line and cannot forge terminal output.
public struct Quoted: CustomStringConvertible, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String {
        var quoted = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return "\"" + Untrusted.escaped(quoted) + "\""
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
