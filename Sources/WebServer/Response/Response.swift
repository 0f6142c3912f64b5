/// What a handler answers: a status, header fields and a body held in memory.
///
/// It exists so handlers build answers as values and the server alone talks to libmicrohttpd. The server
/// sets `Content-Length` from the body (a `Content-Length` or `Transfer-Encoding` field set here is
/// ignored), adds `X-Request-ID` and its configured default headers, and sends no body to HEAD requests.
public struct Response: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A `text/html; charset=utf-8` response from UTF-8 bytes a template rendered (already escaped).
    public static func html(bytes: [UInt8], status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: bytes)
    }

    /// A redirect to `location` with an empty body; 303 See Other by default, the answer to a form POST.
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> Response {
        Response(status: status, headers: ["Location": location])
    }

    /// Adds a `Set-Cookie` field; several cookies may be set on one response.
    public mutating func setCookie(_ cookie: Cookie) {
        headers.add("Set-Cookie", cookie.headerValue())
    }
}
