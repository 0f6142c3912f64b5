import PostgresClient

/// What the portal's status page and start-up log say about the database: where it is and whether
/// its schema is current.
public struct DatabaseStatus: Sendable {
    /// Database, role, host and server version of the connection.
    public let connection: ConnectionSummary
    /// How many migrations this binary ships.
    public let migrationCount: Int
    /// The file names of migrations not yet applied (empty when current).
    public let pendingMigrations: [String]

    /// True when every shipped migration is applied.
    public var isCurrent: Bool { pendingMigrations.isEmpty }

    /// Reads the status over one pooled connection; an edited applied migration throws `MigrationError`.
    public static func read(pool: PostgresPool, migrator: Migrator) throws -> DatabaseStatus {
        try pool.withConnection { connection in
            let pending = try migrator.pending(connection: connection)
            return DatabaseStatus(
                connection: connection.summary,
                migrationCount: migrator.migrationCount,
                pendingMigrations: pending.map(\.fileName))
        }
    }
}
