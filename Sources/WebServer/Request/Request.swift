/// One HTTP request, fully read: method, decoded path, query, headers, cookies and body.
///
/// It exists so handlers see plain Swift values and never a libmicrohttpd connection; tests of other modules
/// build one with ``init(method:path:query:headers:cookies:body:remoteAddress:id:parameters:)`` and call a
/// router directly, without a socket.
public struct Request: Sendable {
    /// The request method; HEAD requests are served by GET routes.
    public let method: HTTPMethod
    /// The percent-decoded path, without the query string, for example "/installs/3/users".
    public let path: String
    /// The query string's fields, parsed with the same strict rules as a form body.
    public let query: FormData
    /// The request's header fields, in the order the client sent them.
    public let headers: HTTPHeaders
    /// The cookies from the `Cookie` header; when a name repeats, the first value wins.
    public let cookies: [String: String]
    /// The request body; at most the server's configured `maxBodyBytes`. Empty for a `multipart/form-data`
    /// body, which arrives as `parts`.
    public let body: [UInt8]
    /// The parts of a `multipart/form-data` body, in order: text fields and uploaded files.
    public let parts: [FormPart]
    /// The client's IP address as text, without a port ("127.0.0.1", "::1").
    public let remoteAddress: String
    /// A random 16-hex-digit id, also sent as `X-Request-ID` and written to the access log.
    public let id: String
    /// The path parameters the router matched, for example `["id": "3"]` for "/installs/:id".
    public var parameters: [String: String]

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - cookies: the cookies; nil parses them from the `Cookie` header in `headers`.
    ///   - id: the request id; nil makes a fresh random one.
    public init(
        method: HTTPMethod,
        path: String,
        query: FormData = FormData(),
        headers: HTTPHeaders = [:],
        cookies: [String: String]? = nil,
        body: [UInt8] = [],
        parts: [FormPart] = [],
        remoteAddress: String = "127.0.0.1",
        id: String? = nil,
        parameters: [String: String] = [:]
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.cookies = cookies ?? Self.parseCookies(headers.values(for: "Cookie"))
        self.body = body
        self.parts = parts
        self.remoteAddress = remoteAddress
        self.id = id ?? Self.makeID()
        self.parameters = parameters
    }

    /// A fresh random request id: 16 lower-case hexadecimal digits.
    static func makeID() -> String {
        UInt64.random(in: .min ... .max).paddedHexDigits
    }
}
