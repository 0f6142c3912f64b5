/// The rows of one result, copied out of libpq's `PGresult` (which is freed at once).
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names in result order.
    public let columns: [String]
    private let values: [String?]
    /// The number of rows a command touched (`INSERT`, `UPDATE`, `DELETE`), or the rows returned.
    public let affectedRows: Int

    init(columns: [String], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    /// The first row's position, 0.
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        let start = position * columns.count
        return PostgresRow(rows: self, values: values[start..<start + columns.count])
    }

    /// The first column called `column`. A result has a handful of columns, so a scan comparing the (mostly
    /// inline) names beats hashing the name for every value read.
    func position(of column: String) -> Int? { columns.firstIndex(of: column) }
}

/// One result row; columns are read by name into typed values.
public struct PostgresRow: Sendable {
    private let rows: PostgresRows
    private let values: ArraySlice<String?>

    init(rows: PostgresRows, values: ArraySlice<String?>) {
        self.rows = rows
        self.values = values
    }

    /// Decodes the named column; a missing column or a value of the wrong shape throws `.decoding`.
    public func decode<Value: PostgresDecodable>(
        _ column: String, as type: Value.Type = Value.self
    ) throws(PostgresError)
        -> Value
    {
        guard let position = rows.position(of: column) else {
            throw PostgresError(kind: .decoding, message: "no column named \(column) in the result")
        }
        do {
            return try Value(postgresText: values[values.startIndex + position])
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(column): \(error.reason)")
        }
    }

    /// The raw text of the named column (`nil` for NULL or a missing column), for diagnostics.
    public subscript(column: String) -> String? {
        guard let position = rows.position(of: column) else { return nil }
        return values[values.startIndex + position]
    }
}
