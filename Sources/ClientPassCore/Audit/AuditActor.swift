#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who made a change: an account acting for itself, an administrator (by the OS user running the
/// command), or clientpass itself (a login decision, a mail server's request).
public enum AuditActor: Sendable, Hashable, CustomStringConvertible {
    case account(String)
    case admin(osUser: String)
    case system

    /// The administrator running this process, named by its OS user.
    public static var currentAdmin: AuditActor {
        .admin(osUser: currentOSUser())
    }

    public var description: String {
        switch self {
        case .account(let name): name
        case .admin(let user): "admin (\(user))"
        case .system: "clientpass"
        }
    }
}

/// The login name of the effective user, or its uid when it has no passwd entry.
package func currentOSUser() -> String {
    let uid = geteuid()
    if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
        return String(cString: name)
    }
    return "uid \(uid)"
}
