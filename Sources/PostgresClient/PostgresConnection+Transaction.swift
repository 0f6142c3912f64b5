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
        switch isolation {
        case .readCommitted: try query("BEGIN")
        case .repeatableRead: try query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        case .serializable: try query("BEGIN ISOLATION LEVEL SERIALIZABLE")
        }
        let result: Result
        do {
            result = try body(self)
        } catch {
            if !isBroken { _ = try? query("ROLLBACK") }
            throw error
        }
        try query("COMMIT")
        return result
    }
}
