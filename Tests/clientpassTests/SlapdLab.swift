import ClientPassTestSupport
import Foundation
import Testing

/// A real OpenLDAP slapd from Debian on a free loopback port, with StartTLS under a test CA made
/// here, size limits that make a sync page through the users, and a small tree: two OUs as departments (Sales, Support), a service account, users
/// (one locked by the password policy, one with a non-ASCII name, some with LDAP's special
/// characters in their names). Stopped when released.
final class SlapdLab: @unchecked Sendable {
    let folder: String
    let port: Int
    let authority: TestCertificateAuthority
    let serviceDN = "cn=reader,ou=services,dc=example,dc=com"
    let servicePasswordFile: String
    let adminDN = "cn=admin,dc=example,dc=com"
    let adminPassword = "slapd-admin-password"
    let base = "ou=people,dc=example,dc=com"
    private var server: Process?

    /// The users of the tree: account name (uid), OU, password, locked.
    static let users: [(name: String, ou: String, password: String, locked: Bool)] = [
        ("alice@example.com", "Sales", "alice's directory password", false),
        ("bob@example.com", "Support", "bob's directory password", false),
        ("carol@example.com", "Sales", "carol's directory password", true),
        ("josé.núñez@example.com", "Support", "josé's directory password", false),
        ("star*name@example.com", "Support", "star's directory password", false),
        ("paren)(name@example.com", "Sales", "paren's directory password", false),
        ("back\\slash@example.com", "Sales", "backslash's directory password", false),
    ]

    init(in parent: String) throws {
        folder = parent + "/slapd"
        try FileManager.default.createDirectory(atPath: folder + "/db", withIntermediateDirectories: true)
        port = try MailLab.freePorts(["ldap"])["ldap"]!
        authority = try TestCertificateAuthority(in: folder + "/ca")
        let (certificate, key) = try authority.issue("slapd", commonName: "127.0.0.1", extensions: ["subjectAltName=IP:127.0.0.1"])
        servicePasswordFile = folder + "/reader-password"
        try "reader-password\n".write(toFile: servicePasswordFile, atomically: true, encoding: .utf8)
        let config = """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include /etc/ldap/schema/nis.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload ppolicy
            pidfile \(folder)/slapd.pid
            TLSCACertificateFile \(authority.certificate)
            TLSCertificateFile \(certificate)
            TLSCertificateKeyFile \(key)
            database mdb
            maxsize 10485760
            suffix "dc=example,dc=com"
            rootdn "\(adminDN)"
            rootpw \(adminPassword)
            directory \(folder)/db
            overlay ppolicy
            # A search returns at most 3 entries, a page at most 2, a paged search all of them:
            # the sync must page, as Active Directory (MaxPageSize) needs.
            limits users size.soft=3 size.hard=3 size.pr=2 size.prtotal=unlimited
            access to attrs=userPassword by self write by anonymous auth by * none
            access to * by users read by * none
            """
        try config.write(toFile: folder + "/slapd.conf", atomically: true, encoding: .utf8)
        try Self.tree(serviceDN: serviceDN).write(toFile: folder + "/tree.ldif", atomically: true, encoding: .utf8)
        let added = try runProcess("/usr/sbin/slapadd", ["-f", folder + "/slapd.conf", "-l", folder + "/tree.ldif"], stdin: nil, environment: [:], in: folder)
        guard added.status == 0 else { throw LabFailure(description: "slapadd failed: \(added)") }
        try start()
    }

    deinit { stop() }

    var url: String { "ldap://127.0.0.1:\(port)" }

    func start() throws {
        // Debug level 256 (stats): one line per operation, so that tests can count binds.
        server = try launchServer(
            "/usr/sbin/slapd", ["-d", "256", "-h", url + "/", "-f", folder + "/slapd.conf"],
            log: folder + "/slapd-\(UUID().uuidString).log", in: folder)
        try MailLab.waitForListener(port)
    }

    /// How many simple binds as `dn` the directory has seen since it was made.
    func binds(as dn: String) throws -> Int {
        var count = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasPrefix("slapd-") && file.hasSuffix(".log") {
            let log = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            count += log.components(separatedBy: "BIND dn=\"\(dn)\" method=128").count - 1
        }
        return count
    }

    func stop() {
        guard let server, server.isRunning else { return }
        server.terminate()
        server.waitUntilExit()
        self.server = nil
    }

    /// `admin directory set` for this directory: StartTLS under the test CA, departments from OUs.
    var setArguments: [String] {
        setArguments(department: ["--department-from-ou"])
    }

    func setArguments(department: [String]) -> [String] {
        [
            "admin", "directory", "set", "--url", url, "--starttls", "--ca-file", authority.certificate, "--bind-dn", serviceDN,
            "--bind-password-file", servicePasswordFile, "--base-dn", base, "--account-attribute", "uid",
        ] + department
    }

    /// Runs ldapmodify (or another ldap-utils tool) as the directory's administrator, LDIF on stdin.
    func modify(_ tool: String = "/usr/bin/ldapmodify", _ arguments: [String] = [], ldif: String? = nil) throws {
        let result = try runProcess(
            tool, ["-x", "-ZZ", "-H", url, "-D", adminDN, "-w", adminPassword] + arguments, stdin: ldif,
            environment: ["LDAPTLS_CACERT": authority.certificate, "LDAPTLS_REQCERT": "demand"], in: folder)
        guard result.status == 0 else { throw LabFailure(description: "\(tool) failed: \(result)") }
    }

    static func dn(of name: String, ou: String) -> String {
        "uid=\(escapeDN(name)),ou=\(ou),ou=people,dc=example,dc=com"
    }

    /// RFC 4514 escaping for the test's own DNs (the code under test has its own).
    static func escapeDN(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "+", with: "\\+")
    }

    private static func ldifValue(_ attribute: String, _ value: String) -> String {
        // Non-ASCII values (and those with LDIF's own special characters) go in base64.
        if value.unicodeScalars.allSatisfy({ $0.isASCII && $0 != "\n" }) && !value.hasPrefix(" ") && !value.hasPrefix(":") && !value.hasPrefix("<") {
            return "\(attribute): \(value)"
        }
        return "\(attribute):: \(Data(value.utf8).base64EncodedString())"
    }

    static func tree(serviceDN: String) -> String {
        var entries = [
            "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example",
            "dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people",
            "dn: ou=Sales,ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Sales",
            "dn: ou=Support,ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Support",
            "dn: ou=services,dc=example,dc=com\nobjectClass: organizationalUnit\nou: services",
            "dn: \(serviceDN)\nobjectClass: person\ncn: reader\nsn: reader\nuserPassword: reader-password",
        ]
        for user in users {
            var lines = [
                ldifValue("dn", dn(of: user.name, ou: user.ou)), "objectClass: inetOrgPerson", ldifValue("uid", user.name),
                ldifValue("cn", user.name), "sn: user", ldifValue("userPassword", user.password),
                // The department as an attribute too, for --department-attribute.
                "departmentNumber: \(user.ou) team",
            ]
            if user.locked { lines.append("pwdAccountLockedTime: 000001010000Z") }
            entries.append(lines.joined(separator: "\n"))
        }
        return entries.joined(separator: "\n\n") + "\n"
    }
}

/// A step of a lab that failed, with what the tool printed.
struct LabFailure: Error, CustomStringConvertible {
    let description: String
}
