import Foundation

/// A certificate authority of the tests' own, made with the openssl command in a folder: its
/// certificate verifies what it issues (profile signatures, HTTPS).
public struct TestCertificateAuthority: Sendable {
    public let folder: String
    public var certificate: String { folder + "/ca.crt" }
    var key: String { folder + "/ca.key" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the authority's key and self-signed certificate in `folder` (created if needed).
    public init(in folder: String, name: String = "clientpass test CA") throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.openssl(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                "-out", certificate, "-days", "30", "-subj", "/O=clientpass tests/CN=\(name)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ], in: folder)
    }

    /// A certificate for `commonName` signed by the authority, and its unencrypted key: PEM
    /// files named after `file` in the authority's folder.
    /// - Parameters:
    ///   - isAuthority: an intermediate CA's certificate instead of an end entity's.
    ///   - extensions: extra lines for the certificate's extensions (e.g. `subjectAltName=IP:127.0.0.1`).
    public func issue(_ file: String, commonName: String, isAuthority: Bool = false, extensions: [String] = []) throws -> (certificate: String, key: String) {
        let key = "\(folder)/\(file).key"
        let request = "\(folder)/\(file).csr"
        let certificate = "\(folder)/\(file).crt"
        let extensionsFile = "\(folder)/\(file).ext"
        try Self.openssl(
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", request,
                "-subj", "/O=clientpass tests/CN=\(commonName)",
            ], in: folder)
        let usage =
            isAuthority
            ? ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]
            : ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment"]
        try (usage + extensions)
            .joined(separator: "\n").appending("\n").write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try Self.openssl(
            [
                "x509", "-req", "-in", request, "-CA", self.certificate, "-CAkey", self.key, "-CAcreateserial",
                "-out", certificate, "-days", "30", "-sha256", "-extfile", extensionsFile,
            ], in: folder)
        return (certificate, key)
    }

    /// Runs openssl; throws with its error output when it fails.
    @discardableResult
    public static func openssl(_ arguments: [String], stdin: Data? = nil, in folder: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        // Errors go to a file, so that neither pipe can fill up while the other is read.
        let errorFile = folder + "/openssl-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorFile) }
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            throw Failure(description: "openssl \(arguments.first ?? "") failed (\(process.terminationStatus)): \(stderr)")
        }
        return data
    }
}
