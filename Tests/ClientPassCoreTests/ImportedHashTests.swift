import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

/// Hashes made by Dovecot 2.3's `doveadm pw -p 'Tr0ub4dor&3 ünïcode'` for each scheme an import
/// takes, and the salted digests by OpenLDAP's `slappasswd` too.
let importedPassword = "Tr0ub4dor&3 ünïcode"
let doveadmHashes: [String: String] = [
    "SHA512-CRYPT": "{SHA512-CRYPT}$6$E1/6.Hm7GZ5Q3unV$EfAjxbrIUNJLjGC8MxTQZOa3y5n1yk0uQ964.kba0tOTVEk4p3arXg21NK10dg.i7zcFVe0ute3Jq9lDhC34O/",
    "SHA512-CRYPT rounds":
        "{SHA512-CRYPT}$6$rounds=6000$EVvAESI1AOwCPHTC$QdRgCSM4wlIEvpCAzlQAEP6umQkoHi6Zt7WRAQHZSUgZHH1vOsbq96JNnOjqyRgKl6WupJlcpnf43su68Y.611",
    "SHA256-CRYPT": "{SHA256-CRYPT}$5$GxwyEPkSs/7zFA3V$GOoSdhuFOU9VwVw6yks3D4EkQ0hODSSXRRje3QEM689",
    "BLF-CRYPT": "{BLF-CRYPT}$2y$05$NGtTy1tukym6Gn3xOCNq3OxLKrl025jP1qkQUUVqt4kNXjC6ogVxy",
    "ARGON2ID": "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$GHMfmE8M2YQXTN05V8Heeg$iHxSyGuVk2VUzdXtlDntmluGc4VMxbEPwtltsH/ZGCY",
    "ARGON2I": "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$jXKHhtFzlrmfkHCQ6oo0gQ$tyqoNbXQlcpVMOjRDYBg4hf3IWjfsq6Tmym2TMGirgw",
    "MD5-CRYPT": "{MD5-CRYPT}$1$WqDx/8U4$bnuVJiwMu7Wo2QpCfTdz4/",
    "DES-CRYPT": "{DES-CRYPT}g9/s.8pzBIjLA",
    "SSHA512": "{SSHA512}n2Xik0KLn90lJsA+NsMd9sCABdA1FZayHsHxSr/p2zoJlu4MXl4AYrBqKMYPpyXwrK+YKocCwxAf46ofTUkfp7ycupM=",
    "SSHA256": "{SSHA256}vgpk11QMcNxhU/23R2DESUjBBxC3piV+4xyWnyv/BOIQVYRJ",
    "SSHA": "{SSHA}Lvv+iORNb44OSBtj5mIWPyCPv9/ssQ0M",
    "SMD5": "{SMD5}lEi+luhyrtCc9zz7/gowyUQxeR4=",
    // OpenLDAP's slappasswd (SSHA512 and SSHA256 with its pw-sha2 module), as in userPassword.
    "SSHA512 slappasswd": "{SSHA512}SdVQ74p9A3/wjXXdcXea+JDvI0pdEX7FFz83EwKGCp8ALYx1wXzbLg/IGtLCzrvL252C/berxKyVaXGHoToOXCdDRBYHySN8",
    "SSHA256 slappasswd": "{SSHA256}BZ+CkB2cjxyPyefrrUIKC0C1uz8vIzoiZrAJXUn+Z/0ovQtq6Hv1Jw==",
    "SSHA slappasswd": "{SSHA}chsgym2cptU9vrYaRBREsMJkhTi9ijlY",
    "SMD5 slappasswd": "{SMD5}eLpqUB7WaRKqdQfG3hhIwN8J7uQ=",
    "PLAIN": "{PLAIN}Tr0ub4dor&3 ünïcode",
]

