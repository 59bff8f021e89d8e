import ClientPassTestSupport
import Foundation
import Testing

/// `admin backup`, `admin restore` and `admin export` through the real binary.
@Suite struct BackupTests {
    /// Backups taken while another process keeps adding accounts (each with its audit entry, in
    /// one transaction) restore to consistent stores: every account has its entry, no more, no
    /// fewer, and SQLite finds nothing damaged.
    @Test func aBackupTakenWhileAnotherProcessWritesRestoresToAConsistentStore() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = [
            "-c",
            """
            i=0
            while [ $i -lt 40 ]; do
                echo "password $i of the writer" | "$0" admin account add "writer$i@example.com" --password-stdin >/dev/null || exit 1
                i=$((i + 1))
            done
            """, clientpassBinary.path,
        ]
        writer.environment = ["CLIENTPASS_STORE": sandbox.store, "PATH": "/usr/bin:/bin"]
        try writer.run()
        var backups: [String] = []
        for index in 0..<4 {
            usleep(300_000)
            let path = sandbox.folder + "/backup-\(index).sqlite"
            let result = try sandbox.run(["admin", "backup", path, "--json"])
            #expect(result.status == 0, "\(result)")
            backups.append(path)
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)

        var sizes: Set<Int> = []
        for backup in backups {
            #expect(try mode(backup) == 0o600)
            let copy = try Sandbox()
            try copy.makeStoreWithAlice()
            let restored = try copy.run(["admin", "restore", backup, "--yes", "--json"])
            #expect(restored.status == 0, "\(restored)")
            let accounts = try copy.run(["admin", "account", "list", "--json"]).array().compactMap { $0["name"] as? String }
            let audit = try copy.run(["admin", "audit", "--json", "--limit", "1000"]).array()
            let added = audit.filter { $0["action"] as? String == "account.added" }.compactMap { $0["account"] as? String }
            #expect(Set(accounts) == Set(added), "accounts and their audit entries disagree in \(backup)")
            #expect(accounts.count == added.count)
            sizes.insert(accounts.count)
            // Logins work on the restored store: the selector key came with the hashes.
            let check = try copy.run(
                ["check", "--user", "alice@example.com", "--protocol", "imap", "--from", "127.0.0.1", "--json"],
                stdin: alicePassword + "\n")
            #expect(check.status == 0, "\(check)")
        }
        #expect(sizes.count > 1 || sizes.first == 41, "the backups all saw the same moment: \(sizes)")
    }

    @Test func restoreChecksTheFileFirstAndChangesNothingOnARefusal() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let good = sandbox.folder + "/good.sqlite"
        expectSuccess(try sandbox.run(["admin", "backup", good]))
        let before = try sandbox.run(["admin", "export"]).stdout

        let text = sandbox.folder + "/notes.txt"
        try "not a database\n".write(toFile: text, atomically: true, encoding: .utf8)
        let foreign = sandbox.folder + "/foreign.sqlite"
        _ = try runProcess(
            "/usr/bin/python3", ["-c", "import sqlite3; c = sqlite3.connect('\(foreign)'); c.execute('CREATE TABLE t (x)'); c.commit()"],
            stdin: nil, environment: [:], in: sandbox.folder)
        let newer = sandbox.folder + "/newer.sqlite"
        try FileManager.default.copyItem(atPath: good, toPath: newer)
        _ = try runProcess(
            "/usr/bin/python3",
            ["-c", "import sqlite3; c = sqlite3.connect('\(newer)'); c.execute(\"INSERT INTO grdb_migrations VALUES ('2099-01-01 future')\"); c.commit()"],
            stdin: nil, environment: [:], in: sandbox.folder)
        let damaged = sandbox.folder + "/damaged.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        for offset in stride(from: 4096, to: min(bytes.count, 40_960), by: 7) { bytes[offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: damaged))

        for (path, message) in [
            (sandbox.folder + "/missing.sqlite", "no backup at"), (text, "not a clientpass store: restore from a file made by `clientpass admin backup`"),
            (foreign, "not a clientpass store: restore from a file made by `clientpass admin backup`"), (newer, "newer clientpass"), (damaged, "damaged"),
        ] {
            for arguments in [["admin", "restore", path], ["admin", "restore", path, "--yes"]] {
                let result = try sandbox.run(arguments)
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            }
        }
        let after = try sandbox.run(["admin", "export"]).stdout
        #expect(Self.withoutExportTime(after) == Self.withoutExportTime(before))
        // Without --yes, a good backup is only checked.
        let dryRun = try sandbox.run(["admin", "restore", good])
        #expect(dryRun.status == 0 && dryRun.stdout.contains("Nothing was changed"), "\(dryRun)")
    }

    @Test func backupNeverOverwrites() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let path = sandbox.folder + "/exists.txt"
        try "keep me\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["admin", "backup", path])
        #expect(result.status == 1 && result.stderr.contains("already exists"), "\(result)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
        let folder = try FileManager.default.contentsOfDirectory(atPath: sandbox.folder)
        #expect(!folder.contains { $0.contains(".partial-") })
    }

    /// A restore reaches a running server at its next login, warm path included.
    @Test func aRestoreReachesARunningServer() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.run(["admin", "policy", "third-party-clients", "allow"]))
        expectSuccess(try sandbox.run(["admin", "account", "disable", "alice@example.com"]))
        let disabled = sandbox.folder + "/disabled.sqlite"
        expectSuccess(try sandbox.run(["admin", "backup", disabled]))
        expectSuccess(try sandbox.run(["admin", "account", "enable", "alice@example.com"]))
        let serve = try ServeProcess(sandbox: sandbox)
        _ = try serve.decide(password: alicePassword)
        #expect(try serve.decide(password: alicePassword)["warm"] as? Bool == true)
        expectSuccess(try sandbox.run(["admin", "restore", disabled, "--yes"]))
        #expect(try serve.decide(password: alicePassword)["reason"] as? String == "account_disabled")
    }

    @Test func exportShowsNoHashUnlessAsked() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        expectSuccess(try sandbox.runAsAlice(["password", "generate", "--label", "Phone"]))
        expectSuccess(try sandbox.run(["admin", "network", "add", "10.0.0.0/8", "--note", "office"]))
        let plain = try sandbox.run(["admin", "export"])
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("$argon2id"))
        let object = try plain.object()
        let accounts = try #require(object["accounts"] as? [[String: Any]])
        #expect(accounts.first?["name"] as? String == "alice@example.com")
        #expect((accounts.first?["app_passwords"] as? [[String: Any]])?.first?["label"] as? String == "Phone")
        let policy = try #require(object["policy"] as? [String: Any])
        #expect((policy["secure_networks"] as? [[String: Any]])?.first?["network"] as? String == "10.0.0.0/8")
        let throttling = try #require(policy["throttling"] as? [String: Any])
        #expect(throttling["account_failures"] as? Int == 10 && throttling["address_failures"] as? Int == 100)
        #expect(throttling["account_wide_failures"] as? Int == 50 && throttling["window_seconds"] as? Int == 900)
        let withHashes = try sandbox.run(["admin", "export", "--include-hashes"])
        let hashed = try #require(try withHashes.object()["accounts"] as? [[String: Any]]).first
        #expect((hashed?["mailbox_password_hash"] as? String)?.hasPrefix("$argon2id$") == true)
        #expect(((hashed?["app_passwords"] as? [[String: Any]])?.first?["hash"] as? String)?.hasPrefix("$argon2id$") == true)
    }

    static func withoutExportTime(_ json: String) -> String {
        json.split(separator: "\n").filter { !$0.contains("exported_at") }.joined(separator: "\n")
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
