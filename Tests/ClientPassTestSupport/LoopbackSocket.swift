import Foundation

/// A TCP socket bound to a free port on 127.0.0.1 (listening when asked): for a port a server
/// started later takes, or a listener that only counts who connects.
/// - Returns: the open descriptor (the caller closes it) and its port.
public func bindLoopbackSocket(listening: Bool) throws -> (descriptor: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress -> Bool in
            bind(descriptor, socketAddress, length) == 0 && (!listening || listen(descriptor, 16) == 0)
                && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else {
        close(descriptor)
        throw LabError("no free port on 127.0.0.1")
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}
