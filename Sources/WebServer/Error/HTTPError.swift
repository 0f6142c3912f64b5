/// An error that ends a request with a given status and a message that is safe to show a user.
///
/// It exists so handlers (and the router, form parser and server) can stop a request by throwing,
/// and the server turns the error into a page through its error-page closure. Headers attached to the error
/// (for example `Allow` on a 405) are added to that page.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The status of the response.
    public let status: HTTPStatus
    /// A message for the person who made the request: never SQL, paths or stack traces.
    public let message: String
    /// Header fields the error page must carry, replacing the page's own fields of the same name.
    public var headers: HTTPHeaders

    /// Creates an error; without a message the status's reason phrase is used.
    public init(status: HTTPStatus, message: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message ?? status.reason
        self.headers = headers
    }

    /// "400 Bad Request: The form field “pin” appears more than once."
    public var description: String { "\(status): \(message)" }
}
