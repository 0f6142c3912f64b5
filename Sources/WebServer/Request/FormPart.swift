/// One part of a `multipart/form-data` body: a text field, or a file the browser uploaded.
///
/// It exists so that a form with a file input (the users import) reaches handlers as plain values, read by
/// libmicrohttpd's own multipart parser on the server's side.
public struct FormPart: Sendable, Equatable {
    /// The field's name.
    public let name: String
    /// The file's name as the browser sent it; nil for a text field (an empty name: a file input left empty).
    public let fileName: String?
    /// The part's `Content-Type`, if it has one.
    public let contentType: String?
    /// The part's content.
    public let bytes: [UInt8]

    /// Creates a part (the server and tests build them).
    public init(name: String, fileName: String? = nil, contentType: String? = nil, bytes: [UInt8]) {
        self.name = name
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
    }
}