@Suite struct ImportedHashTests {
    /// Every scheme opens with the right password and with nothing else.
    @Test(arguments: doveadmHashes.keys.sorted())
    func eachSchemeChecksTheRightPasswordOnly(scheme: String) throws {
        let hasher = MailboxPasswordHasher(parameters: cheapHashing.mailboxPassword)
        let parsed = try ImportedMailboxHash(parsing: doveadmHashes[scheme]!)
        #expect(try hasher.verify(Secret(importedPassword), against: parsed.stored))
        #expect(try !hasher.verify(Secret("tr0ub4dor&3 ünïcode"), against: parsed.stored))
        #expect(try !hasher.verify(Secret("Tr0ub4dor&3 ünïcod"), against: parsed.stored) || scheme == "DES-CRYPT")
        #expect(try !hasher.verify(Secret(""), against: parsed.stored))
        #expect(hasher.needsRehash(parsed.stored) == true, "an imported hash is always rehashed (ARGON2ID: another cost)")
        #expect(parsed.isWeak == ["MD5-CRYPT", "DES-CRYPT", "PLAIN", "SSHA512", "SSHA256", "SSHA", "SMD5"].contains(String(scheme.prefix { $0 != " " })))
    }

    /// DES-crypt reads 8 characters: one reason it is weak, and the reason its check stops there.
    @Test func desCryptIsWeakBecauseItReadsEightCharacters() throws {
        let stored = try ImportedMailboxHash(parsing: doveadmHashes["DES-CRYPT"]!).stored
        #expect(try MailboxPasswordHasher(parameters: cheapHashing.mailboxPassword).verify(Secret("Tr0ub4do and anything"), against: stored))
    }

    /// crypt() reads a C string: a secret with a NUL byte after the right password must not
    /// match as the password would.
    @Test func aSecretWithANulByteNeverMatchesACryptHash() throws {
        let stored = try ImportedMailboxHash(parsing: doveadmHashes["SHA512-CRYPT"]!).stored
        let withNul = Secret(bytes: Array(importedPassword.utf8) + [0] + Array("tail".utf8))
        #expect(try !MailboxPasswordHasher(parameters: cheapHashing.mailboxPassword).verify(withNul, against: stored))
    }

    /// {ARGON2ID} is libsodium's own string: kept as a native hash, checked by Argon2id.
    @Test func argon2idIsKeptAsANativeHash() throws {
        let parsed = try ImportedMailboxHash(parsing: doveadmHashes["ARGON2ID"]!)
        #expect(parsed.stored.hasPrefix("$argon2id$v=19$m=65536,t=3,p=1$"))
        #expect(try Argon2idHasher(parameters: cheapHashing.mailboxPassword).verify(Secret(importedPassword), against: parsed.stored))
        #expect(MailboxPasswordHasher.schemeName(parsed.stored) == "ARGON2ID")
    }

    /// {CRYPT} is named by the hash crypt() finds; {MD5} is Dovecot's MD5-crypt; names are
    /// case-insensitive; the stored form uses the canonical name.
    @Test func aliasesAreStoredUnderTheirCanonicalScheme() throws {
        let sha512 = String(doveadmHashes["SHA512-CRYPT"]!.dropFirst("{SHA512-CRYPT}".count))
        #expect(try ImportedMailboxHash(parsing: "{CRYPT}" + sha512).stored == "{SHA512-CRYPT}" + sha512)
        #expect(try ImportedMailboxHash(parsing: "{crypt}$2y$05$NGtTy1tukym6Gn3xOCNq3OxLKrl025jP1qkQUUVqt4kNXjC6ogVxy").schemeName == "BLF-CRYPT")
        #expect(try ImportedMailboxHash(parsing: "{CRYPT}g9/s.8pzBIjLA").isWeak)
        #expect(try ImportedMailboxHash(parsing: "{MD5}$1$WqDx/8U4$bnuVJiwMu7Wo2QpCfTdz4/").stored == doveadmHashes["MD5-CRYPT"])
        #expect(try ImportedMailboxHash(parsing: "{CLEARTEXT}secret words").stored == "{PLAIN}secret words")
    }

