import ClientPassTestSupport
import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The no-echo prompt on a real pseudo-terminal: the password typed at the prompt works and
/// never appears in what the terminal shows.
@Suite struct PasswordPromptTests {
    @Test func theMailboxPasswordIsAskedWithoutEcho() throws {
        let sandbox = try Sandbox()
        try sandbox.makeStoreWithAlice()
        let session = try TerminalSession(sandbox: sandbox, arguments: ["password", "generate", "--user", "alice@example.com", "--label", "Typed"])
        try session.waitFor("Mailbox password for alice@example.com: ")
        try session.type(alicePassword + "\n")
        let screen = try session.finish()
        #expect(session.status == 0, "\(screen)")
        #expect(screen.contains("New app password 1 \"Typed\""))
        #expect(!screen.contains(alicePassword))
    }

    @Test func aNewMailboxPasswordIsAskedTwiceAndMustMatch() throws {
        let sandbox = try Sandbox()
        expectSuccess(try sandbox.run(["admin", "init"]))
        let mismatch = try TerminalSession(sandbox: sandbox, arguments: ["admin", "account", "add", "bob"])
        try mismatch.waitFor("Mailbox password for bob: ")
        try mismatch.type("first password\n")
        try mismatch.waitFor("Repeat it: ")
        try mismatch.type("second password\n")
        let refused = try mismatch.finish()
        #expect(mismatch.status == 64)
        #expect(refused.contains("the two passwords differ"))
        #expect(!refused.contains("first password") && !refused.contains("second password"))

        let match = try TerminalSession(sandbox: sandbox, arguments: ["admin", "account", "add", "bob"])
        try match.waitFor("Mailbox password for bob: ")
        try match.type("bobs mailbox password\n")
        try match.waitFor("Repeat it: ")
        try match.type("bobs mailbox password\n")
        let added = try match.finish()
        #expect(match.status == 0, "\(added)")
        #expect(!added.contains("bobs mailbox password"))
        expectSuccess(try sandbox.run(["password", "list", "--user", "bob", "--password-stdin"], stdin: "bobs mailbox password\n"))
    }
}

/// clientpass running on a pseudo-terminal that is its controlling terminal (`setsid --ctty`).
final class TerminalSession {
    private let master: Int32
    private let process = Process()
    private var screen = ""

    init(sandbox: Sandbox, arguments: [String]) throws {
        // posix_openpt and friends are not in Swift's Glibc module; these are their ioctls.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        let TIOCSPTLCK: UInt = 0x4004_5431
        let TIOCGPTN: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            throw POSIXError(.EIO)
        }
        let slave = try FileHandle(forUpdating: URL(fileURLWithPath: "/dev/pts/\(number)"))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", "--wait", clientpassBinary.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CLIENTPASS_STORE"] = sandbox.store
        process.environment = environment
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    var status: Int32 { process.terminationStatus }

    /// Reads the terminal until `text` shows, for at most 30 seconds.
    func waitFor(_ text: String) throws {
        let deadline = Date() + 30
        while !screen.contains(text) {
            guard Date() < deadline, try readSome() else {
                Issue.record("\"\(text)\" never appeared; the terminal showed: \(screen)")
                throw POSIXError(.ETIMEDOUT)
            }
        }
    }

    func type(_ text: String) throws {
        let written = text.withCString { write(master, $0, strlen($0)) }
        guard written == text.utf8.count else { throw POSIXError(.EIO) }
    }

    /// Reads until the process ends and returns everything the terminal showed.
    func finish() throws -> String {
        while try readSome() {}
        process.waitUntilExit()
        return screen
    }

    /// One read with a timeout; false at end of output.
    private func readSome() throws -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 30_000) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        guard count > 0 else { return false }  // EIO once the last slave descriptor closes
        screen += String(decoding: buffer[0..<count], as: UTF8.self)
        return true
    }
}
