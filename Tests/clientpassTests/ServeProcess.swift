import Foundation
import Testing

/// Starts a server in the foreground, its output in `log`. Test threads block signals, and a
/// child inherits the mask: the server is executed through Python, which unblocks them first
/// (Dovecot waits for SIGCHLD from checkpassword; `serve` stops on SIGTERM).
func launchServer(
    _ executable: String, _ arguments: [String], log: String, in folder: String,
    environment: [String: String] = [:]
) throws -> Process {
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    server.arguments =
        [
            "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            executable,
        ] + arguments
    server.environment = ["PATH": "/usr/sbin:/usr/bin:/bin"].merging(environment) { $1 }
    server.currentDirectoryURL = URL(fileURLWithPath: folder)
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    server.standardOutput = handle
    server.standardError = handle
    server.standardInput = FileHandle.nullDevice
    try server.run()
    return server
}

/// `clientpass serve` on a free loopback port over a sandbox's store, stopped when released.
final class ServeProcess {
    let sandbox: Sandbox
    let port: Int
    let sharedSecret = "serve-test-secret-" + UUID().uuidString
    private let process: Process

    /// - Parameter store: the store's path or URL; the sandbox's file by default.
    /// - Parameter log: the file in the sandbox's folder its output goes to.
    init(sandbox: Sandbox, store: String? = nil, arguments: [String] = [], environment: [String: String] = [:], log: String = "serve.log") throws {
        self.sandbox = sandbox
        port = try MailLab.freePorts(["serve"])["serve"]!
        let secretFile = sandbox.folder + "/shared-secret"
        try (sharedSecret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        chmod(secretFile, 0o600)
        process = try launchServer(
            clientpassBinary.path,
            [
                "serve", "--store", store ?? sandbox.store, "--listen", "127.0.0.1:\(port)",
                "--shared-secret-file", secretFile,
            ] + arguments,
            log: sandbox.folder + "/" + log, in: sandbox.folder, environment: environment)
        try MailLab.waitForListener(port)
    }

    deinit { stop() }

    /// The server's process id (through Python's exec, the same process).
    var pid: pid_t { process.processIdentifier }

    /// Stops the server (SIGTERM) and waits for it to exit.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `POST /auth/decide`; the answer's JSON object.
    func decide(
        user: String = "alice@example.com", password: String, protocol service: String = "imap",
        address: String = "198.51.100.7"
    ) throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["user": user, "password": password, "protocol": service, "address": address])
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import sys, urllib.request
                request = urllib.request.Request("http://127.0.0.1:\(port)/auth/decide", data=sys.stdin.buffer.read(),
                    headers={"Authorization": "Bearer \(sharedSecret)", "Content-Type": "application/json"})
                print(urllib.request.urlopen(request, timeout=10).read().decode())
                """,
            ], stdin: String(decoding: body, as: UTF8.self), environment: [:], in: sandbox.folder)
        return try result.object()
    }

    /// `GET /auth/nginx` as nginx's mail proxy asks it (IMAP, plain); its `Auth-Status`.
    func nginxStatus(password: String, address: String = "198.51.100.7") throws -> String {
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import sys, urllib.parse, urllib.request
                request = urllib.request.Request("http://127.0.0.1:\(port)/auth/nginx", headers={
                    "X-Clientpass-Secret": "\(sharedSecret)", "Auth-Protocol": "imap", "Auth-Method": "plain",
                    "Auth-User": "alice@example.com", "Auth-Pass": urllib.parse.quote(sys.stdin.readline().rstrip("\\n")),
                    "Client-IP": "\(address)", "Auth-Login-Attempt": "1"})
                print(urllib.request.urlopen(request, timeout=30).headers.get("Auth-Status"))
                """,
            ], stdin: password + "\n", environment: [:], in: sandbox.folder)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `POST /auth/decide`, whatever its answer: the HTTP status, and the reason or decision
    /// (a temporary failure is a 503).
    func decideStatus(password: String, address: String = "198.51.100.7") throws -> (status: Int, answer: String) {
        let body = try JSONSerialization.data(withJSONObject: ["user": "alice@example.com", "password": password, "protocol": "imap", "address": address])
        let result = try runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys, urllib.request, urllib.error
                request = urllib.request.Request("http://127.0.0.1:\(port)/auth/decide", data=sys.stdin.buffer.read(),
                    headers={"Authorization": "Bearer \(sharedSecret)", "Content-Type": "application/json"})
                try:
                    response = urllib.request.urlopen(request, timeout=30)
                    status, text = response.status, response.read().decode()
                except urllib.error.HTTPError as error:
                    status, text = error.code, error.read().decode()
                try:
                    answer = json.loads(text)
                    print(status, answer.get("reason") or answer.get("decision"))
                except ValueError:
                    print(status, "-")
                """,
            ], stdin: String(decoding: body, as: UTF8.self), environment: [:], in: sandbox.folder)
        let parts = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? parts[1] : "")
    }
}
