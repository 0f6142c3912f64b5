import PostgresClient

/// What the portal's status page and start-up log say about the database: where it is and whether its schema is
/// current.
public struct DatabaseStatus: Sendable {
    /// The database's name.
    public let database: String
    /// The role the portal logs in as.
    public let user: String
    /// A host name, an address or a Unix socket folder.
    public let host: String
    /// The port.
    public let port: String
    /// The server's version, `15.18`.
    public let serverVersion: String
    /// How many migrations this binary ships.
    public let migrationCount: Int
    /// The file names of migrations not yet applied (empty when current).
    public let pendingMigrations: [String]

    /// True when every shipped migration is applied.
    public var isCurrent: Bool { pendingMigrations.isEmpty }
}

/// The portal's own state: the database's status, whether it answers, and whether the read cache serves.
public struct SystemStatus: Sendable {
    let database: Database

    /// Where the database is and which of `migrator`'s migrations are pending; an edited applied migration
    /// throws `MigrationError`.
    public func databaseStatus(migrator: Migrator) throws -> DatabaseStatus {
        try database.read { connection in
            let pending = try migrator.pending(connection: connection)
            let summary = connection.summary
            return DatabaseStatus(
                database: summary.database, user: summary.user, host: summary.host, port: summary.port,
                serverVersion: summary.serverVersionText, migrationCount: migrator.migrationCount,
                pendingMigrations: pending.map(\.fileName))
        }
    }

    /// Whether the database answers a query now (for a load balancer's health check).
    public func databaseAnswers() -> Bool {
        (try? database.read { try $0.query("SELECT 1") }) != nil
    }

    /// The read cache, when one is kept.
    public var readCache: ReadCache? { database.changes?.cache }
}
