/// A response status: the code a client acts on and the reason phrase a person reads.
///
/// It exists so code names statuses (`.notFound`) rather than numbers. Two statuses are equal when their
/// codes are equal; the reason phrase is only for people.
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit status code, for example 404.
    public let code: Int
    /// The reason phrase sent after the code, for example "Not Found".
    public let reason: String

    /// Creates a status; prefer the named statuses below.
    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// "404 Not Found".
    public var description: String { "\(code) \(reason)" }

    /// Whether two statuses have the same code, whatever their reason phrases.
    public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension HTTPStatus {
    /// 200 OK.
    public static let ok = HTTPStatus(code: 200, reason: "OK")
    /// 201 Created.
    public static let created = HTTPStatus(code: 201, reason: "Created")
    /// 204 No Content.
    public static let noContent = HTTPStatus(code: 204, reason: "No Content")
    /// 301 Moved Permanently.
    public static let movedPermanently = HTTPStatus(code: 301, reason: "Moved Permanently")
    /// 302 Found.
    public static let found = HTTPStatus(code: 302, reason: "Found")
    /// 303 See Other: the answer to a successful form POST.
    public static let seeOther = HTTPStatus(code: 303, reason: "See Other")
    /// 304 Not Modified.
    public static let notModified = HTTPStatus(code: 304, reason: "Not Modified")
    /// 400 Bad Request.
    public static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    /// 401 Unauthorized.
    public static let unauthorized = HTTPStatus(code: 401, reason: "Unauthorized")
    /// 403 Forbidden.
    public static let forbidden = HTTPStatus(code: 403, reason: "Forbidden")
    /// 404 Not Found.
    public static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    /// 405 Method Not Allowed; send an `Allow` header with it.
    public static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    /// 409 Conflict.
    public static let conflict = HTTPStatus(code: 409, reason: "Conflict")
    /// 412 Precondition Failed: an `If-Match` that no longer matches.
    public static let preconditionFailed = HTTPStatus(code: 412, reason: "Precondition Failed")
    /// 413 Content Too Large (RFC 9110 name; formerly Payload Too Large).
    public static let payloadTooLarge = HTTPStatus(code: 413, reason: "Content Too Large")
    /// 415 Unsupported Media Type.
    public static let unsupportedMediaType = HTTPStatus(code: 415, reason: "Unsupported Media Type")
    /// 422 Unprocessable Content.
    public static let unprocessableContent = HTTPStatus(code: 422, reason: "Unprocessable Content")
    /// 428 Precondition Required: a change sent without `If-Match`.
    public static let preconditionRequired = HTTPStatus(code: 428, reason: "Precondition Required")
    /// 429 Too Many Requests.
    public static let tooManyRequests = HTTPStatus(code: 429, reason: "Too Many Requests")
    /// 431 Request Header Fields Too Large.
    public static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431, reason: "Request Header Fields Too Large")
    /// 500 Internal Server Error.
    public static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    /// 501 Not Implemented: the answer to an unknown request method.
    public static let notImplemented = HTTPStatus(code: 501, reason: "Not Implemented")
    /// 503 Service Unavailable.
    public static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")
}