    @Test(arguments: [
        ("$6$E1/6.Hm7GZ5Q3unV$abc", "no {SCHEME}"),
        ("{SSHA512}c2FsdGVkaGFzaA==", "10 bytes, where a 64-byte digest and 1 to 64 bytes of salt belong"),
        ("{SSHA}" + Data(count: 20).base64EncodedString(), "20 bytes, where a 20-byte digest"),
        ("{SMD5}" + Data(count: 16 + 65).base64EncodedString(), "81 bytes"),
        ("{SSHA256}not base64!", "not base64"),
        ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "not a scheme clientpass checks"),
        ("{PLAIN-MD5}5f4dcc3b5aa765d61d8327deb882cf99", "not a scheme clientpass checks"),
        ("{SHA512-CRYPT}$5$GxwyEPkSs/7zFA3V$GOoSdhuFOU9VwVw6yks3D4EkQ0hODSSXRRje3QEM689", "prefix is not that of SHA512-CRYPT"),
        ("{SHA512-CRYPT}$6$salt$has:colon", "characters no crypt() hash has"),
        ("{BLF-CRYPT}$2y$15$NGtTy1tukym6Gn3xOCNq3OxLKrl025jP1qkQUUVqt4kNXjC6ogVxy", "costs too much"),
        (
            "{SHA512-CRYPT}$6$rounds=5000000$EVvAESI1AOwCPHTC$QdRgCSM4wlIEvpCAzlQAEP6umQkoHi6Zt7WRAQHZSUgZHH1vOsbq96JNnOjqyRgKl6WupJlcpnf43su68Y.611",
            "costs too much"
        ),
        ("{ARGON2ID}$argon2id$v=19$m=1048576,t=3,p=1$GHMfmE8M2YQXTN05V8Heeg$iHxSyGuVk2VUzdXtlDntmluGc4VMxbEPwtltsH/ZGCY", "costs too much"),
        ("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=4$GHMfmE8M2YQXTN05V8Heeg$iHxSyGuVk2VUzdXtlDntmluGc4VMxbEPwtltsH/ZGCY", "parallelism 1"),
        ("{ARGON2I}$argon2i$v=19$m=32768,t=2,p=1$jXKHhtFzlrmfkHCQ6oo0gQ$tyqoNbXQlcpVMOjRDYBg4hf3IWjfsq6Tmym2TMGirgw", "fewer than 3 passes"),
        ("{CRYPT}$7$CU..../....abc", "not a hash crypt() reads"),
        ("{SHA512-CRYPT}$6$broken", "digest is missing or cut short"),
        ("{SHA256-CRYPT}$5$GxwyEPkSs/7zFA3V$GOoSdhuFOU9VwVw6yks3D4EkQ0hODSSXRRje3QEM68", "digest is missing or cut short"),
        ("{BLF-CRYPT}$2y$05$NGtTy1tukym6Gn3xOCNq3O", "digest is missing or cut short"),
        ("{PLAIN}", "an empty password"),
    ])
    func malformedAndUnsupportedHashesAreRefusedAndSayWhy(hash: String, expected: String) {
        #expect { _ = try ImportedMailboxHash(parsing: hash) } throws: { error in
            "\(error)".contains(expected)
        }
    }

    /// An imported hash is checked in its scheme and then padded with one Argon2id evaluation of
    /// the configured cost, so that a wrong password for an imported account costs what one for
    /// an unknown account costs.
    @Test func anImportedCheckIsPaddedWithOneArgon2idEvaluation() throws {
        let counting = CountingHasher(cheapHashing.mailboxPassword)
        let hasher = MailboxPasswordHasher(argon2id: counting, parameters: cheapHashing.mailboxPassword)
        let stored = try ImportedMailboxHash(parsing: doveadmHashes["SHA256-CRYPT"]!).stored
        #expect(try !hasher.verify(Secret("wrong"), against: stored))
        #expect(counting.count == 1)
        #expect(try hasher.verify(Secret(importedPassword), against: stored))
        #expect(counting.count == 2)
    }

    /// An Argon2id hash cheaper than the configured mailbox cost (an imported {ARGON2ID} at
    /// m=8 KiB, t=1, or one made before the cost went up) is checked and then padded with one
    /// evaluation at the configured cost: a wrong password costs at least what one for an
    /// unknown account costs. One at the configured cost is checked once, as before.
    @Test func aCheapArgon2idHashIsPaddedToTheConfiguredCost() throws {
        let configured = Argon2idParameters(iterations: 2, memoryKiB: 64)
        let counting = CountingHasher(configured)
        let hasher = MailboxPasswordHasher(argon2id: counting, parameters: configured)
        let cheap = try Argon2idHasher(parameters: Argon2idParameters(iterations: 1, memoryKiB: 8)).hash(Secret(importedPassword))
        #expect(try !hasher.verify(Secret("wrong"), against: cheap))
        #expect(counting.count == 2, "the cheap check, then the padding")
        #expect(try hasher.verify(Secret(importedPassword), against: cheap))
        #expect(counting.count == 4)
        counting.reset()
        let current = try Argon2idHasher(parameters: configured).hash(Secret(importedPassword))
        #expect(try !hasher.verify(Secret("wrong"), against: current))
        #expect(counting.count == 1, "no padding at the configured cost")
        let dearer = try Argon2idHasher(parameters: Argon2idParameters(iterations: 3, memoryKiB: 64)).hash(Secret(importedPassword))
        #expect(try !hasher.verify(Secret("wrong"), against: dearer))
        #expect(counting.count == 2, "none above it")
    }

    /// An import refuses, line by line, an Argon2 hash that checkpassword cannot check under
    /// Dovecot's default 256 MiB address-space limit, or that costs seconds a login, unless
    /// allowed; the absolute limits hold even then.
    @Test func costlyArgon2HashesNeedTheirFlag() throws {
        let tail = "$GHMfmE8M2YQXTN05V8Heeg$iHxSyGuVk2VUzdXtlDntmluGc4VMxbEPwtltsH/ZGCY"
        let text = """
            ok@example.com:{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1\(tail)
            big@example.com:{ARGON2ID}$argon2id$v=19$m=262144,t=2,p=1\(tail)
            long@example.com:{ARGON2ID}$argon2id$v=19$m=131072,t=8,p=1\(tail)
            argon2i@example.com:{ARGON2I}$argon2i$v=19$m=262144,t=32,p=1\(tail)
            absurd@example.com:{ARGON2ID}$argon2id$v=19$m=524288,t=2,p=1\(tail)
            """
        let refused = AccountImportFile(parsing: text, format: .passwdFile, allowWeak: false)
        #expect(refused.entries.map(\.name.value) == ["ok@example.com"])
        #expect(refused.problems.map(\.line) == [2, 3, 4, 5])
        #expect(refused.problems[0].message.contains("needs 256 MiB to check, more than the 128 MiB"), "\(refused.problems[0])")
        #expect(refused.problems[1].message.contains("8 passes over 128 MiB"), "\(refused.problems[1])")
        #expect(refused.problems[2].message.contains("--allow-costly"))
        #expect(refused.problems[3].message.contains("costs too much to check"), "\(refused.problems[3])")
        let allowed = AccountImportFile(parsing: text, format: .passwdFile, allowWeak: false, allowCostly: true)
        #expect(allowed.entries.map(\.line) == [1, 2, 3, 4])
        #expect(allowed.problems.map(\.line) == [5], "256 MiB and 32 passes stay the limit")
    }

    /// A line split wrongly (a space, a semicolon) has the hash, or the password, in its first
    /// field: a problem never shows it, in any format.
    @Test(arguments: [
        ("bob@example.com {PLAIN}hunter2secret", AccountImportFile.Format.passwdFile),
        ("bob@example.com;{PLAIN}hunter2secret", .passwdFile),
        ("hunter2secret", .passwdFile),
        ("bob@example.com\t{PLAIN}hunter2secret", .passwdFile),
        ("bob@example.com;Sales;{PLAIN}hunter2secret", .csv),
        ("bob@example.com {PLAIN}hunter2secret", .csv),
        ("bob@example.com,{PLAIN}hunter2secret,Sales", .csv),
        ("bob@example.com,{hunter2secret},x", .csv),
        ("bob@example.com:{hunter2 secret}", .passwdFile),
    ])
    func aProblemNeverShowsAPassword(line: String, format: AccountImportFile.Format) {
        let file = AccountImportFile(parsing: line + "\n", format: format, allowWeak: true)
        #expect(file.entries.isEmpty && file.problems.count == 1)
        for problem in file.problems {
            let shown = (problem.name ?? "") + " " + problem.message
            #expect(!shown.lowercased().contains("hunter2"), "\(shown)")
        }
    }

    /// A damaged imported hash in the store is a failure to check, never a match and never a
    /// plain mismatch.
    @Test func aDamagedStoredImportedHashIsAnError() {
        let hasher = MailboxPasswordHasher(parameters: cheapHashing.mailboxPassword)
        #expect(throws: HashingError.self) { try hasher.verify(Secret("x"), against: "{SSHA}abc") }
    }
}

