/// The request-target of a request line, split into a decoded path and a parsed query.
///
/// libmicrohttpd percent-decodes the path leniently before the access handler sees it, so the server
/// parses the raw target it receives in the URI log callback instead.
struct RequestTarget {
    /// The percent-decoded path, starting with "/".
    let path: String
    /// The query string's fields.
    let query: FormData

    /// Parses an origin-form target (`/path?query`) or an absolute-form one (`http://host/path?query`).
    ///
    /// - Throws: 400 when the path is not absolute, has a bad %-escape, decodes to something that is not
    ///   UTF-8 or contains a NUL; or when the query is malformed.
    init(raw: [UInt8]) throws(HTTPError) {
        let question = raw.firstIndex(of: UInt8(ascii: "?"))
        var rawPath = raw[..<(question ?? raw.endIndex)]
        if let afterScheme = Self.authorityStart(rawPath) {
            let slash = rawPath[afterScheme...].firstIndex(of: UInt8(ascii: "/"))
            rawPath = slash.map { rawPath[$0...] } ?? ArraySlice("/".utf8)
        }
        guard rawPath.first == UInt8(ascii: "/"), let path = PercentDecoding.decode(rawPath, plusIsSpace: false)
        else {
            throw HTTPError(status: .badRequest, message: "The request path is malformed.")
        }
        self.path = path
        if let question {
            query = try FormData(parsing: raw[raw.index(after: question)...])
        } else {
            query = FormData()
        }
    }

    /// The raw path without the query string, with control and non-ASCII bytes percent-encoded, for the access
    /// log (so a request cannot forge log lines). When the path starts with one of `secretPrefixes`, the path
    /// segment after the prefix is written as `[secret]` (a token in the URL never reaches the log).
    static func loggablePath(raw: [UInt8], secretPrefixes: [String] = []) -> String {
        var path = raw.prefix { $0 != UInt8(ascii: "?") }
        if let prefix = secretPrefixes.first(where: { path.starts(with: $0.utf8) }) {
            let secretStart = path.startIndex + prefix.utf8.count
            let secretEnd = path[secretStart...].firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex
            path = ArraySlice(path[..<secretStart] + Array("[secret]".utf8) + path[secretEnd...])
        }
        var text = ""
        for byte in path {
            if byte < 0x20 || byte >= 0x7F {
                text += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            } else {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return text
    }

    /// The index just after "http://" or "https://" (in any case) when the target is in absolute form.
    private static func authorityStart(_ target: ArraySlice<UInt8>) -> ArraySlice<UInt8>.Index? {
        for scheme in ["http://", "https://"] where target.count >= scheme.utf8.count {
            let prefix = target.prefix(scheme.utf8.count)
            if prefix.elementsEqual(scheme.utf8, by: { $0.lowercasedASCII == $1 }) {
                return prefix.endIndex
            }
        }
        return nil
    }
}
