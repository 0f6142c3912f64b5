import Foundation

/// A Swift value that can be sent to PostgreSQL as a text-format parameter.
public protocol PostgresEncodable: Sendable {
    /// The value as PostgreSQL's text input format.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { self ? "t" : "f" }
}

extension UUID: PostgresEncodable {
    /// The value in PostgreSQL's text format.
    public var postgresText: String { uuidString }
}

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds, which `timestamptz` reads without ambiguity.
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// A PostgreSQL array literal (`{"a","b"}`), each element quoted and escaped.
    public var postgresText: String {
        let elements = map { element -> String in
            var quoted = "\""
            for scalar in element.postgresText.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(scalar)
            }
            return quoted + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}
