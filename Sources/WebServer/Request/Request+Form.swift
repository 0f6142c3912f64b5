extension Request {
    /// The body parsed as an `application/x-www-form-urlencoded` form.
    ///
    /// - Throws: 415 when the `Content-Type` is anything else (a `charset` parameter is allowed and must
    ///   be UTF-8); 400 when the body is malformed (see ``FormData/init(parsing:)``).
    public func form() throws(HTTPError) -> FormData {
        guard let contentType = headers["Content-Type"], Self.isUTF8FormContentType(contentType) else {
            throw HTTPError(
                status: .unsupportedMediaType,
                message: "This form must be sent as application/x-www-form-urlencoded.")
        }
        return try FormData(parsing: body)
    }

    /// Whether a `Content-Type` value is `application/x-www-form-urlencoded`, optionally with
    /// `charset=utf-8` (quoted or not, any case).
    static func isUTF8FormContentType(_ value: String) -> Bool {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard String(parts[0]).equalsIgnoringASCIICase("application/x-www-form-urlencoded") else { return false }
        for parameter in parts.dropFirst() where !parameter.isEmpty {
            guard let equals = parameter.firstIndex(of: "=") else { return false }
            let name = String(parameter[..<equals].trimmingSpaces)
            var charset = parameter[parameter.index(after: equals)...].trimmingSpaces
            if charset.count >= 2, charset.first == "\"", charset.last == "\"" {
                charset = charset.dropFirst().dropLast()
            }
            guard name.equalsIgnoringASCIICase("charset"), String(charset).equalsIgnoringASCIICase("utf-8") else {
                return false
            }
        }
        return true
    }
}
