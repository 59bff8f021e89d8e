import ClientPassCore
import Foundation

/// Audit entries for the tests of every medium: one or more typed entries of every kind, and
/// the sentences earlier versions wrote, for the migration that types them.
public enum AuditSamples {
    public static let at = Date(timeIntervalSince1970: 1_796_000_000)

    /// Every kind, with each of its variants (contexts, subjects, reasons).
    public static let everyKind: [AuditEvent] = {
        let admin = AuditActor.admin(osUser: "root")
        let alice = "alice@example.com"
        return [
            AuditEvent(
                at: at, kind: .storeInitialized, actor: admin, subject: .store(path: "/var/lib/clientpass/clientpass.sqlite"),
                new: .record([.init("group", .text("mail"))])),
            AuditEvent(
                at: at, kind: .storeBackedUp, actor: admin, subject: .store(path: "/backup/clientpass.sqlite"),
                new: .inventory(accounts: 3, appPasswords: 5)),
            AuditEvent(
                at: at, kind: .storeRestored, actor: admin, subject: .store(path: "/backup/clientpass.sqlite"),
                old: .inventory(accounts: 4, appPasswords: 6), new: .inventory(accounts: 3, appPasswords: 5)),
            AuditEvent(at: at, kind: .departmentAdded, actor: admin, subject: .department("Sales")),
            AuditEvent(at: at, kind: .departmentRemoved, actor: admin, subject: .department("Sales")),
            AuditEvent(at: at, kind: .accountAdded, actor: admin, account: alice, subject: .department("Sales")),
            AuditEvent(at: at, kind: .departmentAdded, actor: admin, subject: .department("Research"), context: .import),
            AuditEvent(
                at: at, kind: .accountStatusChanged, actor: admin, account: alice, old: .text("active"), new: .text("disabled"),
                context: .directory, note: "gone from the directory"),
            AuditEvent(
                at: at, kind: .policyChanged, actor: admin, subject: .setting(.directory),
                new: .record([.init("url", .text("ldaps://dc1.example.com")), .init("base_dn", .text("dc=example,dc=com"))])),
            AuditEvent(
                at: at, kind: .accountAdded, actor: admin, account: "zoe@example.com", subject: .department("Research"),
                new: .record([.init("mailbox_password_scheme", .text("SHA512-CRYPT"))]), context: .import),
            AuditEvent(at: at, kind: .accountRemoved, actor: admin, account: alice, old: .record([.init("app_passwords", .number(2))])),
            AuditEvent(at: at, kind: .servicesChanged, actor: admin, account: alice, old: .list(["imap", "pop3", "smtp"]), new: .list(["imap", "smtp"])),
            AuditEvent(at: at, kind: .accountStatusChanged, actor: admin, account: alice, old: .text("active"), new: .text("disabled")),
            AuditEvent(at: at, kind: .accountDepartmentChanged, actor: admin, account: alice, old: .text("Sales"), new: .text("Support")),
            AuditEvent(at: at, kind: .accountHelpDeskChanged, actor: admin, account: alice, old: .text("not a member"), new: .text("member")),
            AuditEvent(
                at: at, kind: .appPasswordCreated, actor: .account("bob@example.com"), account: alice, subject: .appPassword(id: 3, label: "Scanner"),
                new: .limits(CredentialLimits(protocols: [.smtp])), context: .helpDesk),
            AuditEvent(at: at, kind: .mailboxPasswordChanged, actor: admin, account: alice, subject: .mailboxPassword, context: .reset),
            AuditEvent(
                at: at, kind: .appPasswordCreated, actor: .account(alice), account: alice, subject: .appPassword(id: 1, label: "Phone"),
                new: .limits(CredentialLimits(protocols: [.imap, .smtp], networks: [try! IPNetwork(parsing: "10.0.3.0/24")]))),
            AuditEvent(
                at: at, kind: .appPasswordRelabeled, actor: .account(alice), account: alice, subject: .appPassword(id: 1, label: "iPhone"),
                old: .text("Phone"), new: .text("iPhone")),
            AuditEvent(at: at, kind: .appPasswordRevoked, actor: admin, account: alice, subject: .appPassword(id: 1, label: "iPhone"), context: .reset),
            AuditEvent(
                at: at, kind: .appPasswordRevoked, actor: .account(alice), account: alice, subject: .appPassword(id: 2, label: "Laptop"), context: .revokeAll),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, subject: .setting(.thirdPartyClients), old: .text("blocked"), new: .text("allowed")),
            AuditEvent(
                at: at, kind: .policyChanged, actor: admin, subject: .setting(.throttling),
                old: .throttling(.standard), new: .throttling(ThrottlePolicy(accountFailures: 5, addressFailures: 50, accountWideFailures: 20, window: 600))),
            AuditEvent(
                at: at, kind: .policyChanged, actor: admin, subject: .setting(.enforcement), old: .record([.init("mode", .text("off"))]),
                new: .record([.init("mode", .text("selected")), .init("departments", .list(["Sales"])), .init("accounts", .list(["bob@example.com"]))])),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, account: alice, subject: .setting(.exception), new: .text("scanner")),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, account: alice, subject: .setting(.exception), old: .text("scanner")),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, subject: .secureNetwork("10.0.3.0/24"), new: .text("Head office")),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, subject: .secureNetwork("10.0.3.0/24"), old: .text("Head office")),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, subject: .firstPartyHost("10.0.5.20"), new: .text("Roundcube")),
            AuditEvent(at: at, kind: .policyChanged, actor: admin, subject: .firstPartyHost("10.0.5.20"), old: .text("Roundcube")),
            AuditEvent(at: at, kind: .signedIn, actor: .account(alice), account: alice, address: "198.51.100.7", context: .page),
            AuditEvent(at: at, kind: .signedIn, actor: .account(alice), account: alice, address: "198.51.100.7", context: .confirmation),
            AuditEvent(at: at, kind: .signedIn, actor: .account(alice), account: alice, address: "127.0.0.1", context: .commandLine),
            AuditEvent(at: at, kind: .signedIn, actor: .account(alice), account: alice, address: "198.51.100.9", context: .api),
            AuditEvent(at: at, kind: .signInFailed, actor: .system, account: alice, reason: .badCredential, address: "198.51.100.7", context: .page),
            AuditEvent(at: at, kind: .signInFailed, actor: .system, account: alice, reason: .throttled, address: "127.0.0.1", context: .commandLine),
            AuditEvent(at: at, kind: .signInFailed, actor: .system, account: alice, reason: .accountDisabled, address: "198.51.100.7", context: .page),
            AuditEvent(
                at: at, kind: .loginDenied, actor: .system, account: alice, reason: .serviceDisabled, address: "198.51.100.7", service: .pop3,
                note: "POP3 is turned off for alice@example.com (on: IMAP, SMTP)"),
            AuditEvent(
                at: at, kind: .loginFromNewAddress, actor: .system, account: alice, subject: .appPassword(id: 1, label: "Phone"),
                address: "203.0.113.9", service: .imap),
            AuditEvent(at: at, kind: .loginFromNewAddress, actor: .system, account: alice, subject: .mailboxPassword, address: "203.0.113.9", service: .smtp),
            AuditEvent(
                at: at, kind: .loginDenied, actor: .system, account: alice, reason: .thirdPartyBlocked, address: "198.51.100.7", service: .imap,
                context: .check, note: "third-party clients are blocked and 198.51.100.7 is in no secure network (none are set)"),
            AuditEvent(
                at: at, kind: .loginFromNewAddress, actor: .system, account: alice, subject: .appPassword(id: 1, label: "Phone"),
                address: "198.51.100.7", service: .imap, context: .check),
            AuditEvent(at: at, kind: .credentialRehashed, actor: .system, account: alice, subject: .mailboxPassword),
        ]
    }()

    /// A row as an earlier version wrote it.
    public struct LegacyRow: Sendable {
        public let actor: String
        public let account: String?
        public let action: String
        public let detail: String
        public let address: String?
        public let service: String?
        public let reason: String?
        /// Whether the sentence reads into fields (`false`: it is kept as the entry's note).
        public let isTyped: Bool
    }

    /// The sentences earlier versions wrote, one per form.
    public static let legacy: [LegacyRow] = {
        func row(
            _ action: String, _ detail: String, actor: String = "admin (root)", account: String? = "alice@example.com",
            address: String? = nil, service: String? = nil, reason: String? = nil, typed: Bool = true
        ) -> LegacyRow {
            LegacyRow(actor: actor, account: account, action: action, detail: detail, address: address, service: service, reason: reason, isTyped: typed)
        }
        return [
            row("store.initialized", "store created at /var/lib/clientpass/clientpass.sqlite for group mail", account: nil),
            row("store.initialized", "store created at /tmp/x.sqlite", account: nil),
            row("store.backed_up", "backup written to /backup/a: b.sqlite: 3 accounts, 5 app passwords", account: nil),
            row("store.restored", "store restored from /backup/c.sqlite: 3 accounts, 5 app passwords (it held 4 accounts, 6 app passwords)", account: nil),
            row("department.added", #"department "Sales \"East\"" added"#, account: nil),
            row("department.removed", #"department "Sales" removed"#, account: nil),
            row("account.added", #"account added in department "Sales""#),
            row("account.added", "account added"),
            row("account.removed", "account removed with its 1 app password"),
            row("account.removed", "account removed with its 2 app passwords"),
            row("account.services_changed", "services: IMAP on, POP3 off", typed: false),
            row("account.status_changed", "account disabled"),
            row("account.status_changed", "account enabled"),
            row("account.mailbox_password_changed", "mailbox password set"),
            row("account.mailbox_password_changed", "mailbox password set (reset)"),
            row("app_password.created", #"app password 3 "Phone" created"#, actor: "alice@example.com"),
            row("app_password.created", #"app password 4 "Scanner" created (protocols smtp; networks 10.0.3.0/24; expires 2026-12-31T17:00:00Z)"#),
            row("app_password.relabeled", #"app password 3 renamed from "Phone" to "iPhone \"Mail\"""#, actor: "alice@example.com"),
            row("app_password.revoked", #"app password 3 "Phone" revoked"#, actor: "alice@example.com"),
            row("app_password.revoked", #"app password 4 "Scanner" revoked (reset)"#),
            row("app_password.revoked", #"app password 5 "Laptop" revoked (all revoked)"#, actor: "alice@example.com"),
            row("policy.changed", "third-party clients allowed", account: nil),
            row("policy.changed", "third-party clients blocked", account: nil),
            row("policy.changed", "throttling: 5 failures per account and address, 50 per address, in 600 s", account: nil),
            row(
                "policy.changed", "throttling: 5 failures per account and address, 50 per address, 20 per account from unknown addresses, in 600 s",
                account: nil),
            row("policy.changed", "secure network 10.0.3.0/24 added (Head office)", account: nil),
            row("policy.changed", "secure network 2001:db8::/32 added", account: nil),
            row("policy.changed", "secure network 10.0.3.0/24 removed", account: nil),
            row("policy.changed", "secure-password enforcement off", account: nil),
            row("policy.changed", "secure-password enforcement on for all members", account: nil),
            row("policy.changed", "secure-password enforcement on for department Sales, bob@example.com", account: nil, typed: false),
            row("policy.changed", "made an exception to secure-password enforcement (keeps its mailbox password)"),
            row("policy.changed", "no longer an exception to secure-password enforcement"),
            row(
                "login.denied", "IMAP login from 198.51.100.7 denied: the account alice@example.com is disabled", actor: "clientpass",
                address: "198.51.100.7", service: "imap", reason: "account_disabled"),
            row(
                "login.new_address", #"app password 3 "Phone" used over IMAP from 203.0.113.9 for the first time"#, actor: "clientpass",
                address: "203.0.113.9", service: "imap"),
            row(
                "login.new_address", "mailbox password used over SMTP from 203.0.113.9 for the first time", actor: "clientpass",
                address: "203.0.113.9", service: "smtp"),
            row("credential.rehashed", #"app password 3 "Phone" rehashed with the configured Argon2id parameters"#, actor: "clientpass"),
            row("self_service.signed_in", "signed in to the self-service page from 198.51.100.7", actor: "alice@example.com", address: "198.51.100.7"),
            row(
                "self_service.signed_in", "confirmed the mailbox password on the self-service page from 198.51.100.7", actor: "alice@example.com",
                address: "198.51.100.7"),
            row(
                "self_service.sign_in_failed", "self-service sign-in from 198.51.100.7 failed: wrong mailbox password", actor: "clientpass",
                address: "198.51.100.7", reason: "bad_credential"),
            row(
                "self_service.sign_in_failed", "self-service sign-in from 198.51.100.7 failed: no such account", actor: "clientpass", account: nil,
                address: "198.51.100.7", reason: "unknown_account"),
            row(
                "self_service.sign_in_failed", "self-service sign-in from 198.51.100.7 refused: too many failed attempts from this address",
                actor: "clientpass", address: "198.51.100.7", reason: "throttled"),
            row("self_service.sign_in_failed", "self-service sign-in failed: wrong mailbox password", actor: "alice@example.com"),
            row("self_service.sign_in_failed", "self-service sign-in refused: the account is disabled", actor: "alice@example.com"),
            row("policy.changed", "something no version ever wrote", account: nil, typed: false),
        ]
    }()
}