@Suite struct AccountImportFileTests {
    @Test func readsAPasswdFileWithCommentsAndExtraFields() throws {
        let text = """
            # users of mail.example.com
            alice@example.com:\(doveadmHashes["SHA512-CRYPT"]!)::::::

            bob@example.com:\(doveadmHashes["BLF-CRYPT"]!):1000:1000::/home/bob::userdb_quota_rule=*:storage=1G
            """
        let file = AccountImportFile(parsing: text.replacingOccurrences(of: "\n", with: "\r\n"), format: .passwdFile, allowWeak: false)
        #expect(file.problems.isEmpty)
        #expect(file.entries.map(\.name.value) == ["alice@example.com", "bob@example.com"])
        #expect(file.entries.map(\.line) == [2, 4])
        #expect(file.entries.map(\.hash.schemeName) == ["SHA512-CRYPT", "BLF-CRYPT"])
    }

    /// Each bad line is a problem with its number and name, and the hash never appears: a
    /// {PLAIN} hash is the password itself.
    @Test func problemsNameTheLineAndNeverTheHash() throws {
        let text = """
            alice@example.com:{PLAIN}plain-secret-words
            bad name:\(doveadmHashes["SHA256-CRYPT"]!)
            carol@example.com:{SSHA}c2VjcmV0LXNhbHRlZA==
            dave@example.com
            alice@example.com:\(doveadmHashes["SHA256-CRYPT"]!)
            erin@example.com:
            frank@example.com:\(doveadmHashes["SHA256-CRYPT"]!)
            """
        let file = AccountImportFile(parsing: text, format: .passwdFile, allowWeak: false)
        #expect(file.problems.map(\.line) == [1, 2, 3, 4, 6])
        #expect(file.entries.map(\.name.value) == ["alice@example.com", "frank@example.com"])
        #expect(file.problems[0].message.contains("--allow-weak"))
        #expect(file.problems[2].message.contains("{SSHA}"))
        for problem in file.problems {
            #expect(!problem.message.contains("plain-secret-words") && !problem.message.contains("c2VjcmV0"))
        }
        // Allowed weak: alice's line 1 is taken, and line 5 names her again.
        let allowed = AccountImportFile(parsing: text, format: .passwdFile, allowWeak: true)
        #expect(allowed.entries.map(\.name.value) == ["alice@example.com", "frank@example.com"])
        #expect(allowed.problems.first { $0.line == 5 }?.message == "the same account as line 1")
    }

