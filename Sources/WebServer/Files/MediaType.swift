/// The `Content-Type` of a static file, chosen by its extension.
enum MediaType {
    private static let byExtension: [String: String] = [
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "html": "text/html; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "png": "image/png",
        "svg": "image/svg+xml",
        "ico": "image/x-icon",
        "woff2": "font/woff2",
    ]

    /// The content type for `fileName`; `application/octet-stream` for an unknown or missing extension.
    static func forFile(named fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: "."), !fileName[fileName.index(after: dot)...].contains("/") else {
            return "application/octet-stream"
        }
        let fileExtension = String(fileName[fileName.index(after: dot)...]).lowercasedASCII
        return byExtension[fileExtension] ?? "application/octet-stream"
    }
}
