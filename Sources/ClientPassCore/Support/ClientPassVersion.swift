/// The version of clientpass: `clientpass --version`, `serve`'s first log line, `/healthz`'s
/// `X-Clientpass-Version` header. Raised by hand with each release (see README, "Versions").
public enum ClientPassVersion {
    public static let current = "0.14.0"
}
