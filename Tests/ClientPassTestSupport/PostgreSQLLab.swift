import ClientPassCore
import Foundation
import Synchronization

/// A real PostgreSQL from Debian for the tests: one server per test process, in a temporary
/// folder, on a free loopback port and a Unix socket, started on first use and stopped when the
/// process ends (a watcher stops it even when the process is killed). `initdb` and `postgres`
/// refuse to run as root, so as root they run as `nobody`.
///
/// Logins over TCP need a password (SCRAM), read from a password file as clientpass reads it;
/// the socket trusts local users, for the lab's own administration with `psql`.
public final class PostgreSQLLab: Sendable {
    public let folder: String
    public let port: Int
    public let socketFolder: String
    /// The password file (mode 0600) that the stores' URLs name.
    public let passwordFile: String
    public let binaries: String
    private let server: Mutex<Process?>
    private static let databaseCounter = Mutex(0)

    public static let user = "clientpass"
    private static let password = "lab-" + UUID().uuidString

    /// The process's lab, started once.
    public static func shared() throws -> PostgreSQLLab {
        try started.withLock { lab in
            if let lab { return lab }
            let new = try PostgreSQLLab()
            lab = new
            return new
        }
    }

    /// A server of the caller's own, for a test that stops and starts it (the shared one serves
    /// other tests meanwhile).
    public static func makePrivate() throws -> PostgreSQLLab {
        try PostgreSQLLab()
    }

    private static let started = Mutex<PostgreSQLLab?>(nil)
    private static let lifelines = Mutex<[Pipe]>([])

    private init() throws {
        guard let binaries = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last.map({ "/usr/lib/postgresql/\($0)/bin" }),
            FileManager.default.isExecutableFile(atPath: binaries + "/postgres")
        else {
            throw LabError("no PostgreSQL in /usr/lib/postgresql: install Debian's postgresql package (make deps)")
        }
        self.binaries = binaries
        folder = NSTemporaryDirectory() + "clientpass-pg-" + UUID().uuidString.prefix(8)
        socketFolder = folder + "/socket"
        passwordFile = folder + "/pgpass"
        port = try Self.freePort()
        server = Mutex(nil)
        try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
        let superuserPassword = folder + "/superuser-password"
        try Self.password.write(toFile: superuserPassword, atomically: true, encoding: .utf8)
        try "127.0.0.1:\(port):*:\(Self.user):\(Self.password)\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o600)
        if getuid() == 0 {
            // The server's user owns its folders; the password file stays root's.
            for path in [folder, socketFolder, superuserPassword] { chown(path, 65534, 65534) }
        }
        try run(
            binaries + "/initdb",
            [
                "-D", folder + "/data", "-U", Self.user, "--pwfile", superuserPassword, "--auth-local=trust",
                "--auth-host=scram-sha-256", "--locale=C.UTF-8", "--encoding=UTF8", "--no-sync",
            ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The server stops when this test process goes, however it goes.
        let command = privileged([
            binaries + "/postgres", "-D", folder + "/data", "-p", String(port), "-k", socketFolder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "logging_collector=off",
        ])
        .map { "'" + $0 + "'" }.joined(separator: " ")
        let stop = privileged([binaries + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "stop"]).map { "'" + $0 + "'" }.joined(separator: " ")
        // The watcher reads a pipe only this process writes to: the end of the file is this
        // process's end (a zombie still answers `kill -0`, and `swift test` reaps its test
        // process only once every holder of its output has closed it).
        process.arguments = ["-c", "\(command) >>'\(folder)/server.log' 2>&1 </dev/null & cat >/dev/null; \(stop) >/dev/null 2>&1; rm -rf '\(folder)'"]
        let lifeline = Pipe()
        process.standardInput = lifeline
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Self.lifelines.withLock { $0.append(lifeline) }
        server.withLock { $0 = process }
        let deadline = Date().addingTimeInterval(30)
        while (try? psql("SELECT 1")) == nil {
            guard Date() < deadline else {
                let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
                throw LabError("PostgreSQL did not start within 30 s: \(log.suffix(2000))")
            }
            usleep(100_000)
        }
    }

    /// A new, empty database, and the URL of a store in it (over TCP, with the password file).
    public func makeDatabase() throws -> (name: String, url: String) {
        let number = Self.databaseCounter.withLock { value -> Int in
            value += 1
            return value
        }
        let name = "store_\(getpid())_\(number)"
        try psql("CREATE DATABASE \(name)")
        return (name, url(database: name))
    }

    public func url(database: String) -> String {
        "postgresql://\(Self.user)@127.0.0.1:\(port)/\(database)?sslmode=disable&passfile=\(passwordFile)"
    }

    /// Runs SQL as the superuser over the socket; returns what psql printed (unaligned, no headers).
    /// CPU seconds the server has used so far: the postmaster, its live processes (the
    /// connections' backends) and the ones it reaped. For the benchmark's cost of a login.
    public func serverCPUSeconds() throws -> Double {
        guard let pidLine = try String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8).split(separator: "\n").first,
            let postmaster = Int(pidLine)
        else {
            throw LabError("no postmaster.pid in \(folder)/data")
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") where Int(entry) != nil {
            // After the command's closing parenthesis: state, ppid, … utime (14), stime (15),
            // cutime (16), cstime (17), counting from pid as field 1.
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 14, let parent = Int(fields[1]) else { continue }
            let pid = Int(entry)!
            guard pid == postmaster || parent == postmaster else { continue }
            let own = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
            let reaped = pid == postmaster ? (Double(fields[13]) ?? 0) + (Double(fields[14]) ?? 0) : 0
            total += (own + reaped) / ticks
        }
        return total
    }

    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(
            binaries + "/psql",
            [
                "-h", socketFolder, "-p", String(port), "-U", Self.user, "-d", database, "-v", "ON_ERROR_STOP=1",
                "-A", "-t", "-q", "-c", sql,
            ], asServer: false)
    }

