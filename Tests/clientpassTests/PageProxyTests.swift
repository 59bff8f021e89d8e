import ClientPassTestSupport
import Foundation
import Testing

/// docs/operations.md's nginx block for the page, run by a real nginx in front of two `serve`
/// nodes on one store, with the docs' settings for `serve`: an employee signs in (the form from
/// one node, the sign-in on the other), creates an app password, and the set-up link it gets
/// names the public URL and opens the Mail profile through nginx on the other node, once.
@Suite(.enabled(if: TestTier.outsideServers, "needs nginx (make test)")) struct PageProxyTests {
    @Test func theSetUpLinkOpensThroughTheDocumentedProxyOnTheOtherNode() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let port = try MailLab.freePorts(["nginx"])["nginx"]!
        let publicURL = "https://127.0.0.1:\(port)"
        let settings = try DocumentedBlock.text(
            "docs/operations.md", marker: "<!-- The block below is the one PageProxyTests runs (serve's settings)",
            substituting: [("https://passwords.example.com", publicURL)])
        try settings.write(toFile: sandbox.folder + "/clientpass.yaml", atomically: true, encoding: .utf8)
        let arguments = [
            "--config", sandbox.folder + "/clientpass.yaml",
            "--imap-server", "mail.example.com:993", "--smtp-server", "mail.example.com:587",
        ]
        let nodes = try (0..<2).map { try ServeProcess(sandbox: sandbox, arguments: arguments, log: "serve\($0).log") }

        let authority = try TestCertificateAuthority(in: sandbox.folder + "/ca")
        let (certificate, key) = try authority.issue("page", commonName: "127.0.0.1", extensions: ["subjectAltName=IP:127.0.0.1"])
        let page = try DocumentedBlock.text(
            "docs/operations.md", marker: "<!-- The block below is the one PageProxyTests runs (nginx in front",
            substituting: [
                ("server 127.0.0.1:8787;", nodes.map { "server 127.0.0.1:\($0.port);" }.joined(separator: " ")),
                ("listen 443 ssl;", "listen 127.0.0.1:\(port) ssl;"),
                ("/etc/nginx/passwords.example.com.pem", certificate), ("/etc/nginx/passwords.example.com.key", key),
            ])
        let folder = sandbox.folder
        try """
        daemon off;
        pid \(folder)/nginx.pid;
        error_log \(folder)/nginx-error.log info;
        events { worker_connections 64; }
        http {
        access_log off;
        \(page)
        }

        """.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let nginx = try launchServer(
            "/usr/sbin/nginx", ["-e", folder + "/nginx-startup.log", "-p", folder, "-c", folder + "/nginx.conf"],
            log: folder + "/nginx.out", in: folder)
        defer {
            nginx.terminate()
            nginx.waitUntilExit()
        }
        try MailLab.waitForListener(port)

        // One worker hands the nodes requests in turn, so each step below reaches the node the
        // step before did not; the logs say which node did what.
        let run = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import http.cookiejar, json, re, ssl, sys, urllib.error, urllib.parse, urllib.request
                base, cafile = sys.argv[1], sys.argv[2]
                context = ssl.create_default_context(cafile=cafile)
                opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                     urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
                def fetch(path, fields=None):
                    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
                    try:
                        response = opener.open(path if path.startswith("https:") else base + path, data=data, timeout=30)
                        return response.status, response.headers.get("Content-Type"), response.read().decode("utf-8", "replace")
                    except urllib.error.HTTPError as error:
                        return error.code, error.headers.get("Content-Type"), error.read().decode("utf-8", "replace")
                csrf = lambda page: re.search(r'name="csrf" value="([^"]+)"', page).group(1)
                _, _, form = fetch("/sign-in")
                status, _, home = fetch("/sign-in", {"csrf": csrf(form), "account": "alice@example.com", "password": sys.stdin.readline().rstrip("\\n")})
                signed_in = status == 200 and "alice@example.com" in home
                _, _, created = fetch("/passwords", {"csrf": csrf(home), "label": "iPhone", "expires": ""})
                link = re.search(r'href="([^"]+)" id="setup-link"', created).group(1)
                password = re.search(r'id="new-password"[^>]*>([a-z ]+)<', created).group(1).replace(" ", "")
                first = fetch(link)
                second = fetch(link)
                print(json.dumps({"signed_in": signed_in, "link": link, "status": first[0], "type": first[1],
                                  "has_password": "<string>" + password + "</string>" in first[2], "again": second[0]}))
                """, publicURL, authority.certificate,
            ], stdin: alicePassword + "\n", environment: [:], in: folder)
        let result = try #require(try? run.object(), "\(run)")
        #expect(result["signed_in"] as? Bool == true, "a sign-in form from one node signs in through the other: \(result)")
        #expect((result["link"] as? String)?.hasPrefix(publicURL + "/setup/") == true, "\(result)")
        #expect(result["status"] as? Int == 200 && result["type"] as? String == "application/x-apple-aspen-config", "\(result)")
        #expect(result["has_password"] as? Bool == true, "\(result)")
        #expect(result["again"] as? Int == 410, "once across both nodes: \(result)")

        let logs = try (0..<2).map { try String(contentsOfFile: folder + "/serve\($0).log", encoding: .utf8) }
        let creator = try #require(logs.firstIndex { $0.contains("self-service app password created") }, "\(logs)")
        let opener = try #require(logs.firstIndex { $0.contains("set-up link used") }, "\(logs)")
        #expect(creator != opener, "the link was made on one node and opened on the other: \(logs)")
        for node in nodes { node.stop() }
    }
}
