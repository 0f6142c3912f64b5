extension Request {
    /// Parses `Cookie` header values (`name=value; name2=value2`).
    ///
    /// Pieces without `=` or with an empty name are ignored, a value wrapped in double quotes is unwrapped,
    /// and the first occurrence of a name wins.
    static func parseCookies(_ headerValues: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for headerValue in headerValues {
            for piece in headerValue.split(separator: ";") {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingSpaces
                var value = piece[piece.index(after: equals)...].trimmingSpaces
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                if cookies[String(name)] == nil {
                    cookies[String(name)] = String(value)
                }
            }
        }
        return cookies
    }
}
