extension Request {
    /// Parses `Cookie` header values (`name=value; name2=value2`).
    ///
    /// Pieces without `=` or with an empty name are ignored, a value wrapped in double quotes is unwrapped,
    /// and the first occurrence of a name wins.
    static func parseCookies(_ headerValues: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for (name, value) in cookiePairs(headerValues) where cookies[name] == nil {
            cookies[name] = value
        }
        return cookies
    }

    /// Every value the `Cookie` headers carry for `name`, in order.
    ///
    /// A browser sends one value per name unless another site on a parent domain or another path planted a
    /// second cookie of the same name ("cookie tossing"); an application can refuse such an ambiguous
    /// credential instead of guessing which one is genuine.
    public func cookieValues(named name: String) -> [String] {
        Self.cookiePairs(headers.values(for: "Cookie")).filter { $0.name == name }.map(\.value)
    }

    private static func cookiePairs(_ headerValues: [String]) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for headerValue in headerValues {
            for piece in headerValue.split(separator: ";") {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingSpaces
                var value = piece[piece.index(after: equals)...].trimmingSpaces
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                pairs.append((name: String(name), value: String(value)))
            }
        }
        return pairs
    }
}
