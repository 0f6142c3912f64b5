/// Serves the files of one folder (for example `Resources/static`) under a URL prefix (for example "/static").
///
/// It exists so stylesheets, scripts and images are served without touching the file system per request:
/// every regular file is read into memory at start-up, and a request can only ever get one of those files
/// by exact name, so "..", "//", absolute paths and dotfiles cannot reach anything else. Responses carry a
/// `Content-Type` by extension, `Cache-Control: public, max-age=3600` and an `ETag`; a matching
/// `If-None-Match` gets 304 Not Modified.
public struct StaticFiles: Sendable {
    private struct File: Sendable {
        let body: [UInt8]
        let contentType: String
        let etag: String
    }

    private let files: [String: File]
    private let urlPrefix: String

    /// Loads every regular file under `folder`, skipping names that start with "." and symbolic links.
    ///
    /// - Parameter urlPrefix: the path the files are served under, for example "/static".
    /// - Throws: ``WebServerError`` when the folder is missing or a file cannot be read.
    public init(folder: String, urlPrefix: String) throws {
        var prefix = urlPrefix
        while prefix.hasSuffix("/") {
            prefix.removeLast()
        }
        self.urlPrefix = prefix
        files = try FileTree.regularFiles(under: folder).reduce(into: [:]) { files, entry in
            files[entry.key] = File(
                body: entry.value,
                contentType: MediaType.forFile(named: entry.key),
                etag: Self.etag(of: entry.value))
        }
    }

    /// The file the request's path names, or nil when it names no loaded file (answer 404 then).
    public func response(for request: Request) -> Response? {
        // Compared as UTF-8 so that a combining mark after the prefix's "/" cannot fuse with it.
        let prefix = (urlPrefix + "/").utf8
        guard request.path.utf8.starts(with: prefix),
            let name = String(request.path.utf8.dropFirst(prefix.count)),
            let file = files[name]
        else {
            return nil
        }
        var headers: HTTPHeaders = ["Cache-Control": "public, max-age=3600", "ETag": file.etag]
        if let ifNoneMatch = request.headers["If-None-Match"], Self.matches(ifNoneMatch, etag: file.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers.add("Content-Type", file.contentType)
        return Response(status: .ok, headers: headers, body: file.body)
    }

    /// Whether an `If-None-Match` value ("*" or a list of entity tags) matches `etag`, comparing weakly.
    private static func matches(_ ifNoneMatch: String, etag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingSpaces
            return tag == "*" || (tag.hasPrefix("W/") ? tag.dropFirst(2) : tag) == etag
        }
    }

    /// A strong entity tag: the 64-bit FNV-1a hash of the bytes, in quotes.
    private static func etag(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return "\"" + hash.paddedHexDigits + "\""
    }
}
