import Logging
import PostgresClient

/// Applies the numbered SQL files of `migrations/` to a database, exactly once each.
///
/// Runs as the role that owns the schema. Concurrent runners (two instances starting at once)
/// serialize on a PostgreSQL advisory lock, so each file is applied once; every file runs in its own
/// transaction and is recorded in `hotdesk.schema_migrations` with a SHA-256 checksum. An applied file
/// whose content changed is refused rather than silently ignored.
public struct Migrator: Sendable {
    /// The advisory lock key all HotDesk migrators share ("HotDesk!" in ASCII).
    static let advisoryLockKey: Int64 = 0x486F_7444_6573_6B21

    private let migrations: [Migration]
    private let logger: Logger

    /// Creates a migrator for the given files (see `Migration.load(from:)`).
    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// How many migration files this migrator knows.
    public var migrationCount: Int { migrations.count }

    /// Applies every pending migration and returns the ones it applied (empty when up to date).
    @discardableResult
    public func migrate(connection: PostgresConnection) throws -> [Migration] {
        try connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
        try connection.runScript(
            """
            CREATE SCHEMA IF NOT EXISTS hotdesk;
            CREATE TABLE IF NOT EXISTS hotdesk.schema_migrations (
                version integer PRIMARY KEY,
                file_name text NOT NULL,
                checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """)
        let checksums = try self.checksums(connection: connection)
        let pending = try self.pending(connection: connection, checksums: checksums)
        for migration in pending {
            let checksum = checksums[migration.number]!
            do {
                try connection.withTransaction { connection in
                    try connection.runScript(migration.sql)
                    try connection.query(
                        """
                        INSERT INTO hotdesk.schema_migrations (version, file_name, checksum)
                        VALUES (\(migration.number), \(migration.fileName), \(checksum))
                        """)
                }
            } catch let error as PostgresError where error.kind == .server {
                throw MigrationError.failed(fileName: migration.fileName, reason: error.message)
            }
            logger.info("applied migration", metadata: ["file": "\(migration.fileName)"])
        }
        return pending
    }

    /// The migrations not yet applied; throws when an applied one was edited or is missing.
    ///
    /// Works as any role that can read `hotdesk.schema_migrations` (the portal's runtime role can), so
    /// `serve` can say whether the schema is current. A database never migrated has every file pending.
    public func pending(connection: PostgresConnection) throws -> [Migration] {
        try pending(connection: connection, checksums: checksums(connection: connection))
    }

    private func pending(connection: PostgresConnection, checksums: [Int: String]) throws -> [Migration] {
        let exists = try connection.query("SELECT to_regclass('hotdesk.schema_migrations') IS NOT NULL AS present")
        guard try exists[0].decode("present", as: Bool.self) else { return migrations }
        let applied = try connection.query("SELECT version, file_name, checksum FROM hotdesk.schema_migrations")
        var recorded: [Int: (fileName: String, checksum: String)] = [:]
        for row in applied {
            recorded[try row.decode("version")] = (try row.decode("file_name"), try row.decode("checksum"))
        }
        for (number, entry) in recorded.sorted(by: { $0.key < $1.key })
        where !migrations.contains(where: { $0.number == number }) {
            throw MigrationError.appliedButMissing(number: number, fileName: entry.fileName)
        }
        var pending: [Migration] = []
        for migration in migrations {
            guard let entry = recorded[migration.number] else {
                pending.append(migration)
                continue
            }
            let checksum = checksums[migration.number]!
            guard checksum == entry.checksum else {
                throw MigrationError.changedAfterApplied(
                    fileName: migration.fileName, recorded: entry.checksum, current: checksum)
            }
        }
        return pending
    }

    /// The SHA-256 of each file's UTF-8 text by number, computed by PostgreSQL itself in one round trip
    /// (no crypto library needed).
    private func checksums(connection: PostgresConnection) throws -> [Int: String] {
        let rows = try connection.query(
            """
            SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex') AS sum
            FROM unnest(\(migrations.map(\.sql))::text[]) WITH ORDINALITY AS files (sql, position)
            ORDER BY position
            """)
        var checksums: [Int: String] = [:]
        for (migration, row) in zip(migrations, rows) {
            checksums[migration.number] = try row.decode("sum")
        }
        return checksums
    }
}
