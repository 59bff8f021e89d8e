import Foundation
import Testing

/// `serve --tls-certificate --tls-key`: HTTPS on serve's own socket, with Secure cookies and
/// Strict-Transport-Security, and files that cannot be used refused before serving.
@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and its key, made with openssl.
    func makeCertificate(in sandbox: Sandbox) throws -> (certificate: String, key: String) {
        let certificate = sandbox.folder + "/tls.crt"
        let key = sandbox.folder + "/tls.key"
        let made = try runProcess(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            stdin: nil, environment: [:], in: sandbox.folder)
        #expect(made.status == 0, "\(made)")
        return (certificate, key)
    }

    @Test func servesHTTPSWithSecureCookies() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let (certificate, key) = try makeCertificate(in: sandbox)
        let serve = try ServeProcess(sandbox: sandbox, arguments: ["--tls-certificate", certificate, "--tls-key", key])
        // The client checks the certificate against the one made above: a real TLS handshake.
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, ssl, sys, urllib.error, urllib.request
                port, certificate = sys.argv[1], sys.argv[2]
                context = ssl.create_default_context(cafile=certificate)
                response = urllib.request.urlopen(f"https://127.0.0.1:{port}/sign-in", context=context, timeout=10)
                out = {"status": response.status, "cookies": response.headers.get_all("Set-Cookie"),
                       "hsts": response.headers.get("Strict-Transport-Security"), "version": response.fp.raw._sock.version()}
                # Every response says so: the machines' endpoints, an error, an unknown address.
                out["others"] = {}
                for path, body in [("/healthz", None), ("/auth/decide", b"{}"), ("/no-such-page", None), ("/api/v1/no-such", None)]:
                    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"})
                    try:
                        answer = urllib.request.urlopen(request, context=context, timeout=10)
                    except urllib.error.HTTPError as error:
                        answer = error
                    out["others"][path] = [answer.status, answer.headers.get("Strict-Transport-Security")]
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10)
                    out["plain"] = "answered"
                except Exception as error:
                    out["plain"] = "refused"
                print(json.dumps(out))
                """, String(serve.port), certificate,
            ], stdin: nil, environment: [:], in: sandbox.folder)
        let answer = try result.object()
        #expect(answer["status"] as? Int == 200, "\(result)")
        let cookies = answer["cookies"] as? [String] ?? []
        #expect(cookies.contains { $0.hasPrefix("clientpass_sign_in=") && $0.contains("Secure") && $0.contains("HttpOnly") }, "\(cookies)")
        #expect(answer["hsts"] as? String == "max-age=31536000")
        let others = answer["others"] as? [String: [Any]] ?? [:]
        #expect(others.count == 4 && others.values.allSatisfy { $0.last as? String == "max-age=31536000" }, "\(others)")
        #expect(others["/healthz"]?.first as? Int == 200 && others["/auth/decide"]?.first as? Int == 401, "\(others)")
        #expect(["TLSv1.2", "TLSv1.3"].contains(answer["version"] as? String ?? ""), "\(answer)")
        #expect(answer["plain"] as? String == "refused", "plain HTTP gets no page from a TLS socket")
    }

    @Test func unusableFilesAreRefusedBeforeServing() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let (certificate, key) = try makeCertificate(in: sandbox)
        let secret = sandbox.folder + "/secret"
        try "0123456789abcdef0123456789abcdef\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        for (arguments, message) in [
            (["--tls-certificate", certificate], "give both --tls-certificate and --tls-key"),
            (["--tls-certificate", sandbox.folder + "/none.crt", "--tls-key", key], "cannot use \(sandbox.folder)/none.crt as a TLS certificate"),
            (["--tls-certificate", certificate, "--tls-key", certificate], "cannot use \(certificate) as the TLS private key"),
            (["--profile-signing-certificate", certificate], "a profile signing certificate needs its key"),
            (
                ["--profile-signing-certificate", certificate, "--profile-signing-key", sandbox.folder + "/none.key"],
                "cannot read the profile signing key \(sandbox.folder)/none.key"
            ),
        ] {
            let refused = try sandbox.run(["serve", "--shared-secret-file", secret] + arguments)
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(arguments): \(refused)")
        }
        let path = sandbox.folder + "/clientpass.yaml"
        try "tls:\n  certificate: \(certificate)\n  key: \(sandbox.folder)/missing.key\n".write(toFile: path, atomically: true, encoding: .utf8)
        let check = try sandbox.run(["config", "check", path])
        #expect(check.status == 1 && check.stdout.contains("\(path):1: tls: cannot use \(sandbox.folder)/missing.key"), "\(check)")
        try "tls: { certificate: \(certificate) }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let half = try sandbox.run(["config", "check", path])
        #expect(half.status == 1 && half.stdout.contains("tls needs both certificate and key"), "\(half)")
        try "profile_signing:\n  certificate: \(certificate)\n  key: \(sandbox.folder)/missing.key\n".write(toFile: path, atomically: true, encoding: .utf8)
        let signing = try sandbox.run(["config", "check", path])
        #expect(
            signing.status == 1 && signing.stdout.contains("\(path):1: profile_signing: cannot read the profile signing key \(sandbox.folder)/missing.key"),
            "\(signing)")
        try "profile_signing:\n  certificate: \(certificate)\n  key: \(key)\n".write(toFile: path, atomically: true, encoding: .utf8)
        expectSuccess(try sandbox.run(["config", "check", path]))
    }
}
