/// The request methods the server routes.
///
/// It exists so handlers and routes match on a closed set instead of on strings. A request whose method is
/// not listed here (for example `BREW`, `TRACE` or a lower-case `get`) never reaches a handler: the server
/// answers it with 501 Not Implemented.
public enum HTTPMethod: String, Sendable, CaseIterable {
    case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS
}
