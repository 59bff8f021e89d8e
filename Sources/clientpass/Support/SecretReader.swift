import ArgumentParser
import ClientPassCore
import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads secrets without putting them in argv, the environment or the terminal's echo: from the
/// first line of standard input, or from a no-echo prompt on the controlling terminal.
enum SecretReader {
    static let maximumBytes = 4096

    /// - Parameters:
    ///   - fromStandardInput: read the first line of stdin instead of prompting.
    ///   - prompt: what to ask on the terminal.
    /// - Throws: ``ValidationError`` when there is no terminal to ask, or the input is empty or too long.
    static func read(fromStandardInput: Bool, prompt: String) throws -> Secret {
        let secret = fromStandardInput ? try readLine(from: STDIN_FILENO, what: "standard input") : try ask(prompt)
        guard !secret.isEmpty else {
            throw ValidationError(
                fromStandardInput ? "the first line of standard input is empty: send the password followed by a newline" : "no password given")
        }
        return secret
    }

    /// Asks twice on the terminal and insists the answers match (a new password).
    static func readNew(fromStandardInput: Bool, prompt: String) throws -> Secret {
        let first = try read(fromStandardInput: fromStandardInput, prompt: prompt)
        if fromStandardInput { return first }
        let second = try read(fromStandardInput: false, prompt: "Repeat it: ")
        let same = first.withUnsafeBytes { a in second.withUnsafeBytes { b in a.elementsEqual(b) } }
        guard same else { throw ValidationError("the two passwords differ; nothing was changed") }
        return first
    }

    /// One line (without its `\n` or `\r\n`) read byte by byte, so nothing after it is consumed.
    static func readLine(from descriptor: Int32, what: String) throws -> Secret {
        var bytes = [UInt8]()
        defer { bytes.withUnsafeMutableBytes { Secret.wipe($0) } }
        var byte: UInt8 = 0
        while true {
            let count = Glibc.read(descriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
            guard bytes.count <= maximumBytes else {
                throw ValidationError("the password on \(what) is longer than \(maximumBytes) bytes")
            }
        }
        byte = 0
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return Secret(bytes: bytes)
    }

    private static func ask(_ prompt: String) throws -> Secret {
        let terminal = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else {
            throw ValidationError("there is no terminal to ask for the password on: pass --password-stdin and send it on standard input")
        }
        defer { close(terminal) }
        var original = termios()
        guard tcgetattr(terminal, &original) == 0 else {
            throw ValidationError("cannot turn off echo on the terminal: pass --password-stdin and send the password on standard input")
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        TerminalRestorer.install(descriptor: terminal, settings: original)
        defer { TerminalRestorer.restore() }
        _ = tcsetattr(terminal, TCSAFLUSH, &silent)
        _ = prompt.withCString { write(terminal, $0, strlen($0)) }
        return try readLine(from: terminal, what: "the terminal")
    }
}

/// Puts the terminal's echo back if the user presses Ctrl-C at a password prompt.
private enum TerminalRestorer {
    nonisolated(unsafe) static var descriptor: Int32 = -1
    nonisolated(unsafe) static var settings = termios()

    static func install(descriptor: Int32, settings: termios) {
        Self.descriptor = descriptor
        Self.settings = settings
        signal(SIGINT) { _ in
            TerminalRestorer.restore()
            _exit(130)
        }
        signal(SIGTERM) { _ in
            TerminalRestorer.restore()
            _exit(143)
        }
    }

    static func restore() {
        guard descriptor >= 0 else { return }
        _ = tcsetattr(descriptor, TCSAFLUSH, &settings)
        descriptor = -1
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
