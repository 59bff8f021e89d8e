import CQRencode
import Foundation

/// QR codes (libqrencode), drawn as SVG on the server: no script, no image request.
enum QRCode {
    struct Failure: Error {}

    /// An SVG of `text` as a QR code (error correction M, a four-module quiet zone), `scale`
    /// pixels a module.
    static func svg(_ text: String, scale: Int = 6) throws -> String {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { throw Failure() }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let quiet = 4
        let size = (width + 2 * quiet) * scale
        var path = ""
        for y in 0..<width {
            for x in 0..<width where code.pointee.data[y * width + x] & 1 == 1 {
                path += "M\((x + quiet) * scale) \((y + quiet) * scale)h\(scale)v\(scale)h-\(scale)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(size)" height="\(size)" viewBox="0 0 \(size) \(size)" role="img" aria-label="QR code of the set-up link"><rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
