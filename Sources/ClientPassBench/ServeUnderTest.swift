import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// `clientpass serve` on a free loopback port over the lab's store, warm path off, loaded by wrk
/// through `/auth/nginx` as nginx's mail proxy would ask.
final class ServeUnderTest {
    let port: Int
    let lab: BenchLab
    private let process = Process()
    private let sharedSecret: String
    private let script: String

    init(clientpass: String, lab: BenchLab) throws {
        self.lab = lab
        port = try freeLoopbackPort()
        sharedSecret = UUID().uuidString + UUID().uuidString
        let secretFile = lab.folder + "/shared-secret"
        try (sharedSecret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        chmod(secretFile, 0o600)
        process.executableURL = URL(fileURLWithPath: clientpass)
        process.arguments = [
            "serve", "--store", lab.storePath, "--listen", "127.0.0.1:\(port)", "--shared-secret-file", secretFile,
            "--imap-backend", "127.0.0.1:1143", "--warm-cache-seconds", "0", "--log-level", "warning",
        ]
        let log = lab.folder + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try waitForListener(port: port)

        // Each wrk request logs in as the next user, from that user's address.
        script = lab.folder + "/nginx-auth.lua"
        let users = lab.users.map { #"{"\#($0.name)", "\#($0.secret)", "\#($0.address)"}"# }.joined(separator: ",\n  ")
        try """
        local users = {
          \(users)
        }
        local threads = {}
        function setup(thread) table.insert(threads, thread) end
        function init(args) ok = 0; refused = 0; next_user = 0 end
        function request()
          next_user = next_user % #users + 1
          local user = users[next_user]
          return wrk.format("GET", "/auth/nginx", {
            ["Auth-Method"] = "plain", ["Auth-User"] = user[1], ["Auth-Pass"] = user[2],
            ["Auth-Protocol"] = "imap", ["Auth-Login-Attempt"] = "1", ["Client-IP"] = user[3],
            ["X-Clientpass-Secret"] = "\(sharedSecret)"})
        end
        function response(status, headers, body)
          local answer = nil
          for name, value in pairs(headers) do
            if string.lower(name) == "auth-status" then answer = value end
          end
          if status == 200 and answer == "OK" then ok = ok + 1 else refused = refused + 1 end
        end
        function done(summary, latency, requests)
          local allowed, others = 0, 0
          for _, thread in ipairs(threads) do
            allowed = allowed + thread:get("ok")
            others = others + thread:get("refused")
          end
          io.write(string.format("ALLOWED %d\\nREFUSED %d\\n", allowed, others))
        end
        """.write(toFile: script, atomically: true, encoding: .utf8)

        let user = lab.users[0]
        let answer = try httpGet(
            port: port, path: "/auth/nginx",
            headers: [
                ("Auth-Method", "plain"), ("Auth-User", user.name), ("Auth-Pass", user.secret), ("Auth-Protocol", "imap"),
                ("Auth-Login-Attempt", "1"), ("Client-IP", user.address), ("X-Clientpass-Secret", sharedSecret),
            ])
        guard answer.lowercased().contains("auth-status: ok") else { throw BenchError("serve did not allow a known login:\n\(answer)") }
    }

    var pid: Int32 { process.processIdentifier }

    /// Allowed logins a second through `/auth/nginx` under wrk (4 connections a core).
    func coldLoad(seconds: Int, wrk: String) throws -> Double {
        let cores = lab.cores
        let (status, output) = try runProgram(
            wrk,
            [
                "-t", String(cores), "-c", String(4 * cores), "-d", "\(seconds)s", "--timeout", "10s",
                "-s", script, "http://127.0.0.1:\(port)/auth/nginx",
            ])
        func number(after label: String) -> Double? {
            output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(label.count).trimmingCharacters(in: .whitespaces)) }
        }
        guard status == 0, let rate = number(after: "Requests/sec:"), let allowed = number(after: "ALLOWED"),
            let refused = number(after: "REFUSED")
        else {
            throw BenchError("wrk failed (exit \(status)):\n\(output)")
        }
        guard refused == 0, allowed > 0 else { throw BenchError("serve refused \(Int(refused)) of \(Int(allowed + refused)) logins under load") }
        return rate
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
