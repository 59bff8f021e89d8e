import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Whether something takes TCP connections at a host's port: for telling a host that does not
/// answer from one that refused a TLS handshake, and for `/healthz`'s mail backends.
public enum TCPProbe {
    /// Whether a connection to `host`:`port` is made within `milliseconds` (closed at once,
    /// nothing sent).
    public static func answers(host: String, port: Int, milliseconds: Int32) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), String(port), &hints, &found) == 0, let found else { return false }
        defer { freeaddrinfo(found) }
        var entry: UnsafeMutablePointer<addrinfo>? = found
        while let address = entry?.pointee {
            entry = address.ai_next
            let socket = Glibc.socket(
                address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard socket >= 0 else { continue }
            defer { close(socket) }
            if connect(socket, address.ai_addr, address.ai_addrlen) == 0 { return true }
            guard errno == EINPROGRESS else { continue }
            var poll = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            guard Glibc.poll(&poll, 1, milliseconds) == 1 else { continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 { return true }
        }
        return false
    }
}
