import ArgumentParser
import CoreMetrics
import Foundation
import HotDesk
import Logging
import Portal
import PostgresClient
import Prometheus
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
    @Option(name: .customLong("trusted-proxies"), help: ServeSettings.trustedProxies.help)
    var trustedProxies: String?
    @Option(name: .customLong("tls-certificate"), help: ServeSettings.tlsCertificate.help) var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: ServeSettings.tlsKey.help) var tlsKey: String?
    @Option(name: .customLong("metrics-listen"), help: ServeSettings.metricsListen.help) var metricsListen: String?
    @Option(name: .customLong("metrics-token-file"), help: ServeSettings.metricsTokenFile.help)
    var metricsTokenFile: String?

    func run() throws {
        TerminationSignal.blockInCurrentThread()
        let configuration = try ServeSettings.resolve(self, environment: ProcessEnvironment.current)
        let logger = configuration.logging.bootstrap()
        do {
            try serve(configuration, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
    }

    private func serve(_ configuration: Configuration, logger: Logger) throws {
        // First, so that every metric the libraries make lands in this registry.
        let registry = PrometheusCollectorRegistry()
        if configuration.metricsListener != .off {
            MetricsSystem.bootstrap(HelpfulPrometheusFactory(registry: registry))
        }
        let tls = try configuration.tls.map {
            try TLSCredentials(certificateFile: $0.certificateFile, keyFile: $0.keyFile)
        }
        let metricsToken = try configuration.metricsTokenFile.map(Self.readToken)
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
        try Self.refuseTransactionPooling(configuration.databaseURL, logger: logger)
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
        serverConfiguration.trustedProxies = configuration.trustedProxies
        serverConfiguration.tls = tls
        let server = HTTPServer(
            configuration: serverConfiguration, responder: portal.makeRouter(),
            errorPage: { error, requestID, path in portal.errorPage(for: error, requestID: requestID, path: path) },
            logger: logger)
        try server.start()
        let metrics: MetricsEndpoint?
        if case .on(let address) = configuration.metricsListener {
            metrics = MetricsEndpoint(
                listen: address, token: metricsToken, registry: registry, pool: pool, portal: server, logger: logger)
            try metrics?.start()
        } else {
            metrics = nil
        }
        logger.notice(
            "HotDesk listening on \(tls == nil ? "http" : "https")://\(configuration.listen)",
            metadata: [
                "threads": "\(configuration.threads)", "pool": "\(configuration.poolSize)",
                "trusted_proxies": "\(configuration.trustedProxies.ranges.map(\.description).joined(separator: ","))",
                "metrics": "\(metrics.map { "http://\($0.host):\($0.port)/metrics" } ?? "off")",
            ])
        if tls != nil, configuration.portal.publicURL == nil {
            logger.warning(
                "serving HTTPS without --public-url: cookies are not marked Secure; set --public-url https://…")
        }

        let signal = TerminationSignal.wait()
        logger.notice("received signal \(signal): finishing requests in flight, then stopping")
        server.shutdown()
        metrics?.shutdown()
        changes?.stop()
        pool.close()
        logger.notice("stopped")
    }

    /// Stops start-up when the database URL leads to a pooler in transaction mode, whose shared sessions would
    /// make prepared statements and the read cache's `LISTEN` fail at random later; a database that cannot be
    /// reached yet is only logged (the portal serves 503 pages until it can).
    private static func refuseTransactionPooling(_ databaseURL: String, logger: Logger) throws {
        do {
            guard try SessionPooling.sharesSessions(connectionString: databaseURL, applicationName: "hotdesk serve")
            else { return }
        } catch {
            logger.warning("could not check for a pooler in transaction mode: \(error.message)")
            return
        }
        throw StartupError(
            """
            The database connection (--database-url) shares server sessions between connections: a pooler in \
            transaction or statement mode (PgBouncer's pool_mode = transaction) is in between. HotDesk keeps \
            prepared statements and a LISTEN in each session, so it needs a session of its own per connection: \
            connect to PostgreSQL directly, or set pool_mode = session for this database.
            """)
    }

    /// The metrics token: the file's first line, which must not be empty.
    private static func readToken(_ path: String) throws -> String {
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) })
        else {
            throw StartupError("The metrics token file \(path) (--metrics-token-file) cannot be read.")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard token.count >= 16 else {
            throw StartupError(
                "The metrics token file \(path) (--metrics-token-file) must hold a token of at least 16 characters.")
        }
        return token
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
