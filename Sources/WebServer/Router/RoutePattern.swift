/// A parsed route pattern such as "/installs/:id/users" or "/static/*path".
struct RoutePattern: Sendable, Equatable {
    /// One segment of a pattern.
    enum Segment: Sendable, Equatable {
        /// Matches exactly this text.
        case literal(String)
        /// Matches any one non-empty segment and records it under this name.
        case parameter(String)
        /// Matches the rest of the path after its slash (possibly empty, possibly with slashes) and records it
        /// under this name.
        case wildcard(String)

        /// Lower ranks are more specific and win when several routes match a path.
        var rank: Int {
            switch self {
            case .literal: 0
            case .parameter: 1
            case .wildcard: 2
            }
        }
    }

    let segments: [Segment]

    /// Parses `pattern`; a malformed pattern is a programming error and stops the program at start-up.
    init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "A route pattern must start with “/”: \(pattern)")
        let parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        segments = parts.enumerated().map { index, part in
            if part.hasPrefix(":") {
                precondition(part.count > 1, "A route parameter needs a name: \(pattern)")
                return .parameter(String(part.dropFirst()))
            }
            if part.hasPrefix("*") {
                precondition(part.count > 1, "A route wildcard needs a name: \(pattern)")
                precondition(index == parts.count - 1, "A route wildcard must be the last segment: \(pattern)")
                return .wildcard(String(part.dropFirst()))
            }
            return .literal(String(part))
        }
        let names = segments.compactMap { segment -> String? in
            switch segment {
            case .literal: nil
            case .parameter(let name), .wildcard(let name): name
            }
        }
        precondition(Set(names).count == names.count, "A route parameter name repeats: \(pattern)")
    }

    /// The segments' ranks, compared lexicographically to pick the most specific matching route.
    var specificity: [Int] { segments.map(\.rank) }

    /// Whether two patterns match exactly the same paths (they differ at most in parameter names).
    func hasSameShape(as other: RoutePattern) -> Bool {
        segments.count == other.segments.count
            && zip(segments, other.segments).allSatisfy { pair in
                switch pair {
                case (.literal(let left), .literal(let right)): left == right
                case (.parameter, .parameter), (.wildcard, .wildcard): true
                default: false
                }
            }
    }

    /// The path parameters when `pathSegments` (a path split on "/", without the leading one) match.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .wildcard(let name):
                guard index < pathSegments.count else { return nil }
                parameters[name] = pathSegments[index...].joined(separator: "/")
                return parameters
            case .literal(let text):
                guard index < pathSegments.count, pathSegments[index] == text else { return nil }
            case .parameter(let name):
                guard index < pathSegments.count, !pathSegments[index].isEmpty else { return nil }
                parameters[name] = String(pathSegments[index])
            }
        }
        return segments.count == pathSegments.count ? parameters : nil
    }
}
