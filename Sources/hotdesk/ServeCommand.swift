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

    @Option(help: ArgumentHelp(
        "Address and port to listen on, HOST:PORT ([::1]:8080 for IPv6). Env: HOTDESK_LISTEN. Default: 127.0.0.1:8080.",
        valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp(
        "Folder holding templates/ and static/. Env: HOTDESK_RESOURCES. Default: ./Resources.", valueName: "folder"))
    var resources: String?

    @Option(help: ArgumentHelp(
        "HTTP worker threads. Env: HOTDESK_THREADS. Default: 4 per CPU core.", valueName: "count"))
    var threads: Int?

    @Option(name: .customLong("pool-size"), help: ArgumentHelp(
        "Most database connections open at once. Env: HOTDESK_DB_POOL_SIZE. Default: 2 per HTTP thread, at most 20.",
        valueName: "count"))
    var poolSize: Int?

    @Option(name: .customLong("pool-timeout"), help: ArgumentHelp(
        "Seconds a request waits for a free database connection before it gets a 503. Env: HOTDESK_DB_POOL_TIMEOUT. Default: 5.",
        valueName: "seconds"))
    var poolTimeout: Double?

    @Option(name: .customLong("statement-timeout"), help: ArgumentHelp(
        "Seconds a database statement may run (or wait for a lock) before it is cancelled and the request gets a 503. Env: HOTDESK_DB_STATEMENT_TIMEOUT. Default: 10.",
        valueName: "seconds"))
    var statementTimeout: Double?

    @Option(name: .customLong("connection-timeout"), help: ArgumentHelp(
        "Seconds an HTTP connection may sit idle or trickle its request before it is closed. Env: HOTDESK_CONNECTION_TIMEOUT. Default: 15.",
        valueName: "seconds"))
    var connectionTimeout: Int?

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "The portal's public URL, e.g. https://hotdesk.example.com. Requests that change data must come from this origin; an https URL makes cookies Secure with the __Host- prefix. Env: HOTDESK_PUBLIC_URL. Default: none (the request's Host over http, for development).",
        valueName: "url"))
    var publicURL: String?

    @Option(name: .customLong("session-idle-timeout"), help: ArgumentHelp(
        "Minutes without a request before a session ends. Env: HOTDESK_SESSION_IDLE_MINUTES. Default: 30.",
        valueName: "minutes"))
    var sessionIdleMinutes: Int?

    @Option(name: .customLong("session-absolute-timeout"), help: ArgumentHelp(
        "Hours after sign-in before a session ends however active. Env: HOTDESK_SESSION_ABSOLUTE_HOURS. Default: 12.",
        valueName: "hours"))
    var sessionAbsoluteHours: Int?

    @Option(name: .customLong("read-cache-entries"), help: ArgumentHelp(
        "Recent reads (sessions, installs, Users tab pages) kept in memory; any change to the data, from this portal or from elsewhere (heard through PostgreSQL notifications), drops them all. 0 turns the cache off. A Users tab page takes about 20 KB. Env: HOTDESK_READ_CACHE_ENTRIES. Default: 2000.",
        valueName: "count"))
    var readCacheEntries: Int?

    func run() throws {
        TerminationSignal.blockInCurrentThread()
        let configuration = try resolve()
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
            configuration.portal.readCacheEntries > 0
            ? ChangeFeed(connectionString: configuration.databaseURL, logger: logger) : nil
        changes?.start()
        let pool = try PostgresPool(
            configuration: .init(
                connectionString: configuration.databaseURL, maximumConnections: configuration.poolSize,
                acquireTimeout: configuration.poolTimeout, statementTimeout: configuration.statementTimeout,
                applicationName: "hotdesk serve"),
            changes: changes, logger: logger)
        let migrator = Migrator(migrations: try Migration.load(from: configuration.migrationsFolder), logger: logger)
        let portal = try Portal(
            resourcesFolder: configuration.resourcesFolder, pool: pool, migrator: migrator,
            settings: configuration.portal, logger: logger)
        reportDatabase(pool: pool, migrator: migrator, logger: logger)

        var serverConfiguration = HTTPServer.Configuration()
        serverConfiguration.host = configuration.listen.host
        serverConfiguration.port = configuration.listen.port
        serverConfiguration.threadCount = configuration.threads
        // A request waits for a handler thread no longer than for a database connection: then 503.
        serverConfiguration.queueTimeout = configuration.poolTimeout
        serverConfiguration.connectionTimeoutSeconds = configuration.connectionTimeoutSeconds
        serverConfiguration.defaultHeaders = Portal.securityHeaders
        serverConfiguration.secretPathPrefixes = Portal.secretPathPrefixes
        let server = HTTPServer(
            configuration: serverConfiguration, responder: portal.makeRouter(),
            errorPage: { error, requestID in portal.errorPage(for: error, requestID: requestID) }, logger: logger)
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
    private func reportDatabase(pool: PostgresPool, migrator: Migrator, logger: Logger) {
        do {
            let status = try DatabaseStatus.read(pool: pool, migrator: migrator)
            let place = "\(status.connection.database) as \(status.connection.user) on \(status.connection.host)"
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

    private func resolve() throws -> Configuration {
        let listenText = Setting.value(listen, environment: "HOTDESK_LISTEN") ?? "127.0.0.1:8080"
        guard let listenAddress = ListenAddress(listenText) else {
            throw ValidationError("--listen/HOTDESK_LISTEN must be HOST:PORT, e.g. 127.0.0.1:8080 (got \(listenText)).")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threadCount = try positive(threads, "HOTDESK_THREADS", "--threads") ?? 4 * cores
        let pool = try positive(poolSize, "HOTDESK_DB_POOL_SIZE", "--pool-size") ?? min(20, 2 * threadCount)
        let timeout = try positiveDouble(poolTimeout, "HOTDESK_DB_POOL_TIMEOUT", "--pool-timeout") ?? 5
        let statementSeconds =
            try positiveDouble(statementTimeout, "HOTDESK_DB_STATEMENT_TIMEOUT", "--statement-timeout") ?? 10
        let connectionTimeout =
            try positive(connectionTimeout, "HOTDESK_CONNECTION_TIMEOUT", "--connection-timeout") ?? 15
        var portal = PortalSettings()
        portal.publicURL = Setting.value(publicURL, environment: "HOTDESK_PUBLIC_URL")
        if let url = portal.publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--public-url/HOTDESK_PUBLIC_URL must start with http:// or https:// (got \(url)).")
        }
        if let minutes = try positive(sessionIdleMinutes, "HOTDESK_SESSION_IDLE_MINUTES", "--session-idle-timeout") {
            portal.sessionIdleTimeout = .seconds(minutes * 60)
        }
        if let hours = try positive(sessionAbsoluteHours, "HOTDESK_SESSION_ABSOLUTE_HOURS", "--session-absolute-timeout") {
            portal.sessionAbsoluteTimeout = .seconds(hours * 3600)
        }
        portal.concurrentPasswordHashes = max(1, cores)
        if let text = Setting.value(readCacheEntries.map(String.init), environment: "HOTDESK_READ_CACHE_ENTRIES") {
            guard let entries = Int(text), entries >= 0 else {
                throw ValidationError(
                    "--read-cache-entries/HOTDESK_READ_CACHE_ENTRIES must be a whole number, 0 or more (got \(text)).")
            }
            portal.readCacheEntries = entries
        }
        return Configuration(
            databaseURL: try options.resolvedDatabaseURL(environment: ["DATABASE_URL"]),
            resourcesFolder: Setting.value(resources, environment: "HOTDESK_RESOURCES") ?? "Resources",
            migrationsFolder: options.resolvedMigrationsFolder(),
            listen: listenAddress,
            threads: threadCount,
            poolSize: pool,
            poolTimeout: .milliseconds(Int(timeout * 1000)),
            statementTimeout: .milliseconds(Int(statementSeconds * 1000)),
            connectionTimeoutSeconds: connectionTimeout,
            logLevel: try options.resolvedLogLevel(),
            portal: portal)
    }

    private func positive(_ flag: Int?, _ variable: String, _ flagName: String) throws -> Int? {
        guard let text = Setting.value(flag.map(String.init), environment: variable) else { return nil }
        guard let value = Int(text), value > 0 else {
            throw ValidationError("\(flagName)/\(variable) must be a whole number above 0 (got \(text)).")
        }
        return value
    }

    private func positiveDouble(_ flag: Double?, _ variable: String, _ flagName: String) throws -> Double? {
        guard let text = Setting.value(flag.map { String($0) }, environment: variable) else { return nil }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw ValidationError("\(flagName)/\(variable) must be a number of seconds above 0 (got \(text)).")
        }
        return value
    }
}
