/// Anything that turns a request into a response: a ``Router``, or a wrapper around one.
///
/// It exists so the server does not depend on how requests are dispatched; an application can wrap the
/// router (sessions, security headers) by writing its own responder. It is called on libmicrohttpd's
/// threads and may block, for example on a database.
public protocol HTTPResponder: Sendable {
    /// Answers `request`, or throws an ``HTTPError`` (shown through the server's error page) or any other
    /// error (logged, and answered with a 500).
    func respond(to request: Request) throws -> Response
}
