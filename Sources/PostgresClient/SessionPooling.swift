/// Tells a server session per client connection from a pooler in transaction mode in between (PgBouncer's
/// `pool_mode = transaction`), which hands each transaction to whichever server connection is free: prepared
/// statements and `LISTEN`, which live in a session, then fail at random. `hotdesk serve` asks at start-up and
/// refuses such a pooler with a clear message instead.
public enum SessionPooling {
    /// True when connections to `connectionString` share server sessions. Watches the server processes of two
    /// connections, three times: with a session per connection, one connection's statements always run in the same
    /// process, and never in the one that another connection's open transaction holds (nor meets a statement
    /// prepared by another connection).
    public static func sharesSessions(connectionString: String, applicationName: String) throws(PostgresError) -> Bool {
        let first = try PostgresConnection(connectionString: connectionString, applicationName: applicationName)
        let second = try PostgresConnection(connectionString: connectionString, applicationName: applicationName)
        func serverProcess(_ connection: PostgresConnection) throws(PostgresError) -> Int32 {
            try connection.query("SELECT pg_backend_pid() AS pid")[0].decode("pid")
        }
        do {
            for _ in 0..<3 {
                let before = try serverProcess(first)
                _ = try second.query("BEGIN")
                let held = try serverProcess(second)
                let after = try serverProcess(first)
                _ = try second.query("ROLLBACK")
                if before != after || held == before { return true }
            }
            return false
        } catch {
            // Each connection names its prepared statements itself: one named by another connection, or missing
            // on the next statement, is another session's.
            guard error.sqlState == .duplicatePreparedStatement || error.sqlState == .invalidSQLStatementName
            else { throw error }
            return true
        }
    }
}
