/// Dispatches a request to the handler registered for its method and path.
///
/// It exists so an application declares its URL space in one place. Patterns are exact segment matches
/// ("/users" and "/users/" differ), with `:name` parameters and a final `*name` wildcard, both copied into
/// ``Request/parameters``. When several patterns match, the most specific wins (a literal segment beats a
/// parameter, which beats a wildcard), so "/installs/new" and "/installs/:id" can coexist in any order.
/// HEAD requests are served by GET routes. A known path with another method throws 405 with an `Allow`
/// header; an unknown path throws 404.
///
/// The request line's method is the only one that counts: a method override (an `X-HTTP-Method-Override`,
/// `X-HTTP-Method` or `X-Method-Override` header, or a `_method` query field) is refused with 400 rather
/// than ignored, so that no proxy or framework in front can read the request as a different method than
/// the router does.
public struct Router: HTTPResponder {
    /// The header fields that ask to treat a request as another method.
    static let methodOverrideHeaders = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"]

    private struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        /// The pattern as registered, for the metrics' route label.
        let text: String
        let handler: @Sendable (Request) throws -> Response
    }

    private var routes: [Route] = []

    /// Creates a router with no routes.
    public init() {}

    /// Registers `handler` for `method` requests whose path matches `pattern`.
    ///
    /// Registering the same method for two patterns that match the same paths is a programming error and
    /// stops the program at start-up.
    public mutating func add(
        _ method: HTTPMethod,
        _ pattern: String,
        _ handler: @escaping @Sendable (Request) throws -> Response
    ) {
        let parsed = RoutePattern(pattern)
        precondition(
            !routes.contains { $0.method == method && $0.pattern.hasSameShape(as: parsed) },
            "Route registered twice: \(method.rawValue) \(pattern)")
        routes.append(Route(method: method, pattern: parsed, text: pattern, handler: handler))
    }

    /// Registers `handler` for GET (and so HEAD) requests matching `pattern`.
    public mutating func get(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
        add(.GET, pattern, handler)
    }

    /// Registers `handler` for POST requests matching `pattern`.
    public mutating func post(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
        add(.POST, pattern, handler)
    }

    /// Calls the handler of the most specific route matching the request.
    ///
    /// - Throws: 400 for a method override, 404 when no pattern matches the path, 405 with `Allow` when
    ///   patterns match but none for this method, or whatever the handler throws.
    public func respond(to request: Request) throws -> Response {
        let overridden = Self.methodOverrideHeaders.contains(where: request.headers.contains)
        if overridden || !request.query.values(for: "_method").isEmpty {
            throw HTTPError(
                status: .badRequest,
                message: "Method overrides are not accepted; send the request with its real method (GET or POST).")
        }
        // Split on the "/" scalar, not on characters: a combining mark after a "/" would otherwise fuse
        // with it into one character and hide the separator.
        let scalars = request.path.unicodeScalars
        let pathSegments =
            scalars.first == "/"
            ? scalars.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(Substring.init) : []
        let matches = routes.compactMap { route in route.pattern.match(pathSegments).map { (route, $0) } }
        guard !matches.isEmpty else {
            throw HTTPError(status: .notFound, message: "There is no page at this address.")
        }
        let acceptable: Set<HTTPMethod> = request.method == .HEAD ? [.HEAD, .GET] : [request.method]
        let candidates = matches.filter { acceptable.contains($0.0.method) }
        guard let (route, parameters) = Self.mostSpecific(candidates, preferring: request.method) else {
            var allowed = Set(matches.map(\.0.method))
            if allowed.contains(.GET) {
                allowed.insert(.HEAD)
            }
            let allow = HTTPMethod.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            throw HTTPError(
                status: .methodNotAllowed,
                message: "This page does not accept \(request.method.rawValue) requests.",
                headers: ["Allow": allow])
        }
        request.route.record(route.text)
        var routed = request
        routed.parameters = parameters
        return try route.handler(routed)
    }

    /// The match whose pattern is most specific; on a tie, a route for exactly `method` (HEAD over GET),
    /// then the one registered first.
    private static func mostSpecific(
        _ matches: [(Route, [String: String])],
        preferring method: HTTPMethod
    ) -> (Route, [String: String])? {
        matches.enumerated().min { left, right in
            let (leftRoute, rightRoute) = (left.element.0, right.element.0)
            if leftRoute.pattern.specificity != rightRoute.pattern.specificity {
                return leftRoute.pattern.specificity.lexicographicallyPrecedes(rightRoute.pattern.specificity)
            }
            if (leftRoute.method == method) != (rightRoute.method == method) {
                return leftRoute.method == method
            }
            return left.offset < right.offset
        }?.element
    }
}
