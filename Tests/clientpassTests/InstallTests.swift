import Foundation
import Testing

/// `make install` and `make uninstall` into a temporary DESTDIR (with the binary `swift test`
/// built, so no release build is needed), and the systemd unit checked by systemd itself.
@Suite struct InstallTests {
    static let root = ReferenceTests.root

    func make(_ arguments: [String]) throws -> RunResult {
        try runProcess(
            "/usr/bin/make", ["-C", Self.root] + arguments + ["INSTALL_BINARY=\(clientpassBinary.path)"], stdin: nil,
            environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": "/tmp"], in: Self.root)
    }

    func files(under folder: String) -> [String: Int] {
        var found: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                found["/" + path] = (attributes?[.posixPermissions] as? NSNumber)?.intValue
            }
        }
        return found
    }

    @Test func installPutsEveryFileInPlaceAndUninstallRemovesThem() throws {
        let sandbox = try Sandbox()
        let destination = sandbox.folder + "/destdir"
        let install = try make(["install", "DESTDIR=\(destination)", "PREFIX=/usr/local"])
        #expect(install.status == 0, "\(install)")

        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/man").filter { $0.hasSuffix(".1") }
        var expected: [String: Int] = [
            "/usr/local/bin/clientpass": 0o755,
            "/usr/local/share/bash-completion/completions/clientpass": 0o644,
            "/usr/local/share/zsh/site-functions/_clientpass": 0o644,
            "/usr/local/share/fish/vendor_completions.d/clientpass.fish": 0o644,
            "/usr/local/lib/systemd/system/clientpass.service": 0o644,
            "/usr/local/share/clientpass/dovecot/clientpass.lua": 0o644,
        ]
        for page in pages { expected["/usr/local/share/man/man1/" + page] = 0o644 }
        #expect(files(under: destination) == expected)

        // The installed files are the ones in the tree, and the binary runs.
        for (installed, source) in [
            ("/usr/local/share/zsh/site-functions/_clientpass", "completions/_clientpass"),
            ("/usr/local/share/clientpass/dovecot/clientpass.lua", "contrib/dovecot/clientpass.lua"),
            ("/usr/local/share/man/man1/clientpass.serve.1", "man/clientpass.serve.1"),
        ] {
            #expect(FileManager.default.contentsEqual(atPath: destination + installed, andPath: Self.root + "/" + source), "\(installed)")
        }
        let help = try runProcess(destination + "/usr/local/bin/clientpass", ["--help"], stdin: nil, environment: [:], in: sandbox.folder)
        #expect(help.status == 0 && help.stdout.contains("USAGE: clientpass"))
        // Stripped: no symbol table left (`file` says "stripped"; the unstripped build is twice the size).
        let file = try runProcess("/usr/bin/file", [destination + "/usr/local/bin/clientpass"], stdin: nil, environment: [:], in: sandbox.folder)
        #expect(file.stdout.contains(", stripped"), "\(file.stdout)")
        let unit = try String(contentsOfFile: destination + "/usr/local/lib/systemd/system/clientpass.service", encoding: .utf8)
        for line in [
            "ExecStart=/usr/local/bin/clientpass serve", "User=clientpass", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/clientpass", "CapabilityBoundingSet=", "PrivateTmp=yes",
        ] {
            #expect(unit.split(separator: "\n").contains(Substring(line)), "\(line)")
        }
        // The unit sets no setting: the configuration file is the one place they are.
        #expect(!unit.split(separator: "\n").contains { $0.hasPrefix("Environment=") }, "\(unit)")

        let uninstall = try make(["uninstall", "DESTDIR=\(destination)", "PREFIX=/usr/local"])
        #expect(uninstall.status == 0, "\(uninstall)")
        #expect(files(under: destination).isEmpty)
    }

    /// systemd reads the installed unit without a warning (unknown keys, bad values, a missing
    /// executable).
    @Test func systemdAcceptsTheUnit() throws {
        let sandbox = try Sandbox()
        let prefix = sandbox.folder + "/prefix"
        #expect(try make(["install", "PREFIX=\(prefix)"]).status == 0)
        let verify = try runProcess(
            "/usr/bin/systemd-analyze", ["verify", "--man=no", prefix + "/lib/systemd/system/clientpass.service"],
            stdin: nil, environment: ["PATH": "/usr/bin:/bin"], in: sandbox.folder)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stderr.isEmpty, "\(verify.stderr)")
        // systemd's own rating of the sandboxing: 0 (locked down) to 10 (exposed).
        let security = try runProcess(
            "/usr/bin/systemd-analyze",
            [
                "security", "--offline=yes", "--no-pager",
                prefix + "/lib/systemd/system/clientpass.service",
            ],
            stdin: nil, environment: ["PATH": "/usr/bin:/bin", "SYSTEMD_COLORS": "0"], in: sandbox.folder)
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }
        // "→ Overall exposure level for clientpass.service: 1.4 OK 🙂" (or ":-)" without UTF-8).
        let exposure = line.flatMap { String($0).components(separatedBy: ".service: ").last?.split(separator: " ").first }
            .flatMap { Double($0) }
        #expect(exposure.map { $0 <= 2.0 } == true, "\(security)")
    }
}