    @Test func readsCSVWithAHeaderQuotesAndDepartments() throws {
        let text = """
            name,department,hash\r
            alice@example.com,Sales,\(doveadmHashes["SHA512-CRYPT"]!)\r
            "bob@example.com","Research, Europe",\(doveadmHashes["ARGON2I"]!)
            carol@example.com,,"{PLAIN}she said ""hi"", then
            left"
            erin@example.com,Sales,"\(doveadmHashes["ARGON2ID"]!)"
            dave@example.com,Sales
            """
        let file = AccountImportFile(parsing: text, format: .csv, allowWeak: true)
        #expect(file.entries.map(\.name.value) == ["alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com"], "\(file.problems)")
        try #require(file.entries.count == 4)
        #expect(file.entries.map { $0.department?.value } == ["Sales", "Research, Europe", nil, "Sales"])
        #expect(file.entries.map(\.hash.schemeName) == ["SHA512-CRYPT", "ARGON2I", "PLAIN", "ARGON2ID"])
        #expect(file.entries[2].hash.stored == "{PLAIN}she said \"hi\", then\nleft")
        // The name is not shown: with a field missing, the first may be anything.
        #expect(file.problems == [.init(line: 7, name: nil, message: "2 fields where CSV lines are name,department,hash; the line is not shown")])
    }

