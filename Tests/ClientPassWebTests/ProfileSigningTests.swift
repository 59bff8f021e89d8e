import ClientPassTestSupport
@testable import ClientPassCore
@testable import ClientPassEdge
@testable import ClientPassWeb
import Foundation
import HummingbirdTesting
import Testing

/// Signed Mail profiles: CMS SignedData that `openssl cms -verify` accepts against the tests'
/// own CA, with the profile inside; and signing files that cannot work refused when loaded.
@Suite struct ProfileSigningTests: Sendable {
    let folder: String
    let authority: TestCertificateAuthority

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("signing-\(UUID().uuidString)").path
        authority = try TestCertificateAuthority(in: folder)
    }

    /// What `openssl cms -verify` makes of `signed` against the test CA: the content, or a failure.
    func verify(_ signed: Data) throws -> Data {
        try TestCertificateAuthority.openssl(
            ["cms", "-verify", "-inform", "DER", "-CAfile", authority.certificate, "-purpose", "any"],
            stdin: signed, in: folder)
    }

    @Test func theCreatedPageOffersASignedProfileThatVerifies() async throws {
        let (certificate, key) = try authority.issue("profiles", commonName: "Example Corp Mail Profiles")
        var page = PageConfiguration(mailServers: [
            .imap: MailServer(host: "mail.example.com", port: 993, security: .tls),
            .smtp: MailServer(host: "mail.example.com", port: 587, security: .starttls),
        ])
        page.profileSigner = try ProfileSigner(certificateFile: certificate, keyFile: key)
        let lab = try PageLab(page: page)
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let created = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "iPhone"), ("expires", "")])
            #expect(created.body.contains("(signed by Example Corp Mail Profiles: the device shows it as “Verified”)"))
            #expect(!created.body.contains("unsigned"))
            let link = try #require(created.firstMatch(#"href="([^"]+)" id="setup-link""#))
            let download = try await browser.get(String(link[link.range(of: "/setup/")!.lowerBound...]))
            #expect(download.status == .ok && download.headers[.contentType] == "application/x-apple-aspen-config")
            let signed = Data(download.bytes)
            #expect(!signed.starts(with: Data("<?xml".utf8)), "the download is DER, not the bare property list")
            let content = try verify(signed)
            let profile = try #require(try PropertyListSerialization.propertyList(from: content, format: nil) as? [String: Any])
            let mail = try #require((profile["PayloadContent"] as? [[String: Any]])?.first)
            let password = try #require(created.newPassword).replacingOccurrences(of: " ", with: "")
            #expect(mail["IncomingPassword"] as? String == password && mail["PayloadType"] as? String == "com.apple.mail.managed")
        }
    }

    @Test func anUnsignedProfileIsCalledSo() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let home = try await browser.get("/")
            let created = try await browser.post("/passwords", [("csrf", home.csrf!), ("label", "iPhone"), ("expires", "")])
            #expect(created.body.contains("(unsigned: the device shows it as “Not Verified”)"))
        }
    }

    /// Another CA's signature, or a changed byte, does not verify: the check above can fail.
    @Test func aTamperedOrForeignSignatureDoesNotVerify() throws {
        let (certificate, key) = try authority.issue("profiles", commonName: "Profiles")
        let signer = try ProfileSigner(certificateFile: certificate, keyFile: key)
        let plist = Data("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadType</key><string>Configuration</string></dict></plist>".utf8)
        let signed = try signer.sign(plist)
        #expect(try verify(signed) == plist)
        var tampered = signed
        let index = try #require(tampered.range(of: Data("Configuration".utf8))).lowerBound
        tampered[index] = UInt8(ascii: "X")
        #expect(throws: TestCertificateAuthority.Failure.self) { try verify(tampered) }
        let stranger = try TestCertificateAuthority(in: folder + "/other", name: "someone else")
        let (foreignCertificate, foreignKey) = try stranger.issue("profiles", commonName: "Profiles")
        let foreign = try ProfileSigner(certificateFile: foreignCertificate, keyFile: foreignKey).sign(plist)
        #expect(throws: TestCertificateAuthority.Failure.self) { try verify(foreign) }
    }

    /// Intermediates in the certificate file or a chain file travel with the signature, so a
    /// device that trusts only the root verifies it.
    @Test func intermediatesAreSentAlong() throws {
        let (intermediateCertificate, intermediateKey) = try authority.issue("intermediate", commonName: "Intermediate", isAuthority: true)
        // The intermediate issues the signing certificate.
        try TestCertificateAuthority.openssl(
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=Leaf",
            ], in: folder)
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n".write(toFile: folder + "/leaf.ext", atomically: true, encoding: .utf8)
        try TestCertificateAuthority.openssl(
            [
                "x509", "-req", "-in", "leaf.csr", "-CA", intermediateCertificate, "-CAkey", intermediateKey,
                "-CAcreateserial", "-out", "leaf.crt", "-days", "30", "-extfile", "leaf.ext",
            ], in: folder)
        let plist = Data("<plist/>".utf8)
        let alone = try ProfileSigner(certificateFile: folder + "/leaf.crt", keyFile: folder + "/leaf.key").sign(plist)
        #expect(throws: TestCertificateAuthority.Failure.self) { try verify(alone) }
        let withChain = try ProfileSigner(certificateFile: folder + "/leaf.crt", keyFile: folder + "/leaf.key", chainFile: intermediateCertificate)
        let verified = try verify(withChain.sign(plist))
        #expect(verified == plist, "\(String(decoding: verified, as: UTF8.self))")
        let bundle = try String(contentsOfFile: folder + "/leaf.crt", encoding: .utf8) + String(contentsOfFile: intermediateCertificate, encoding: .utf8)
        try bundle.write(toFile: folder + "/bundle.crt", atomically: true, encoding: .utf8)
        let bundled = try ProfileSigner(certificateFile: folder + "/bundle.crt", keyFile: folder + "/leaf.key")
        #expect(try verify(bundled.sign(plist)) == plist)
        #expect(bundled.name == "Leaf")
    }

    @Test func signingFilesThatCannotWorkAreRefusedWhenLoaded() throws {
        let (certificate, key) = try authority.issue("profiles", commonName: "Profiles")
        let (_, otherKey) = try authority.issue("other", commonName: "Other")
        try TestCertificateAuthority.openssl(["pkey", "-in", key, "-out", "encrypted.key", "-aes256", "-passout", "pass:secret words"], in: folder)
        try "not a certificate\n".write(toFile: folder + "/junk.crt", atomically: true, encoding: .utf8)
        let cases: [(certificate: String, key: String, date: Date, message: String)] = [
            (certificate, otherKey, Date(), "does not belong to the certificate"),
            (certificate, folder + "/encrypted.key", Date(), "it is encrypted"),
            (certificate, folder + "/missing.key", Date(), "cannot read the profile signing key"),
            (folder + "/junk.crt", key, Date(), "holds no PEM certificate"),
            (certificate, key, Date().addingTimeInterval(60 * 86_400), "expired on"),
            (certificate, key, Date().addingTimeInterval(-86_400), "is not valid before"),
        ]
        for item in cases {
            #expect {
                _ = try ProfileSigner(certificateFile: item.certificate, keyFile: item.key, at: item.date)
            } throws: { error in
                "\(error)".contains(item.message)
            }
        }
        let signer = try ProfileSigner(certificateFile: certificate, keyFile: key)
        #expect(signer.name == "Profiles" && signer.subject.contains("CN=Profiles"))
    }

    @Test func theConfigurationNamesBothFilesOrNeither() throws {
        let (config, problems) = ConfigFile.parse("profile_signing: { certificate: /etc/clientpass/p.crt, key: /etc/clientpass/p.key }\n")
        #expect(problems.isEmpty && config.profileSigning == ProfileSigningFiles(certificate: "/etc/clientpass/p.crt", key: "/etc/clientpass/p.key"))
        #expect(ConfigFile.parse("profile_signing: { certificate: /a.crt }\n").1.map(\.message) == ["profile_signing needs both certificate and key"])
        #expect(
            ConfigFile.parse("profile_signing: { certificate: /a, key: /b, password: x }\n").1.first?.message.contains(
                "unknown setting profile_signing.password") == true)
        let file = ProfileSigningFiles(certificate: "/file.crt", key: "/file.key")
        let variables = ProfileSigningFiles.environmentVariables
        #expect(try ProfileSigningFiles.resolve(environment: [:], file: file) == file)
        #expect(
            try ProfileSigningFiles.resolve(environment: [variables.certificate: "/env.crt", variables.key: "/env.key"], file: file)
                == ProfileSigningFiles(certificate: "/env.crt", key: "/env.key"))
        #expect(
            try ProfileSigningFiles.resolve(certificate: "/flag.crt", key: "/flag.key", environment: [variables.certificate: "/env.crt"], file: nil)
                == ProfileSigningFiles(certificate: "/flag.crt", key: "/flag.key"))
        #expect(throws: InputError.self) { try ProfileSigningFiles.resolve(environment: [variables.certificate: "/env.crt"], file: file) }
        #expect(throws: InputError.self) { try ProfileSigningFiles.resolve(environment: [variables.chain: "/chain.crt"], file: nil) }
        #expect(try ProfileSigningFiles.resolve(environment: [variables.chain: "/chain.crt"], file: file)?.chain == "/chain.crt")
        let problemsOnDisk = ConfigFile.parse("profile_signing: { certificate: \(folder)/none.crt, key: \(folder)/none.key }\n").0.checkFiles()
        #expect(problemsOnDisk.map(\.message) == ["profile_signing: cannot read the profile signing certificate file \(folder)/none.crt"])
    }
}