    /// The database goes away as in a restart or a failover: every connection to it is ended
    /// by the server, and new ones are refused until ``reopen(_:)``. Other databases on the
    /// shared server (other tests) are not touched.
    public func cutOff(_ database: String) throws {
        try psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
    }

    public func reopen(_ database: String) throws {
        try psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
    }

    /// Restarts the server as an administrator would (`pg_ctl restart -m fast`): every
    /// connection is ended, and for a moment nothing answers. Only for a private lab.
    public func restart() throws {
        let options = "-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        try spawnAndWait(
            privileged([
                binaries + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "-l", folder + "/restart.log",
                "-o", options, "restart",
            ]))
    }

    /// posix_spawn and waitpid, without Foundation's Process: pg_ctl leaves a server behind
    /// that keeps whatever Process uses to see its child end, and the wait would never return.
    private func spawnAndWait(_ command: [String]) throws {
        let status = try ClientPassTestSupport.spawnAndWait(
            command[0], Array(command.dropFirst()), stdin: nil, environment: ProcessInfo.processInfo.environment,
            in: "/", stdout: "/dev/null", stderr: "/dev/null")
        guard status == 0 else { throw LabError("\(command.last ?? "") failed: pg_ctl exited with status \(status)") }
    }

    private func privileged(_ arguments: [String]) -> [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + arguments : arguments
    }

    @discardableResult
    private func run(_ executable: String, output: Bool = true, _ arguments: [String], asServer: Bool = true) throws -> String {
        let process = Process()
        let command = asServer ? privileged([executable] + arguments) : [executable] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let pipe = Pipe()
        process.standardOutput = output ? pipe : FileHandle.nullDevice
        process.standardError = output ? pipe : FileHandle.nullDevice
        try process.run()
        try? pipe.fileHandleForWriting.close()
        let data = output ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw LabError("\((executable as NSString).lastPathComponent) failed: \(text)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func freePort() throws -> Int {
        let (descriptor, port) = try bindLoopbackSocket(listening: false)
        close(descriptor)
        return port
    }
}

public struct LabError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
