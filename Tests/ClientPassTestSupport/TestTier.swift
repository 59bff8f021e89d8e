import Foundation

/// Which tests run. `make test` runs every test, with the real servers they need (Dovecot,
/// nginx, Postfix, slapd, PostgreSQL, Chromium, fresh Debian roots). `make test-fast` sets
/// `CLIENTPASS_TESTS=fast` and leaves out each test that needs a server from outside this
/// project, so that a change can be checked in a minute or two; such a test says so with
/// `.enabled(if: TestTier.outsideServers, "needs …")`.
public enum TestTier {
    /// `false` under `make test-fast`.
    public static let outsideServers = ProcessInfo.processInfo.environment["CLIENTPASS_TESTS"] != "fast"
}