    @Test func anUnclosedQuoteIsAProblem() {
        let file = AccountImportFile(parsing: "alice@example.com,Sales,\"{PLAIN}abc\n", format: .csv, allowWeak: true)
        #expect(file.entries.isEmpty)
        #expect(file.problems.first?.message.contains("not closed") == true)
    }
}

@Suite struct ImportedAccountTests {
    /// The import is one transaction: a name that exists stops it, and nothing of it stays
    /// (not even the departments it created).
    @Test func anImportIsAllOrNothing() throws {
        let fixture = try TestStore()
        let entries = AccountImportFile(
            parsing: """
                zoe@example.com,Research,\(doveadmHashes["SHA512-CRYPT"]!)
                alice@example.com,Research,\(doveadmHashes["SHA512-CRYPT"]!)
                """, format: .csv, allowWeak: false
        ).entries
        #expect(entries.count == 2)
        #expect { _ = try fixture.manager.importAccounts(entries, by: fixture.admin) } throws: { error in
            (error as? AccountError)?.kind == .accountExists
        }
        #expect(try fixture.store.account(named: AccountName(validating: "zoe@example.com")) == nil)
        #expect(try fixture.store.departments().isEmpty)

        let planned = try fixture.manager.planImport(
            """
            zoe@example.com,Research,\(doveadmHashes["SHA512-CRYPT"]!)
            ALICE@example.com,Research,\(doveadmHashes["SHA512-CRYPT"]!)
            """, format: .csv, allowWeak: false)
        #expect(planned.problems.map(\.line) == [2])
        let result = try fixture.manager.importAccounts(planned.entries, by: fixture.admin)
        #expect(result.accounts.map(\.name) == ["zoe@example.com"])
        #expect(result.createdDepartments == ["Research"])
        let audit = try fixture.store.auditEvents(account: "zoe@example.com", since: nil, limit: 10)
        #expect(audit.first?.kind == .accountAdded && audit.first?.context == .import)
        #expect(audit.first?.new?["mailbox_password_scheme"]?.text == "SHA512-CRYPT")
    }

    /// The first login with the mailbox password is checked against the imported hash and
    /// replaces it with Argon2id at the configured cost; a wrong one changes nothing.
    @Test(arguments: ["SHA512-CRYPT", "BLF-CRYPT", "ARGON2I", "PLAIN"])
    func theFirstLoginRehashesToArgon2id(scheme: String) async throws {
        let fixture = try TestStore()
        _ = try fixture.store.setThirdPartyClients(.allowed, by: fixture.admin, at: fixture.clock.now)
        let entries = AccountImportFile(parsing: "zoe@example.com:\(doveadmHashes[scheme]!)", format: .passwdFile, allowWeak: true).entries
        _ = try fixture.manager.importAccounts(entries, by: fixture.admin)
        let engine = DecisionEngine(store: fixture.store, pool: HashingPool(size: 1), now: { fixture.clock.now })
        func login(_ secret: String) async throws -> Decision {
            try await engine.decide(LoginRequest(user: "zoe@example.com", secret: Secret(secret), service: .imap, address: IPAddress("198.51.100.7")!))
        }
        #expect(try await login("not the password").isAllowed == false)
        #expect(try fixture.account("zoe@example.com").mailboxPasswordHash.hasPrefix("{"))
        #expect(try await login(importedPassword).isAllowed)
        let rehashed = try fixture.account("zoe@example.com").mailboxPasswordHash
        #expect(rehashed.hasPrefix("$argon2id$v=19$m=\(cheapHashing.mailboxPassword.memoryKiB),t=\(cheapHashing.mailboxPassword.iterations),"))
        #expect(try await login(importedPassword).isAllowed)
        #expect(try fixture.store.auditEvents(account: "zoe@example.com", since: nil, limit: 20).contains { $0.kind == .credentialRehashed })
    }

    /// A store from before imports is rebuilt with the wider check: rows, foreign keys, indexes
    /// and the generation triggers are all still there, and an imported hash now fits.
    @Test func theAccountTableRebuildKeepsEverything() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
        try SQLiteStore.migrator.migrate(queue, upTo: "2026-11-30 help desk")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO store_meta (id, selector_key, created_at) VALUES (1, zeroblob(32), '2026-11-29 00:00:00.000')")
            try db.execute(sql: "INSERT INTO domain_policy (id, updated_at) VALUES (1, '2026-11-29 00:00:00.000')")
            try db.execute(
                sql: """
                    INSERT INTO account (id, name, name_key, mailbox_password_hash, created_at, updated_at, help_desk)
                    VALUES (7, 'alice', 'alice', '$argon2id$v=19$m=8,t=1,p=1$x$y', '2026-11-29 00:00:00.000', '2026-11-29 00:00:00.000', 1)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO app_password (account_id, id, label, selector, hash, issued_by, created_at)
                    VALUES (7, 1, 'Phone', 'abcdefghijkl', '$argon2id$v=19$m=8,t=1,p=1$x$y', 'alice', '2026-11-29 00:00:00.000')
                    """)
            try db.execute(sql: "INSERT INTO enforcement_exception (account_id, note) VALUES (7, 'the CEO')")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE account SET mailbox_password_hash = '{SHA512-CRYPT}$6$a$b' WHERE id = 7")
            }
        }
        try queue.close()
        let store = try SQLiteStore(openingAt: path)
        try store.writer.write { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM app_password WHERE account_id = 7") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enforcement_exception WHERE account_id = 7") == 1)
            #expect(try Bool.fetchOne(db, sql: "SELECT help_desk FROM account WHERE id = 7") == true)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'account' AND type = 'trigger' ORDER BY name")
                    == ["generation_account_delete", "generation_account_insert", "generation_account_update"])
            #expect(
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'account' AND type = 'index' AND sql IS NOT NULL")
                    == ["account_department"])
            let generation = try Int.fetchOne(db, sql: "SELECT generation FROM store_meta") ?? -1
            try db.execute(sql: "UPDATE account SET mailbox_password_hash = '{SHA512-CRYPT}$6$a$b' WHERE id = 7")
            #expect(try Int.fetchOne(db, sql: "SELECT generation FROM store_meta") == generation + 1)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE account SET mailbox_password_hash = 'plain' WHERE id = 7")
            }
            // Cascades still run from the rebuilt table.
            try db.execute(sql: "DELETE FROM account WHERE id = 7")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM app_password") == 0)
        }
    }
}
