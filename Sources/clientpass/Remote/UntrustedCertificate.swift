import ClientPassCore
import COpenSSL
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A server whose certificate this computer does not trust: the words a person can act on —
/// who signed it and what to pass — instead of the TLS library's error.
enum UntrustedCertificate {
    /// Whether `error` (anywhere in AsyncHTTPClient's wrapping) is a certificate the chain check
    /// refused.
    static func isVerificationFailure(_ error: any Error) -> Bool {
        let text = String(reflecting: error)
        return text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed")
    }

    /// The explanation for `server`: who signed its certificate (read with a second connection
    /// that checks nothing and sends nothing but the handshake), and `--ca-file`.
    static func explanation(for server: URL, caFile: String?) async -> String {
        let issuer = await issuer(of: server).map { " It is signed by \(Quoted($0))," } ?? ""
        let trusted = caFile.map { "the CA certificates in \($0)" } ?? "this computer's CA certificates"
        return "\(server.absoluteString)'s certificate is not trusted by \(trusted).\(issuer) "
            + "If that is your company's certificate authority, get its CA certificate from your mail administrator "
            + "and pass it: clientpass login --server \(server.absoluteString) --ca-file FILE (docs/api.md)."
    }

    /// The issuer of the server's certificate, or `nil` when it cannot be read.
    static func issuer(of server: URL) async -> String? {
        guard let host = server.host else { return nil }
        let port = server.port ?? 443
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        guard let context = try? NIOSSLContext(configuration: tls) else { return nil }
        let captured = NIOLockedValueBox<[UInt8]?>(nil)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: host.first?.isNumber == true ? nil : host) { chain, promise in
                        captured.withLockedValue { $0 = try? chain.first?.toDERBytes() }
                        promise.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            for _ in 0..<50 where captured.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(100)) }
            try? await channel.close()
        } catch {
            return nil
        }
        guard let der = captured.withLockedValue({ $0 }) else { return nil }
        return der.withUnsafeBufferPointer { buffer -> String? in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let certificate = d2i_X509(nil, &pointer, buffer.count) else { return nil }
            defer { X509_free(certificate) }
            guard let name = X509_get_issuer_name(certificate), let line = X509_NAME_oneline(name, nil, 0) else { return nil }
            defer { CRYPTO_free(line, #fileID, #line) }
            return Untrusted.escaped(String(cString: line))
        }
    }
}
