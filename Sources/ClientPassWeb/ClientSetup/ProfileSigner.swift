import ClientPassCore
import ClientPassEdge
import COpenSSL
import Foundation
import Synchronization

/// Signs Mail profiles (CMS SignedData with the profile inside, DER) with the company's
/// certificate, so that iOS and macOS show the profile as verified and name who signed it.
/// OpenSSL's libcrypto does the CMS work.
///
/// The certificate and key are read once, when the signer is made; what is wrong with them is
/// found then, not when an employee downloads a profile: an unreadable or encrypted key, a key
/// that does not belong to the certificate, an expired certificate.
public final class ProfileSigner: Sendable {
    /// What the certificate says about its holder, for `config check` and the logs.
    public let subject: String
    /// The certificate's common name (else its subject): whom the page names as the signer.
    public let name: String
    public let notAfter: Date

    private let material: Mutex<Material>

    /// OpenSSL's objects, owned by the signer and used under its lock.
    private struct Material: ~Copyable {
        let certificate: OpaquePointer
        let key: OpaquePointer
        let chain: OpaquePointer

        deinit {
            while OPENSSL_sk_num(chain) > 0 {
                X509_free(OpaquePointer(OPENSSL_sk_pop(chain)))
            }
            OPENSSL_sk_free(chain)
            EVP_PKEY_free(key)
            X509_free(certificate)
        }
    }

    /// Loads a signing certificate (PEM; a chain file's certificates after the first are sent
    /// along as intermediates) and its unencrypted private key (PEM).
    /// - Parameters:
    ///   - certificateFile: the signing certificate, optionally followed by its intermediates.
    ///   - keyFile: the certificate's private key, not encrypted.
    ///   - chainFile: more intermediate certificates, when they are in a file of their own.
    ///   - date: now, to refuse an expired or not yet valid certificate.
    /// - Throws: ``InputError`` naming the file and what is wrong with it.
    public init(certificateFile: String, keyFile: String, chainFile: String? = nil, at date: Date = Date()) throws {
        ERR_clear_error()
        // The files first, then OpenSSL's objects, each freed if a later step fails.
        let certificateText = try Self.readFile(certificateFile, what: "profile signing certificate file")
        let chainText = try chainFile.map { try Self.readFile($0, what: "profile signing certificate file") }
        let keyText = try Self.readFile(keyFile, what: "profile signing key")
        var certificates = try Self.certificates(in: certificateText, of: certificateFile)
        if let chainFile, let chainText {
            do {
                certificates += try Self.certificates(in: chainText, of: chainFile)
            } catch {
                certificates.forEach { X509_free($0) }
                throw error
            }
        }
        let certificate = certificates.removeFirst()
        let chain = OPENSSL_sk_new_null()!
        for intermediate in certificates { OPENSSL_sk_push(chain, UnsafeRawPointer(intermediate)) }
        let key: OpaquePointer? = keyText.withUnsafeBytes { bytes in
            let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
            defer { BIO_free(bio) }
            // A callback that gives no passphrase: an encrypted key fails here instead of
            // OpenSSL asking on the terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        let material = { (key: OpaquePointer) in Material(certificate: certificate, key: key, chain: chain) }
        guard let key else {
            _ = material(EVP_PKEY_new())
            let encrypted = String(decoding: keyText, as: UTF8.self).contains("ENCRYPTED")
            throw InputError(
                "\(keyFile) holds no usable private key\(encrypted ? " (it is encrypted: give an unencrypted key, readable only by clientpass)" : Self.openSSLReason())"
            )
        }
        let loaded = material(key)
        guard X509_check_private_key(loaded.certificate, loaded.key) == 1 else {
            ERR_clear_error()
            throw InputError("the profile signing key in \(keyFile) does not belong to the certificate in \(certificateFile)")
        }
        subject = Self.subject(of: loaded.certificate)
        name = Self.commonName(of: loaded.certificate) ?? subject
        notAfter = Self.date(X509_get0_notAfter(loaded.certificate)) ?? .distantPast
        let notBefore = Self.date(X509_get0_notBefore(loaded.certificate)) ?? .distantFuture
        guard notAfter > date else {
            throw InputError("the profile signing certificate in \(certificateFile) (\(subject)) expired on \(Self.day(notAfter))")
        }
        guard notBefore <= date else {
            throw InputError("the profile signing certificate in \(certificateFile) (\(subject)) is not valid before \(Self.day(notBefore))")
        }
        self.material = Mutex(loaded)
    }

    /// `profile` inside a CMS SignedData (DER), signed with SHA-256 by the certificate's key,
    /// with the certificate and its intermediates attached.
    /// - Throws: ``InputError`` when OpenSSL cannot sign.
    public func sign(_ profile: Data) throws -> Data {
        try material.withLock { material in
            ERR_clear_error()
            // The memory BIO reads the profile's bytes in place: CMS_sign must run while they are valid.
            let signed = profile.withUnsafeBytes { bytes in
                let input = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
                defer { BIO_free(input) }
                return CMS_sign(material.certificate, material.key, material.chain, input, UInt32(CMS_BINARY | CMS_NOSMIMECAP))
            }
            guard let cms = signed else {
                throw InputError("cannot sign the Mail profile\(Self.openSSLReason())")
            }
            defer { CMS_ContentInfo_free(cms) }
            let output = BIO_new(BIO_s_mem())
            defer { BIO_free(output) }
            guard i2d_CMS_bio(output, cms) == 1 else { throw InputError("cannot encode the signed Mail profile\(Self.openSSLReason())") }
            var bytes: UnsafeMutablePointer<CChar>?
            let count = BIO_ctrl(output, BIO_CTRL_INFO, 0, &bytes)
            guard count > 0, let bytes else { throw InputError("cannot encode the signed Mail profile") }
            return Data(bytes: bytes, count: count)
        }
    }

    // MARK: Reading

    private static func readFile(_ path: String, what: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the \(what) \(path)")
        }
        return data
    }

    /// Every PEM certificate in a file's text, in order; at least one.
    private static func certificates(in text: Data, of path: String) throws -> [OpaquePointer] {
        var certificates: [OpaquePointer] = []
        text.withUnsafeBytes { bytes in
            let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
            defer { BIO_free(bio) }
            while let certificate = PEM_read_bio_X509(bio, nil, { _, _, _, _ in 0 }, nil) {
                certificates.append(certificate)
            }
        }
        // Reading stops at the end of the file with an error on OpenSSL's queue; it means nothing.
        ERR_clear_error()
        guard !certificates.isEmpty else { throw InputError("\(path) holds no PEM certificate") }
        return certificates
    }

    private static func subject(of certificate: OpaquePointer) -> String {
        guard let line = X509_NAME_oneline(X509_get_subject_name(certificate), nil, 0) else { return "?" }
        defer { CRYPTO_free(line, #fileID, #line) }
        return String(cString: line)
    }

    private static func commonName(of certificate: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, &buffer, Int32(buffer.count))
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// OpenSSL's reason for the last failure, as ": reason", or nothing.
    private static func openSSLReason() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "" }
        return ": " + String(cString: reason)
    }
}

extension ProfileSigningFiles {
    /// The signer, with the files read and checked.
    /// - Throws: ``InputError``.
    public func load(at date: Date = Date()) throws -> ProfileSigner {
        try ProfileSigner(certificateFile: certificate, keyFile: key, chainFile: chain, at: date)
    }
}
