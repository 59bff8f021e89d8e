import ClientPassTestSupport
import Foundation
import Testing

/// The `clientpass` binary that `swift test` built beside the test bundle.
let clientpassBinary: URL = {
    if let override = ProcessInfo.processInfo.environment["CLIENTPASS_BIN"] {
        return URL(fileURLWithPath: override)
    }
    return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("clientpass")
}()

/// What one run of the binary did.
struct RunResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }

    func object() throws -> [String: Any] {
        try #require(try json() as? [String: Any], "not a JSON object: \(stdout)")
    }

    func array() throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "not a JSON array: \(stdout)")
    }
}

/// A temporary folder with a store path in it, removed at the end.
final class Sandbox {
    let folder: String
    /// The store the sandbox's commands use: a SQLite file in the folder, or the PostgreSQL URL
    /// it was made with.
    let store: String

    /// - Parameter store: a PostgreSQL URL for the sandbox's commands; by default a SQLite file
    ///   in the folder.
    init(store: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientpass-cli-\(UUID().uuidString)").path
        self.store = store ?? folder + "/store/clientpass.sqlite"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Runs `clientpass ARGS` with `CLIENTPASS_STORE` pointing into the sandbox, without a
    /// controlling terminal (through setsid) unless `terminal` is true.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> RunResult {
        var env = ProcessInfo.processInfo.environment
        env["CLIENTPASS_STORE"] = store
        for (key, value) in environment { env[key] = value }
        return try runProcess("/usr/bin/setsid", ["--wait", clientpassBinary.path] + arguments, stdin: stdin, environment: env, in: folder)
    }

    /// The same, as an employee: `--password-stdin` with the mailbox password.
    @discardableResult
    func runAsAlice(_ arguments: [String], password: String = alicePassword) throws -> RunResult {
        try run(arguments + ["--user", "alice@example.com", "--password-stdin"], stdin: password + "\n")
    }

    /// A store with department Sales and account alice@example.com.
    func makeStoreWithAlice() throws {
        try expectSuccess(run(["admin", "init"]))
        try expectSuccess(run(["admin", "department", "add", "Sales"]))
        try expectSuccess(run(["admin", "account", "add", "alice@example.com", "--department", "Sales", "--password-stdin"], stdin: alicePassword + "\n"))
    }

    /// A new app password of alice's, as she generates it.
    func generateAppPassword(label: String) throws -> String {
        let generated = try runAsAlice(["password", "generate", "--label", label, "--json"])
        return try #require(try generated.object()["password"] as? String, "\(generated)")
    }
}

func runProcess(_ executable: String, _ arguments: [String], stdin: String?, environment: [String: String], in directory: String) throws -> RunResult {
    let outPath = directory + "/out-\(UUID().uuidString)"
    let errPath = directory + "/err-\(UUID().uuidString)"
    defer {
        unlink(outPath)
        unlink(errPath)
    }
    let status = try spawnAndWait(executable, arguments, stdin: stdin, environment: environment, in: directory, stdout: outPath, stderr: errPath)
    return RunResult(
        status: status,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

func expectSuccess(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
}

/// `2026-11-29T08:15:00Z`
func isRFC3339UTC(_ value: Any?) -> Bool {
    guard let text = value as? String else { return false }
    return text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil
}

/// Signs in to the self-service page at `base` as a browser would (the form, its CSRF token, the
/// cookie), with Python's urllib; prints the URL it lands on, then the page.
func signInToPage(_ base: String, account: String, password: String, in folder: String) throws -> RunResult {
    try runProcess(
        "/usr/bin/python3",
        [
            "-c",
            """
            import http.cookiejar, re, sys, urllib.parse, urllib.request
            base = sys.argv[1]
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            form = opener.open(base + "/sign-in", timeout=10).read().decode()
            token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            fields = {"csrf": token, "account": sys.argv[2], "password": sys.stdin.readline().rstrip("\\n")}
            page = opener.open(base + "/sign-in", data=urllib.parse.urlencode(fields).encode(), timeout=30)
            print(page.geturl())
            print(page.read().decode())
            """, base, account,
        ], stdin: password + "\n", environment: [:], in: folder)
}
