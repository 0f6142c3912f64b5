import CoreMetrics
import Foundation
import Logging

/// A bounded pool of connections shared by the server's threads.
///
/// At most `maximumConnections` are open; a caller that cannot get one within `acquireTimeout` gets
/// `PostgresError.poolTimeout` instead of waiting forever. A connection that broke, or that the server
/// closed while it sat idle, is dropped and replaced by a fresh one on demand. An outage (the server down
/// or restarting) or a time when every connection stays busy is logged when it begins and when it ends,
/// not once per failed request.
public final class PostgresPool: @unchecked Sendable {
    /// How to reach the database and how many connections to keep.
    public struct Configuration: Sendable {
        /// A `postgres://` URL or a libpq `key=value` string.
        public var connectionString: String
        /// The most connections open at once.
        public var maximumConnections: Int
        /// How long a caller waits for a free connection before giving up.
        public var acquireTimeout: Duration
        /// How long opening one connection may take.
        public var connectTimeoutSeconds: Int
        /// The longest a statement may run or wait for a lock before the server cancels it; nil: no limit.
        public var statementTimeout: Duration?
        /// Shown in `pg_stat_activity`.
        public var applicationName: String

        /// Defaults suit a web application on a small machine: 10 connections, a 5-second wait.
        public init(
            connectionString: String, maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(5),
            connectTimeoutSeconds: Int = 5, statementTimeout: Duration? = nil,
            applicationName: String = "PostgresClient"
        ) {
            self.connectionString = connectionString
            self.maximumConnections = maximumConnections
            self.acquireTimeout = acquireTimeout
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.statementTimeout = statementTimeout
            self.applicationName = applicationName
        }
    }

    /// The pool's settings.
    public let configuration: Configuration
    /// Told which server processes are the pool's own and of writes nobody accounted for; nil when nothing
    /// keeps data read from the database.
    public let observer: (any PostgresPoolObserver)?
    private let logger: Logger
    // Guards `idle`, `openCount`, `isClosed` and the incidents.
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    /// Callers waiting for a connection to become free.
    private var waitingCount = 0
    private var isClosed = false
    /// Open connections found broken or closed by the server, until a new one opens.
    private var lost = Incident()
    /// Connections failing to open, until one opens again.
    private var unreachable = Incident()
    /// Callers timing out waiting for a connection, until one gets a connection again.
    private var exhausted = Incident()

    /// Creates an empty pool; connections open on first use. A malformed connection string throws here.
    /// `observer`, when given, hears of the pool's connections and of their unaccounted writes.
    public init(
        configuration: Configuration, observer: (any PostgresPoolObserver)? = nil, logger: Logger
    )
        throws(PostgresError)
    {
        try PostgresConnection.validate(configuration.connectionString)
        self.configuration = configuration
        self.observer = observer
        self.logger = logger
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever `body` does.
    public func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        do {
            let connection = try acquire()
            defer { release(connection) }
            return try body(connection)
        } catch let error as PostgresError {
            PoolMetrics.error(error).increment()
            throw error
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func withTransaction<Result>(
        isolation: IsolationLevel = .readCommitted, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        try withConnection { connection in try connection.withTransaction(isolation: isolation, body) }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        try withConnection { connection in try connection.query(query) }
    }

    /// How many connections are open, how many of them are idle, and how many callers wait for one, for health
    /// pages, metrics and tests.
    public var statistics: (open: Int, idle: Int, waiting: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (openCount, idle.count, waitingCount)
    }

    /// Refuses further use and closes the idle connections; leased ones close when given back.
    public func close() {
        condition.lock()
        isClosed = true
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        condition.broadcast()
        condition.unlock()
        for connection in closing { observer?.poolClosed(backendProcessID: connection.backendProcessID) }
        logger.debug("database pool closed", metadata: ["closed": "\(closing.count)"])
    }

    private func acquire() throws(PostgresError) -> PostgresConnection {
        let deadline = Date(timeIntervalSinceNow: configuration.acquireTimeout.seconds)
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw PostgresError(kind: .poolClosed, message: "the database pool is shutting down")
            }
            if let connection = idle.popLast() {
                let busyRun = exhausted.end(quietFor: .seconds(10))
                condition.unlock()
                logBusyRunEnded(busyRun)
                if connection.isUsableAfterIdling() { return connection }
                observer?.poolClosed(backendProcessID: connection.backendProcessID)
                condition.lock()
                openCount -= 1
                let begins = lost.fail()
                condition.unlock()
                logConnectionLost("the server closed an idle database connection", begins: begins)
                condition.lock()
                continue
            }
            if openCount < configuration.maximumConnections {
                openCount += 1
                let busyRun = exhausted.end(quietFor: .seconds(10))
                condition.unlock()
                logBusyRunEnded(busyRun)
                return try open()
            }
            waitingCount += 1
            let woke = condition.wait(until: deadline)
            waitingCount -= 1
            if !woke {
                let begins = exhausted.fail()
                condition.unlock()
                PoolMetrics.acquireTimeouts.increment()
                let message =
                    "no database connection became free within \(configuration.acquireTimeout) "
                    + "(all \(configuration.maximumConnections) in use)"
                if begins {
                    logger.warning("database pool exhausted: \(message); requests get 503 until one is free")
                }
                throw PostgresError(kind: .poolTimeout, message: message)
            }
        }
    }

