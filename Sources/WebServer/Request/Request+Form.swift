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

    /// The text fields of a `multipart/form-data` body (a form with a file input), its files being in
    /// ``uploadedFiles``; for the few routes that take uploads.
    ///
    /// - Throws: 415 when the `Content-Type` is anything else; 400 when a text field is not UTF-8 or holds a
    ///   NUL character.
    public func uploadForm() throws(HTTPError) -> FormData {
        guard let contentType = headers["Content-Type"], Self.isMultipartContentType(contentType) else {
            throw HTTPError(status: .unsupportedMediaType, message: "This form must be sent as multipart/form-data.")
        }
        var fields: [(String, String)] = []
        for part in parts where part.fileName == nil {
            guard let text = String(validating: part.bytes, as: UTF8.self), !text.utf8.contains(0) else {
                throw HTTPError(status: .badRequest, message: "The field “\(part.name)” is not UTF-8 text.")
            }
            fields.append((part.name, text))
        }
        return FormData(fields)
    }

    /// The files of a `multipart/form-data` body, by field name (a file input left empty is not here).
    public var uploadedFiles: [String: FormPart] {
        var files: [String: FormPart] = [:]
        for part in parts where part.fileName?.isEmpty == false && files[part.name] == nil { files[part.name] = part }
        return files
    }

    /// Whether a `Content-Type` value is `multipart/form-data` (its boundary is libmicrohttpd's to read).
    static func isMultipartContentType(_ value: String) -> Bool {
        let type = value.split(separator: ";", maxSplits: 1)[0].trimmingSpaces
        return String(type).equalsIgnoringASCIICase("multipart/form-data")
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
