import CLDAP
import ClientPassCore
import Foundation

/// The directory client through OpenLDAP's libldap (Active Directory and OpenLDAP alike): a
/// connection a call, TLS verified (ldaps:// or StartTLS; the CA file, else the system's),
/// blocking calls with timeouts, which callers run off the event loop and the hashing threads.
public struct LDAPConnector: DirectoryConnector {
    /// How long a connection, a bind or a search may take before the directory counts as
    /// unreachable.
    public let timeout: Int

    public init(timeout: Int = 10) {
        self.timeout = timeout
    }

    public func users(with settings: DirectorySettings) throws -> [DirectoryUser] {
        let connection = try LDAPConnection(settings, timeout: timeout)
        try connection.bindAsServiceAccount(settings)
        return try connection.search(settings, filter: settings.filter, sizeLimit: 0).map { $0.user(settings) }
    }

    public func authenticate(_ name: String, secret: Secret, with settings: DirectorySettings) throws -> DirectoryAuthentication {
        // An empty password is an unauthenticated bind, which succeeds (RFC 4513 5.1.2).
        guard !secret.isEmpty else { return .wrongPassword }
        let connection = try LDAPConnection(settings, timeout: timeout)
        try connection.bindAsServiceAccount(settings)
        let filter = "(&\(settings.filter)(\(settings.accountAttribute)=\(LDAPEscaping.filterValue(name))))"
        let entries = try connection.search(settings, filter: filter, sizeLimit: 2)
        guard entries.count == 1 else { return .noSuchUser }
        let user = entries[0].user(settings)
        if user.isDisabled { return .disabled }
        // The same connection binds again, as the user: the service account's identity ends there.
        return try connection.bind(dn: user.dn, password: secret) ? .success : .wrongPassword
    }

    public func newcomer(_ name: String, secret: Secret, with settings: DirectorySettings) throws -> DirectoryUser? {
        guard !secret.isEmpty else { return nil }
        let connection = try LDAPConnection(settings, timeout: timeout)
        try connection.bindAsServiceAccount(settings)
        let filter = "(&\(settings.filter)(\(settings.accountAttribute)=\(LDAPEscaping.filterValue(name))))"
        let entries = try connection.search(settings, filter: filter, sizeLimit: 2)
        guard entries.count == 1, case let user = entries[0].user(settings), !user.isDisabled else {
            Self.refusedBind(on: connection, settings)
            return nil
        }
        return try connection.bind(dn: user.dn, password: secret) ? user : nil
    }

    public func check(with settings: DirectorySettings) throws {
        let connection = try LDAPConnection(settings, timeout: timeout)
        try connection.bindAsServiceAccount(settings)
    }

    public func imitateRefusal(with settings: DirectorySettings) throws {
        let connection = try LDAPConnection(settings, timeout: timeout)
        try connection.bindAsServiceAccount(settings)
        let nobody = "clientpass-nobody-" + RandomToken.make().prefix(20)
        let filter = "(&\(settings.filter)(\(settings.accountAttribute)=\(LDAPEscaping.filterValue(nobody + ".invalid"))))"
        _ = try connection.search(settings, filter: filter, sizeLimit: 2)
        Self.refusedBind(on: connection, settings)
    }

    /// A bind as an entry that does not exist, with a random password: refused as a wrong
    /// password is, and whatever the answer, it tells nothing.
    private static func refusedBind(on connection: LDAPConnection, _ settings: DirectorySettings) {
        let nobody = "clientpass-nobody-" + RandomToken.make().prefix(20)
        _ = try? connection.bind(dn: "cn=\(nobody),\(settings.baseDN)", password: Secret(RandomToken.make()))
    }
}

/// One connection to the directory, closed when released.
final class LDAPConnection {
    private let handle: OpaquePointer
    private let timeout: Int
    private let url: String
    private let usesTLS: Bool
    private let caFile: String?

