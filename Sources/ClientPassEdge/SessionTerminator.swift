import Foundation

/// Ends the open mail sessions of accounts that just lost access, so that "revoked" means no
/// more mail at once, not only no new logins: a revoked app password, a disabled or removed
/// account, a service turned off, a policy change.
///
/// The command is a template split on spaces, with `{account}` replaced in each argument, run
/// directly (never through a shell, so an account name cannot inject anything), once per
/// account: for example `doveadm kick {account}`, or a script that also flushes Dovecot's auth
/// cache (`doveadm auth cache flush {account}`).
public struct SessionTerminator: Sendable {
    /// The environment variable that holds the command template.
    public static let environmentVariable = "CLIENTPASS_KICK_COMMAND"

    public let template: [String]
    public let timeout: TimeInterval

    /// `nil` when no command is configured.
    public init?(command: String?, timeout: TimeInterval = 10) {
        guard let command, case let parts = command.split(separator: " ").map(String.init), !parts.isEmpty else { return nil }
        self.template = parts
        self.timeout = timeout
    }

    /// The argument vector for one account.
    public func arguments(for account: String) -> [String] {
        template.map { $0.replacingOccurrences(of: "{account}", with: account) }
    }

    /// Runs the command for each account in turn.
    /// - Returns: one message per account whose command failed (it did not start, timed out or
    ///   exited non-zero); the change that led here stays committed either way.
    public func terminateSessions(of accounts: [String]) -> [String] {
        var failures: [String] = []
        for account in accounts {
            let arguments = arguments(for: account)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                failures.append("could not run \(arguments[0]) to end the sessions of \(account): \(error.localizedDescription)")
                continue
            }
            let deadline = Date() + timeout
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                process.terminate()
                failures.append("\(arguments[0]) took longer than \(Int(timeout)) s to end the sessions of \(account) and was stopped")
            } else if process.terminationStatus != 0 {
                failures.append("\(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
            }
        }
        return failures
    }
}
