import HTTPTypes

extension HTTPFields {
    /// Whether the body is declared JSON: `Content-Type: application/json`, with or without
    /// parameters (`; charset=utf-8`). A JSON route refuses anything else (415): without a
    /// content type, or with a form's or text's, a web page at any origin could send it from a
    /// visitor's browser without a preflight.
    var declaresJSON: Bool {
        guard let contentType = self[.contentType] else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
