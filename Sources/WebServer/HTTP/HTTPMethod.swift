/// The request methods the server routes.
///
/// It exists so handlers and routes match on a closed set instead of on strings. RFC 9110's methods are all
/// listed, and the safe `QUERY` of the HTTP working group, so that one no route takes (`TRACE`, say) is answered
/// 405 with `Allow` by the router; a request whose
/// method is not listed here (for example `BREW` or a lower-case `get`) never reaches a handler: the server
/// answers it with 501 Not Implemented.
public enum HTTPMethod: String, Sendable, CaseIterable {
    // The names are the methods as HTTP spells them (and as `rawValue` reads them off the request line).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT, QUERY
}