    init(_ settings: DirectorySettings, timeout: Int) throws {
        // Settings a version before 0.12.2 accepted (a list with one clear-text URL) are not used.
        do {
            try DirectorySettings.validateURLs(settings.url, startTLS: settings.startTLS)
        } catch let error as InputError {
            throw DirectoryUnavailable("the directory's URL in the store is not used: \(error.description); set it again with clientpass admin directory set")
        }
        var made: OpaquePointer?
        let status = ldap_initialize(&made, settings.url)
        guard status == LDAP_SUCCESS, let made else {
            throw DirectoryUnavailable("cannot use \(Quoted(settings.url)): \(Self.message(status))")
        }
        handle = made
        self.timeout = timeout
        url = settings.url
        usesTLS = settings.startTLS || settings.url.lowercased().contains("ldaps://")
        caFile = settings.caFile
        var version = LDAP_VERSION3
        ldap_set_option(handle, LDAP_OPT_PROTOCOL_VERSION, &version)
        // Referrals would send the service account's password to another server.
        ldap_set_option(handle, LDAP_OPT_REFERRALS, nil)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &limit)
        ldap_set_option(handle, LDAP_OPT_TIMEOUT, &limit)
        // TLS: the directory's certificate must be valid for its name, signed by the CA file or
        // by one the system trusts; TLS 1.2 at least.
        var demand = LDAP_OPT_X_TLS_DEMAND
        ldap_set_option(handle, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand)
        var minimum: Int32 = (3 << 8) + 3  // LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, a macro Swift does not import
        ldap_set_option(handle, LDAP_OPT_X_TLS_PROTOCOL_MIN, &minimum)
        if let caFile = settings.caFile {
            ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, caFile)
        }
        var client: Int32 = 0
        let context = ldap_set_option(handle, LDAP_OPT_X_TLS_NEWCTX, &client)
        // (From here on a throw releases the handle through deinit.)
        guard context == LDAP_OPT_SUCCESS else {
            throw DirectoryUnavailable(
                "cannot set up TLS for \(Quoted(settings.url))\(settings.caFile.map { " with the CA file \(Quoted($0))" } ?? ""): \(Self.message(context))")
        }
        if settings.startTLS {
            let started = ldap_start_tls_s(handle, nil, nil)
            guard started == LDAP_SUCCESS else {
                throw failure("StartTLS with \(Quoted(settings.url)) failed", started)
            }
        }
    }

    deinit {
        ldap_unbind_ext_s(handle, nil, nil)
    }

    /// Binds as the service account with the password from its file.
    func bindAsServiceAccount(_ settings: DirectorySettings) throws {
        let password = try Self.readPasswordFile(settings.bindPasswordFile)
        guard try bind(dn: settings.bindDN, password: password) else {
            throw DirectoryUnavailable(
                "the directory refused the service account \(Quoted(settings.bindDN)): wrong password in \(Quoted(settings.bindPasswordFile))?")
        }
    }

    /// A simple bind. `true` on success, `false` for invalid credentials.
    /// - Throws: ``DirectoryUnavailable`` for every other answer (unreachable, TLS, busy).
    func bind(dn: String, password: Secret) throws -> Bool {
        guard !password.isEmpty else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: password.count, alignment: 1)
        defer {
            Secret.wipe(buffer)
            buffer.deallocate()
        }
        password.withUnsafeBytes { buffer.copyMemory(from: $0) }
        var credential = berval(bv_len: ber_len_t(password.count), bv_val: buffer.baseAddress!.assumingMemoryBound(to: CChar.self))
        let status = ldap_sasl_bind_s(handle, dn, nil, &credential, nil, nil, nil)
        if status == LDAP_SUCCESS { return true }
        if status == LDAP_INVALID_CREDENTIALS { return false }
        throw failure("a bind at \(Quoted(url)) failed", status)
    }

    /// An entry: its DN and the values of the attributes asked for.
    struct Entry {
        let dn: String
        let values: [String: [String]]

        func user(_ settings: DirectorySettings) -> DirectoryUser {
            let department =
                settings.departmentFromOU
                ? LDAPEscaping.nearestOU(in: dn)
                : settings.departmentAttribute.flatMap { values[$0.lowercased()]?.first }
            return DirectoryUser(
                dn: dn, name: values[settings.accountAttribute.lowercased()]?.first ?? "",
                department: department.flatMap { $0.isEmpty ? nil : $0 }, isDisabled: isDisabled(settings))
        }

        /// The configured attribute (present and not FALSE or 0), or the defaults: Active
        /// Directory's userAccountControl bit 2 (ACCOUNTDISABLE), OpenLDAP's nsAccountLock and
        /// the password policy's pwdAccountLockedTime.
        func isDisabled(_ settings: DirectorySettings) -> Bool {
            if let attribute = settings.disabledAttribute {
                guard let value = values[attribute.lowercased()]?.first else { return false }
                return !["false", "0", ""].contains(value.lowercased())
            }
            if let control = values["useraccountcontrol"]?.first.flatMap({ Int($0) }), control & 2 != 0 { return true }
            if values["nsaccountlock"]?.first?.lowercased() == "true" { return true }
            return values["pwdaccountlockedtime"]?.isEmpty == false
        }
    }

    /// Searches the subtree of the base DN. `sizeLimit` 0 reads every entry, in pages of
    /// ``pageSize`` (RFC 2696's paged results, which Active Directory needs past its
    /// MaxPageSize, 1,000 by default); a directory that stops early anyway (its own size limit)
    /// is an error, never a shorter list. A directory that does not page answers at once.
    func search(_ settings: DirectorySettings, filter: String, sizeLimit: Int32) throws -> [Entry] {
        var attributes = [settings.accountAttribute, "userAccountControl", "nsAccountLock", "pwdAccountLockedTime"]
        if let department = settings.departmentAttribute { attributes.append(department) }
        if let disabled = settings.disabledAttribute { attributes.append(disabled) }
        let names = attributes.map { strdup($0) } + [nil]
        defer { names.forEach { free($0) } }
        let paged = sizeLimit == 0
        // The server's cookie for the next page; libldap allocates it, and it is freed here.
        var cookie = berval(bv_len: 0, bv_val: nil)
        defer { if cookie.bv_val != nil { ber_memfree(cookie.bv_val) } }
        var entries: [Entry] = []
        var pageSize = Self.pageSize
        while true {
            var control: UnsafeMutablePointer<LDAPControl>?
            if paged {
                let made = ldap_create_page_control(handle, pageSize, &cookie, 0, &control)
                guard made == LDAP_SUCCESS else { throw DirectoryUnavailable("cannot ask \(Quoted(url)) for pages of users: \(Self.message(made))") }
            }
            defer { if let control { ldap_control_free(control) } }
            var serverControls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
            var pointers = names
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            var result: OpaquePointer?
            let subtree: Int32 = 2  // LDAP_SCOPE_SUBTREE, a cast macro Swift does not import
            let status = serverControls.withUnsafeMutableBufferPointer { controls in
                ldap_search_ext_s(
                    handle, settings.baseDN, subtree, filter, &pointers, 0, paged ? controls.baseAddress : nil, nil,
                    &limit, sizeLimit, &result)
            }
            defer { if let result { ldap_msgfree(result) } }
            switch status {
            case LDAP_SUCCESS:
                break
            case LDAP_ADMINLIMIT_EXCEEDED where paged && entries.isEmpty && cookie.bv_len == 0 && pageSize > 1:
                // A directory that refuses pages this large (OpenLDAP's size.pr; Active Directory
                // caps them instead): ask again for smaller ones.
                pageSize /= 2
                continue
            case LDAP_SIZELIMIT_EXCEEDED where sizeLimit > 0:
                break
            case LDAP_SIZELIMIT_EXCEEDED:
                throw DirectoryUnavailable(
                    "the directory returned only part of the users (its size limit): narrow --filter or --base-dn, or raise the service account's size limit")
            case LDAP_NO_SUCH_OBJECT:
                throw DirectoryUnavailable("the base DN \(Quoted(settings.baseDN)) does not exist in the directory")
            default:
                throw failure("a search at \(Quoted(url)) failed", status)
            }
            entries += readEntries(result, attributes: attributes)
            guard paged else { break }
            var returned: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
            var code: Int32 = 0
            let parsed = ldap_parse_result(handle, result, &code, nil, nil, nil, &returned, 0)
            guard parsed == LDAP_SUCCESS else { throw DirectoryUnavailable("cannot read the answer of \(Quoted(url)): \(Self.message(parsed))") }
            defer { if let returned { ldap_controls_free(returned) } }
            // No paged-results answer: the directory does not page, and sent everything.
            guard let returned, let response = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nil) else { break }
            if cookie.bv_val != nil { ber_memfree(cookie.bv_val) }
            cookie = berval(bv_len: 0, bv_val: nil)
            var estimate: Int32 = 0
            let next = ldap_parse_pageresponse_control(handle, response, &estimate, &cookie)
            guard next == LDAP_SUCCESS else { throw DirectoryUnavailable("cannot read the page of users from \(Quoted(url)): \(Self.message(next))") }
            // An empty cookie: that was the last page.
            if cookie.bv_len == 0 { break }
        }
        return entries
    }

    /// Users a page: under Active Directory's default MaxPageSize (1,000). A directory that
    /// refuses it gets half as many, down to one.
    static let pageSize: Int32 = 500

    private func readEntries(_ result: OpaquePointer?, attributes: [String]) -> [Entry] {
        var entries: [Entry] = []
        var entry = ldap_first_entry(handle, result)
        while let current = entry {
            var dn = ""
            if let pointer = ldap_get_dn(handle, current) {
                dn = String(cString: pointer)
                ldap_memfree(pointer)
            }
            var values: [String: [String]] = [:]
            for attribute in attributes {
                guard let list = ldap_get_values_len(handle, current, attribute) else { continue }
                var index = 0
                var strings: [String] = []
                while let value = list[index] {
                    strings.append(String(decoding: UnsafeRawBufferPointer(start: value.pointee.bv_val, count: Int(value.pointee.bv_len)), as: UTF8.self))
                    index += 1
                }
                ldap_value_free_len(list)
                values[attribute.lowercased()] = strings
            }
            entries.append(Entry(dn: dn, values: values))
            entry = ldap_next_entry(handle, current)
        }
        return entries
    }

    /// What failed, in words. libldap reports a TLS handshake it refused (a certificate not
    /// signed by the CA file, or not made out to the URL's host) as "Can't contact LDAP server",
    /// as it does a host that does not answer: a connection made to the port tells them apart.
    private func failure(_ what: String, _ status: Int32) -> DirectoryUnavailable {
        guard status == LDAP_SERVER_DOWN || status == LDAP_CONNECT_ERROR else {
            return DirectoryUnavailable("\(what): \(Self.message(status))\(diagnostic())")
        }
        let answering = Self.endpoints(of: url).filter { TCPProbe.answers(host: $0.host, port: $0.port, milliseconds: 2_000) }
        guard let endpoint = answering.first else {
            return DirectoryUnavailable(
                "the directory cannot be reached: nothing answers at \(Self.endpoints(of: url).map { "\($0.host):\($0.port)" }.joined(separator: ", ")) (\(what))"
            )
        }
        guard usesTLS else {
            return DirectoryUnavailable("\(what): \(endpoint.host):\(endpoint.port) takes connections but does not answer LDAP\(diagnostic())")
        }
        let trusted = caFile.map { "the CA file \(Quoted($0))" } ?? "the CAs this host trusts (no --ca-file is set)"
        return DirectoryUnavailable(
            "\(what): the TLS handshake with \(endpoint.host):\(endpoint.port) failed. Its certificate is probably not signed by "
                + "\(trusted), or not made out to \(Quoted(endpoint.host)): give the CA that signed it with `admin directory set --ca-file`, "
                + "and the name in the certificate in the URL\(diagnostic())")
    }

    /// The hosts and ports of a URL list (`ldaps://a:636 ldap://b`).
    static func endpoints(of urls: String) -> [(host: String, port: Int)] {
        urls.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { text in
            guard let components = URLComponents(string: String(text)), let host = components.host, !host.isEmpty else { return nil }
            return (host, components.port ?? (components.scheme?.lowercased() == "ldaps" ? 636 : 389))
        }
    }

    /// The server's diagnostic message of the last operation, if it sent one.
    private func diagnostic() -> String {
        var pointer: UnsafeMutablePointer<CChar>?
        guard ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &pointer) == LDAP_OPT_SUCCESS, let pointer else { return "" }
        defer { ldap_memfree(pointer) }
        let text = String(cString: pointer)
        return text.isEmpty ? "" : " (\(Untrusted.escaped(text)))"
    }

    static func message(_ status: Int32) -> String {
        String(cString: ldap_err2string(status))
    }

    /// The first line of the password file; the file must exist and be readable.
    static func readPasswordFile(_ path: String) throws -> Secret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DirectoryUnavailable("cannot read the service account's password file \(Quoted(path))")
        }
        var bytes = Array(data)
        defer { bytes.withUnsafeMutableBytes { Secret.wipe($0) } }
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        guard !line.isEmpty else {
            throw DirectoryUnavailable("the service account's password file \(Quoted(path)) is empty")
        }
        return Secret(bytes: line)
    }
}