    private func open() throws(PostgresError) -> PostgresConnection {
        do {
            let connection = try PostgresConnection(
                connectionString: configuration.connectionString,
                applicationName: configuration.applicationName,
                connectTimeoutSeconds: configuration.connectTimeoutSeconds,
                statementTimeout: configuration.statementTimeout)
            observer?.poolOpened(backendProcessID: connection.backendProcessID)
            condition.lock()
            let outage = unreachable.end()
            _ = lost.end()
            condition.unlock()
            logger.debug("opened a database connection")
            if let outage {
                let failed = "\(outage.failures) failed connection attempt\(outage.failures == 1 ? "" : "s") meanwhile"
                logger.notice("database reachable again after \(outage.duration.logText) (\(failed))")
            }
            return connection
        } catch {
            condition.lock()
            openCount -= 1
            let begins = unreachable.fail()
            condition.signal()
            condition.unlock()
            if begins {
                logger.error(
                    "cannot connect to the database; requests get 503 until it is back",
                    metadata: ["error": "\(error.message)"])
            } else {
                logger.debug("cannot connect to the database", metadata: ["error": "\(error.message)"])
            }
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) {
        if !connection.isBroken && connection.isInTransaction {
            // A body that escaped a transaction block must not hand its open transaction to the next caller.
            try? connection.runScript("ROLLBACK")
        }
        if connection.takeChanged() { observer?.poolConnectionWroteUnaccounted() }
        condition.lock()
        var begins: Bool?
        if isClosed || connection.isBroken || connection.isInTransaction {
            observer?.poolClosed(backendProcessID: connection.backendProcessID)
            openCount -= 1
            if connection.isBroken { begins = lost.fail() }
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
        if let begins { logConnectionLost("a database connection broke while in use", begins: begins) }
    }

    /// The first lost connection of an outage is a warning; the rest of it (often one per pooled connection
    /// after a server restart) is debug detail.
    private func logConnectionLost(_ what: String, begins: Bool) {
        if begins {
            logger.warning("\(what); replacing it (until a new one opens, further losses are logged at debug level)")
        } else {
            logger.debug("\(what); replacing it")
        }
    }

    private func logBusyRunEnded(_ run: (duration: Duration, failures: Int)?) {
        guard let run else { return }
        let timedOut = "\(run.failures) requests timed out over \(run.duration.logText)"
        logger.notice("database pool no longer exhausted: \(timedOut), none in the 10 s since")
    }
}

/// Whoever keeps data read through a pool and must know when it may have changed (a read cache): which server
/// processes are the pool's own (their notifications are not news), and when a connection comes back having
/// changed rows that nobody accounted for (`PostgresConnection.takeChanged()`). Called on the pool's callers'
/// threads, so each call must be quick.
public protocol PostgresPoolObserver: AnyObject, Sendable {
    /// A connection opened, served by the server process `backendProcessID`.
    func poolOpened(backendProcessID: Int32)
    /// The connection served by `backendProcessID` closed (the id may serve someone else next).
    func poolClosed(backendProcessID: Int32)
    /// A connection came back having changed rows, and whoever used it did not take the mark.
    func poolConnectionWroteUnaccounted()
}

extension Duration {
    /// The duration in seconds, as the `TimeInterval` Foundation's waits take.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `4.2 s`, for log lines.
    public var logText: String { String(format: "%.1f s", seconds) }
}
