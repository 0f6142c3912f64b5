import Synchronization

/// One HTTP request, fully read: method, decoded path, query, headers, cookies and body.
///
/// It exists so handlers see plain Swift values and never a libmicrohttpd connection; tests of other modules
/// build one with ``init(method:path:query:headers:cookies:body:parts:remoteAddress:peerAddress:scheme:id:parameters:)`` and call a
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
    /// The client's IP address as text, without a port ("127.0.0.1", "::1"): the TCP peer, or the client a
    /// trusted proxy named (``TrustedProxies``). Throttling, source checks, audit and the access log use it.
    public let remoteAddress: String
    /// The TCP peer's address: the same as `remoteAddress` unless a trusted proxy forwarded the request.
    public let peerAddress: String
    /// How the client reached the portal: https when the server speaks TLS or a trusted proxy said so.
    public let scheme: URLScheme
    /// A random 16-hex-digit id, also sent as `X-Request-ID` and written to the access log.
    public let id: String
    /// The route pattern that answered, once the router has matched one (for the request metrics).
    let route = MatchedRoute()
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
        peerAddress: String? = nil,
        scheme: URLScheme = .http,
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
        self.peerAddress = peerAddress ?? remoteAddress
        self.scheme = scheme
        self.id = id ?? Self.makeID()
        self.parameters = parameters
    }

    /// A fresh random request id: 16 lower-case hexadecimal digits.
    static func makeID() -> String {
        UInt64.random(in: .min ... .max).paddedHexDigits
    }
}

/// The pattern of the route that answered a request, written by the router and read by the server when it
/// counts the request: the metrics label requests by pattern (`/installs/:id/users`), never by raw path.
///
/// A class, so the copies of a request the router hands on share it; `Mutex` makes it `Sendable`.
final class MatchedRoute: Sendable {
    private let pattern = Mutex<String?>(nil)

    func record(_ text: String) {
        pattern.withLock { $0 = text }
    }

    /// The pattern, or nil when no route matched (404, 405, or an error before routing).
    var recorded: String? { pattern.withLock { $0 } }
}
