import Foundation

/// A Swift value that can be read from a text-format result column.
public protocol PostgresDecodable {
    /// Decodes the column's text; `nil` is SQL `NULL`, which only optional types accept.
    init(postgresText text: String?) throws(PostgresDecodingError)
}

/// Why a column could not be decoded; the row turns it into a `PostgresError` naming the column.
public struct PostgresDecodingError: Error, Sendable {
    /// What was expected and what came instead.
    public let reason: String

    /// Creates the error with a short reason.
    public init(_ reason: String) { self.reason = reason }

    static func unexpectedNull(_ type: Any.Type) -> PostgresDecodingError {
        PostgresDecodingError("NULL where \(type) was expected")
    }
}

extension PostgresDecodable {
    static func nonNull(_ text: String?) throws(PostgresDecodingError) -> String {
        guard let text else { throw .unexpectedNull(Self.self) }
        return text
    }
}

extension PostgresDecodable where Self: LosslessStringConvertible {
    /// Numbers: PostgreSQL's text output is exactly what Swift's `init?(_ description:)` reads.
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        guard let value = Self(try Self.nonNull(text)) else { throw PostgresDecodingError("not a \(Self.self)") }
        self = value
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Reads the value from PostgreSQL's text format; NULL or other text is a decoding error.
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        self = try text.map { text throws(PostgresDecodingError) in try Wrapped(postgresText: text) }
    }
}

extension String: PostgresDecodable {
    /// Reads the value from PostgreSQL's text format; NULL or other text is a decoding error.
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        self = try Self.nonNull(text)
    }
}

extension Int: PostgresDecodable {}

extension Int32: PostgresDecodable {}

extension Int64: PostgresDecodable {}

extension Double: PostgresDecodable {}

extension Bool: PostgresDecodable {
    /// Reads the value from PostgreSQL's text format; NULL or other text is a decoding error.
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        switch try Self.nonNull(text) {
        case "t": self = true
        case "f": self = false
        default: throw PostgresDecodingError("not a boolean")
        }
    }
}

extension UUID: PostgresDecodable {
    /// Reads the value from PostgreSQL's text format; NULL or other text is a decoding error.
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        guard let value = UUID(uuidString: try Self.nonNull(text)) else { throw PostgresDecodingError("not a uuid") }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` text as the client sets it up (`DateStyle=ISO`, `TimeZone=UTC`).
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        guard let date = PostgresTimestamp.parse(try Self.nonNull(text)) else {
            throw PostgresDecodingError("not an ISO timestamp with time zone")
        }
        self = date
    }
}
