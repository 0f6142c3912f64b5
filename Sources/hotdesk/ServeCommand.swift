import ArgumentParser
import Foundation
import HotDesk
import Logging
import Portal
import PostgresClient
import WebServer

/// `hotdesk serve`: runs the portal until SIGINT or SIGTERM, then shuts down gracefully.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web portal.",
        discussion: """
            Connects as the portal's runtime role (data access, no DDL). On SIGINT or SIGTERM it stops \
            accepting connections, lets requests in flight finish, and closes the database pool.
            """)

    @OptionGroup var options: DatabaseOptions

    @Option(help: ServeSettings.listen.help) var listen: String?
    @Option(help: CommonSettings.resources.help) var resources: String?
    @Option(help: ServeSettings.threads.help) var threads: String?
    @Option(name: .customLong("pool-size"), help: ServeSettings.poolSize.help) var poolSize: String?
    @Option(name: .customLong("pool-timeout"), help: ServeSettings.poolTimeout.help) var poolTimeout: String?
    @Option(name: .customLong("statement-timeout"), help: ServeSettings.statementTimeout.help)
    var statementTimeout: String?
    @Option(name: .customLong("connection-timeout"), help: ServeSettings.connectionTimeout.help)
    var connectionTimeout: String?
    @Option(name: .customLong("public-url"), help: ServeSettings.publicURL.help) var publicURL: String?
    @Option(name: .customLong("session-idle-timeout"), help: ServeSettings.sessionIdleTimeout.help)
    var sessionIdleMinutes: String?
    @Option(name: .customLong("session-absolute-timeout"), help: ServeSettings.sessionAbsoluteTimeout.help)
    var sessionAbsoluteHours: String?
    @Option(name: .customLong("read-cache-entries"), help: ServeSettings.readCacheEntries.help)
    var readCacheEntries: String?
    @Option(name: .customLong("api-rate-limit"), help: ServeSettings.apiRateLimit.help) var apiRateLimit: String?

    func run() throws {
        TerminationSignal.blockInCurrentThread()
        let configuration = try ServeSettings.resolve(self, environment: ProcessEnvironment.current)
        let logger = LogSetup.bootstrap(level: configuration.logLevel)
        do {
            try serve(configuration, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
    }

    private func serve(_ configuration: Configuration, logger: Logger) throws {
        // The read cache needs to hear of changes made elsewhere: one more connection, which only listens.
        let changes =
            configuration.readCacheEntries > 0
            ? ChangeFeed(
                cache: ReadCache(capacity: configuration.readCacheEntries), connectionString: configuration.databaseURL,
                logger: logger) : nil
        changes?.start()
        let pool = try PostgresPool(
            configuration: .init(
                connectionString: configuration.databaseURL, maximumConnections: configuration.poolSize,
                acquireTimeout: configuration.poolTimeout, statementTimeout: configuration.statementTimeout,
                applicationName: "hotdesk serve"),
            observer: changes, logger: logger)
        let migrator = Migrator(migrations: try Migration.load(from: configuration.migrationsFolder), logger: logger)
        let passwordPolicy = try Portal.passwordPolicy(resourcesFolder: configuration.resourcesFolder)
        let operations = Operations(
            pool: pool, changes: changes, passwordPolicy: passwordPolicy, settings: configuration.operations,
            logger: logger)
        let portal = try Portal(
            resourcesFolder: configuration.resourcesFolder, operations: operations, migrator: migrator,
            passwordPolicy: passwordPolicy, settings: configuration.portal, logger: logger)
        reportDatabase(operations.system, migrator: migrator, logger: logger)

        var serverConfiguration = HTTPServer.Configuration()
        serverConfiguration.host = configuration.listen.host
        serverConfiguration.port = configuration.listen.port
        serverConfiguration.threadCount = configuration.threads
        // A request waits for a handler thread no longer than for a database connection: then 503.
        serverConfiguration.queueTimeout = configuration.poolTimeout
        serverConfiguration.connectionTimeoutSeconds = configuration.connectionTimeoutSeconds
        serverConfiguration.defaultHeaders = Portal.securityHeaders
        serverConfiguration.secretPathPrefixes = Portal.secretPathPrefixes
        serverConfiguration.bodyLimits = Portal.uploadLimits
        let server = HTTPServer(
            configuration: serverConfiguration, responder: portal.makeRouter(),
            errorPage: { error, requestID, path in portal.errorPage(for: error, requestID: requestID, path: path) },
            logger: logger)
        try server.start()
        logger.notice(
            "HotDesk listening on http://\(configuration.listen)",
            metadata: ["threads": "\(configuration.threads)", "pool": "\(configuration.poolSize)"])

        let signal = TerminationSignal.wait()
        logger.notice("received signal \(signal): finishing requests in flight, then stopping")
        server.shutdown()
        changes?.stop()
        pool.close()
        logger.notice("stopped")
    }

    /// Logs where the database is and whether its schema is current; the portal starts either way, so that
    /// it can show the problem on its status page.
    private func reportDatabase(_ system: SystemStatus, migrator: Migrator, logger: Logger) {
        do {
            let status = try system.databaseStatus(migrator: migrator)
            let place = "\(status.database) as \(status.user) on \(status.host)"
            if status.isCurrent {
                logger.info("database \(place): schema current (\(status.migrationCount) migrations)")
            } else {
                logger.warning(
                    "database \(place): \(status.pendingMigrations.count) migration(s) pending; run `hotdesk migrate`")
            }
        } catch {
            logger.error("database not usable yet: \(error); serving 503 pages until it is")
        }
    }
}
