/// The isolation levels a transaction can ask for.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        // Transaction control goes as plain text (nothing to prepare), which also keeps these statements in
        // pg_stat_statements' counts.
        try runScript("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        let result: Result
        do {
            result = try body(self)
        } catch {
            if !isBroken { try? runScript("ROLLBACK") }
            throw error
        }
        try runScript("COMMIT")
        return result
    }
}
