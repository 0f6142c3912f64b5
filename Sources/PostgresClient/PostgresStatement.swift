/// A statement together with how its rows become a value.
///
/// Stores hand these out instead of running them, so that a page needing several independent reads can send
/// them in one round trip (`PostgresConnection.run(_:)` with several statements) while each store keeps its
/// own SQL and decoding.
public struct PostgresStatement<Result> {
    /// The SQL and its parameters.
    public let query: PostgresQuery
    /// Turns the statement's rows into the result.
    public let decode: (PostgresRows) throws -> Result

    /// A statement whose rows `decode` reads.
    public init(_ query: PostgresQuery, decode: @escaping (PostgresRows) throws -> Result) {
        self.query = query
        self.decode = decode
    }
}

extension PostgresConnection {
    /// Runs one statement and decodes its rows.
    public func run<Result>(_ statement: PostgresStatement<Result>) throws -> Result {
        try statement.decode(query(statement.query))
    }

    /// Runs several statements in one round trip (see `pipeline(_:)`) and decodes each one's rows.
    public func run<each Result>(_ statements: repeat PostgresStatement<each Result>) throws -> (repeat each Result) {
        var queries: [PostgresQuery] = []
        for statement in repeat each statements { queries.append(statement.query) }
        var results = try pipeline(queries).makeIterator()
        func decode<Value>(_ statement: PostgresStatement<Value>) throws -> Value {
            try statement.decode(results.next()!)
        }
        return (repeat try decode(each statements))
    }
}
