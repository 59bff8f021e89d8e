import Foundation

/// Escaping of attacker-chosen names for LDAP: a login name goes into a search filter, and an
/// OU's name comes out of a DN. Every byte that means something to LDAP is escaped, so that a
/// name like `*)(uid=*` is a name and never a filter.
public enum LDAPEscaping {
    /// A filter value (RFC 4515): `*`, `(`, `)`, `\` and NUL as `\2a`, `\28`, `\29`, `\5c`, `\00`;
    /// other control bytes too. UTF-8 beyond ASCII stays as it is (RFC 4515 allows it).
    public static func filterValue(_ text: String) -> String {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x2A, 0x28, 0x29, 0x5C, 0x00..<0x20, 0x7F:
                out += Array(String(format: "\\%02x", byte).utf8)
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An attribute value in a DN (RFC 4514): `"`, `+`, `,`, `;`, `<`, `>`, `\`, a leading `#` or
    /// space and a trailing space escaped with a backslash; NUL and control bytes as `\XX`.
    public static func dnValue(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                out += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "#") where index == 0, UInt8(ascii: " ") where index == 0 || index == bytes.count - 1:
                out += [UInt8(ascii: "\\"), byte]
            case 0x00..<0x20, 0x7F:
                out += Array(String(format: "\\%02X", byte).utf8)
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of the nearest `ou=` in a DN (RFC 4514 escapes undone), for
    /// `--department-from-ou`: `uid=alice,ou=Sales,dc=example,dc=com` → `Sales`.
    public static func nearestOU(in dn: String) -> String? {
        for rdn in components(of: dn).dropFirst() {
            guard let equals = rdn.firstIndex(of: "=") else { continue }
            let type = rdn[..<equals].trimmingCharacters(in: .whitespaces)
            if type.caseInsensitiveCompare("ou") == .orderedSame {
                return unescape(String(rdn[rdn.index(after: equals)...]))
            }
        }
        return nil
    }

    /// The RDNs of a DN, split at commas that are not escaped.
    static func components(of dn: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for character in dn {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                current.append(character)
                escaping = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Undoes RFC 4514's escapes: `\,` and `\XX` (hex bytes, which may spell UTF-8).
    static func unescape(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if index + 2 < bytes.count, let byte = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    out.append(byte)
                    index += 3
                } else {
                    out.append(bytes[index + 1])
                    index += 2
                }
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}
