import ArgumentParser
import HotDesk
import PostgresClient

/// `hotdesk migrate`: applies pending migrations as the schema's owner.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (as the role that owns the schema).",
        discussion: """
            Each pending file of the migrations folder runs in its own transaction, in number order, under an \
            advisory lock so that two instances starting at once do not race. The database URL comes from \
            --database-url, else HOTDESK_MIGRATION_DATABASE_URL, else DATABASE_URL. A file changed after it \
            was applied is refused. Use --status to list pending migrations without applying them.
            """)

    @OptionGroup var options: DatabaseOptions

    @Flag(help: "Only report which migrations are pending; change nothing.")
    var status = false

    func run() throws {
        let logger = try options.resolvedLogging(in: ProcessEnvironment.current).bootstrap()
        let url = try options.resolvedDatabaseURL(
            variables: ["HOTDESK_MIGRATION_DATABASE_URL", "DATABASE_URL"], in: ProcessEnvironment.current)
        let migrator = Migrator(
            migrations: try Migration.load(from: options.resolvedMigrationsFolder(in: ProcessEnvironment.current)),
            logger: logger)
        let connection = try PostgresConnection(connectionString: url, applicationName: "hotdesk migrate")
        let summary = connection.summary
        if status {
            let pending = try migrator.pending(connection: connection)
            print(
                pending.isEmpty
                    ? "Database \(summary.database) is current (\(migrator.migrationCount) migrations applied)."
                    : "Database \(summary.database): \(pending.count) pending: \(pending.map(\.fileName).joined(separator: ", "))."
            )
            return
        }
        let applied = try migrator.migrate(connection: connection)
        print(
            applied.isEmpty
                ? "Database \(summary.database) is current; nothing to apply."
                : "Applied \(applied.count) migration(s) to \(summary.database): \(applied.map(\.fileName).joined(separator: ", "))."
        )
    }
}
