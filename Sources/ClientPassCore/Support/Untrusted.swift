/// Attacker-chosen text (a login name from nginx's `Auth-User`, a form field, an old audit
/// entry) made safe for a sink that a person or a parser reads line by line: a log field, a
/// terminal column, an audit entry, a JSON string, a page.
///
/// Every sink uses this one function, so that a sink added later cannot forget a case:
/// - control characters (C0, DEL, C1: newlines, ESC and its terminal sequences), format
///   characters (bidirectional overrides, zero-width characters) and line and paragraph
///   separators become `\u{…}`, so one value stays on one line and cannot forge another;
/// - text past `limit` Unicode scalars is cut, and what was cut is counted (`…[+9843 bytes]`);
/// - invalid UTF-8 has already become U+FFFD wherever bytes became a `String`.
/// Backslashes and quotes are left alone: escaping them is the business of the format that
/// quotes (``Quoted``, JSON).
public enum Untrusted {
    /// At most this many Unicode scalars are shown by default (an account name is at most 254 bytes).
    public static let defaultLimit = 256

    public static func escaped(_ text: String, limit: Int = defaultLimit) -> String {
        var out = ""
        var shown = 0
        var index = text.unicodeScalars.startIndex
        while index != text.unicodeScalars.endIndex {
            if shown == limit {
                let rest = text.unicodeScalars[index...].reduce(0) { $0 + UTF8.width($1) }
                out += "…[+\(rest) bytes]"
                break
            }
            let scalar = text.unicodeScalars[index]
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            shown += 1
            index = text.unicodeScalars.index(after: index)
        }
        return out
    }

    /// Whether `text` would be changed by ``escaped(_:limit:)`` for a reason other than its length.
    public static func hasUnsafeCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsEscape)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: true
        default: false
        }
    }
}
