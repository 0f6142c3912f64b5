/// The request methods the server routes.
///
/// It exists so handlers and routes match on a closed set instead of on strings. A request whose method is
/// not listed here (for example `BREW`, `TRACE` or a lower-case `get`) never reaches a handler: the server
/// answers it with 501 Not Implemented.
public enum HTTPMethod: String, Sendable, CaseIterable {
    // The names are the methods as HTTP spells them (and as `rawValue` reads them off the request line).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS
}
