/// A SQL statement and its parameters, built by string interpolation so that every interpolated value
/// becomes a `$n` bind parameter and never part of the SQL text.
///
/// ```swift
/// let rows = try connection.query("SELECT id FROM users WHERE extension = \(ext)")
/// ```
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// The SQL text, with `$1`, `$2`, … where values were interpolated.
    public let sql: String
    /// The parameters in text format; `nil` is SQL `NULL`.
    public let binds: [String?]

    /// A statement without parameters.
    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    /// A statement whose interpolated values became `$n` parameters.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// Collects literal SQL and turns each interpolated value into the next `$n`.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [String?] = []

        /// Reserves room for the SQL and its parameters.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text written in the program.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends SQL text written in the program (a `StaticString`, so never a value from outside), for the
        /// few clauses that vary between two fixed forms: `\(sql: locking ? "FOR UPDATE" : "")`.
        public mutating func appendInterpolation(sql text: StaticString) {
            sql += text.description
        }

        /// Appends a bind parameter: `$n` in the SQL, the value beside it.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// Appends an optional bind parameter; `nil` binds SQL `NULL`.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Appends a clause built the same way (a condition or column list that several statements share), its
        /// `$n` renumbered to follow the parameters so far. The clause must not hold `$` elsewhere (no
        /// dollar-quoted text).
        public mutating func appendInterpolation(_ clause: PostgresQuery) {
            let offset = binds.count
            let text = clause.sql
            var index = text.startIndex
            while let dollar = text[index...].firstIndex(of: "$") {
                sql += text[index..<dollar]
                let digits = text.index(after: dollar)
                let end = text[digits...].firstIndex { !("0"..."9").contains($0) } ?? text.endIndex
                if let number = Int(text[digits..<end]) {
                    sql += "$\(number + offset)"
                } else {
                    sql += "$"
                }
                index = end
            }
            sql += text[index...]
            binds += clause.binds
        }
    }
}
