import CLibPQ
import Foundation

/// One connection to PostgreSQL, owning libpq's `PGconn` and freeing it in `deinit`.
///
/// A connection is used by one thread at a time (libpq's rule); `PostgresPool` lends connections out.
/// Values always travel as `$n` parameters. Each SQL text is prepared on the server the first time this
/// connection runs it and executed by name afterwards, so PostgreSQL parses and analyses it once per
/// connection instead of once per request (and may keep a generic plan: the statements take their bounds as
/// parameters, never as text).
public final class PostgresConnection {
    private let handle: OpaquePointer
    /// The server-side name of each SQL text prepared on this connection.
    private var preparedNames: [String: String] = [:]
    /// Statements prepared so far, forgotten ones included: the next one's name.
    private var preparedCount = 0
    /// Set when a pipeline could not be closed cleanly.
    private var isUnusable = false
    /// Set by a statement that changed rows (its command tag is INSERT, UPDATE, DELETE, MERGE, TRUNCATE or
    /// COPY); the pool reads and clears it when the connection comes back (`takeChanged()`).
    private var hasChanged = false
    /// The most statements one connection prepares; SQL beyond it runs unprepared. A program's SQL texts are
    /// usually literals in its code, so they are far fewer; the limit only guards against a caller building SQL text.
    static let maximumPreparedStatements = 512

    /// Opens a connection from a `postgres://` URL or a libpq `key=value` string.
    ///
    /// The session is set to UTF-8, ISO dates and UTC so that values decode the same way everywhere; with a
    /// `statementTimeout`, a statement running (or waiting for a lock) longer is cancelled with SQLSTATE 57014.
    /// The settings are sent as one `SET` after connecting rather than as the startup packet's `options`, which
    /// PgBouncer refuses. The corresponding C functions are `PQconnectdbParams` and `PQexec`.
    public init(
        connectionString: String, applicationName: String = "PostgresClient", connectTimeoutSeconds: Int = 5,
        statementTimeout: Duration? = nil
    ) throws(PostgresError) {
        try Self.validate(connectionString)
        let timeout = statementTimeout.map { "; SET statement_timeout = \(max(1, Int($0.seconds * 1000)))" } ?? ""
        // Keywords before `dbname` are defaults; the expanded connection string overrides them.
        let settings: [(String, String)] = [
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("dbname", connectionString),
        ]
        let connection = withCStringArray(settings.map(\.0)) { keywords in
            withCStringArray(settings.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorText(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        PQsetNoticeReceiver(connection, { _, _ in }, nil)
        let set = PQexec(connection, "SET DateStyle = ISO; SET TimeZone = 'UTC'" + timeout)
        defer { PQclear(set) }
        guard PQresultStatus(set) == PGRES_COMMAND_OK else {
            let message = Self.errorText(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        self.handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// Checks a connection string without connecting, so a typo is reported as such.
    /// The corresponding C function is `PQconninfoParse`.
    public static func validate(_ connectionString: String) throws(PostgresError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let message = errorMessage.map { errorText($0) } ?? "not a connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(kind: .invalidConfiguration, message: "invalid database URL: \(message)")
        }
        PQconninfoFree(options)
    }

    /// Runs one parameterized statement and returns its rows.
    ///
    /// The first run of a SQL text on this connection prepares it (`PQprepare`); later runs execute the
    /// prepared statement (`PQexecPrepared`). Should a schema change meanwhile alter a prepared statement's
    /// result columns (PostgreSQL refuses with 0A000), the statement is prepared again and, outside a
    /// transaction, run once more.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        try Self.refuseNUL(in: query)
        guard let name = try preparedName(for: query) else {
            let result = withCStringArray(query.binds) { values in
                PQexecParams(handle, query.sql, Int32(query.binds.count), nil, values, nil, nil, 0)
            }
            return try consume(result)
        }
        do {
            return try execute(name, query)
        } catch let error where error.sqlState == .featureNotSupported {
            // The stale statement stays on the server under its old name until the connection closes.
            preparedNames[query.sql] = nil
            guard !isInTransaction, let renamed = try preparedName(for: query) else { throw error }
            return try execute(renamed, query)
        }
    }

    /// Runs `queries` in one round trip: libpq's pipeline mode sends them all, then reads every result. Outside
    /// a transaction block they run in one implicit transaction. When one fails, the ones after it do not run
    /// and its error is thrown. Used where a page needs several independent reads: each round trip costs both
    /// processes a wake-up, which on a small machine outweighs a simple statement's own work.
    public func pipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        for query in queries { try Self.refuseNUL(in: query) }
        guard let names = try preparedNames(for: queries) else {
            var rows: [PostgresRows] = []
            for query in queries { rows.append(try self.query(query)) }
            return rows
        }
        do {
            return try runPipeline(names, queries)
        } catch let error where error.sqlState == .featureNotSupported && !isInTransaction {
            for query in queries { preparedNames[query.sql] = nil }
            guard let renamed = try preparedNames(for: queries) else { throw error }
            return try runPipeline(renamed, queries)
        }
    }

    /// The server-side names of `queries`, preparing those not yet prepared; nil when the connection holds its
    /// maximum.
    private func preparedNames(for queries: [PostgresQuery]) throws(PostgresError) -> [String]? {
        var names: [String] = []
        for query in queries {
            guard let name = try preparedName(for: query) else { return nil }
            names.append(name)
        }
        return names
    }

    private func runPipeline(_ names: [String], _ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        var failure: PostgresError?
        var sent = 0
        for (name, query) in zip(names, queries) {
            let queued = withCStringArray(query.binds) { values in
                PQsendQueryPrepared(handle, name, Int32(query.binds.count), values, nil, nil, 0)
            }
            guard queued == 1 else {
                failure = connectionError()
                break
            }
            sent += 1
        }
        if PQpipelineSync(handle) != 1, failure == nil { failure = connectionError() }
        var rows: [PostgresRows] = []
        for _ in 0..<sent {
            // Each statement's results end with a NULL; a statement after a failed one reports PIPELINE_ABORTED.
            while let result = PQgetResult(handle) {
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    noteChange(result)
                    rows.append(Self.rows(of: result))
                case PGRES_PIPELINE_ABORTED: break
                default: if failure == nil { failure = error(from: result) }
                }
                PQclear(result)
            }
        }
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if PQexitPipelineMode(handle) != 1 {
            // Results are still pending: the connection cannot be trusted with another statement.
            isUnusable = true
            failure = failure ?? connectionError()
        }
        if let failure { throw failure }
        guard rows.count == queries.count else { throw connectionError() }
        return rows
    }

    /// The command tags of statements that change rows. A data-modifying CTE reports SELECT and is missed: a
    /// caller that relies on the mark must not change rows that way.
    private static let changingCommands = ["INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"]

    private func noteChange(_ result: OpaquePointer) {
        guard !hasChanged, let tag = PQcmdStatus(result) else { return }
        let command = String(cString: tag).prefix { $0 != " " }
        if Self.changingCommands.contains(where: { $0 == command }) { hasChanged = true }
    }

    /// Whether a statement changed rows since the last call; clears the mark. This is the hook for whoever keeps
    /// data read from the database: a caller that accounts for its own writes takes the mark before the
    /// connection goes back, and the pool tells its observer of any write left unaccounted for.
    public func takeChanged() -> Bool {
        defer { hasChanged = false }
        return hasChanged
    }

    /// Waits up to `timeout` for notifications of a channel this connection listens to (`LISTEN`); returns those
    /// that arrived, or throws when the connection broke. The corresponding C functions are `PQconsumeInput` and
    /// `PQnotifies`.
    public func awaitNotifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: Int(timeout.seconds * 1000)))
        if ready < 0 && errno != EINTR { throw connectionError() }
        if ready > 0 && PQconsumeInput(handle) != 1 { throw connectionError() }
        var notifications: [PostgresNotification] = []
        while let notification = PQnotifies(handle) {
            notifications.append(
                PostgresNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: notification.pointee.extra.map { String(cString: $0) } ?? "",
                    senderProcessID: notification.pointee.be_pid))
            PQfreemem(notification)
        }
        if isBroken { throw connectionError() }
        return notifications
    }

    /// The server process serving this connection (`pg_backend_pid()`), as notifications name their sender.
    /// The corresponding C function is `PQbackendPID`.
    public var backendProcessID: Int32 { PQbackendPID(handle) }

    private func connectionError() -> PostgresError {
        PostgresError(kind: isBroken ? .connectionLost : .server, message: Self.errorText(PQerrorMessage(handle)))
    }

    private static func refuseNUL(in query: PostgresQuery) throws(PostgresError) {
        if let index = query.binds.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
            throw PostgresError(kind: .invalidParameter, message: "parameter $\(index + 1) contains a NUL character")
        }
    }

    /// The server-side name of `query`'s SQL, preparing it first when this connection has not yet; nil once
    /// the connection holds its maximum.
    private func preparedName(for query: PostgresQuery) throws(PostgresError) -> String? {
        if let name = preparedNames[query.sql] { return name }
        guard preparedNames.count < Self.maximumPreparedStatements else { return nil }
        preparedCount += 1
        let name = "statement_\(preparedCount)"
        _ = try consume(PQprepare(handle, name, query.sql, Int32(query.binds.count), nil))
        preparedNames[query.sql] = name
        return name
    }

    private func execute(_ name: String, _ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let result = withCStringArray(query.binds) { values in
            PQexecPrepared(handle, name, Int32(query.binds.count), values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs a trusted multi-statement SQL script (a migration file) with the simple query protocol.
    ///
    /// Never pass text that holds user input: use `query(_:)`, which binds values as parameters.
    /// The corresponding C function is `PQexec`.
    public func runScript(_ script: String) throws(PostgresError) {
        _ = try consume(PQexec(handle, script))
    }

    /// The password verifier (`SCRAM-SHA-256$…`) for `role`, computed on the client so that the
    /// plaintext never reaches the server or its logs; use it in `CREATE/ALTER ROLE … PASSWORD`.
    /// The corresponding C function is `PQencryptPasswordConn`.
    public func passwordVerifier(_ password: String, role: String) throws(PostgresError) -> String {
        guard let encrypted = PQencryptPasswordConn(handle, password, role, "scram-sha-256") else {
            throw PostgresError(kind: .server, message: Self.errorText(PQerrorMessage(handle)))
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }

    /// True once libpq has seen the connection break, or a pipeline left it in an unknown state; such a
    /// connection is never reused.
    public var isBroken: Bool { isUnusable || PQstatus(handle) != CONNECTION_OK }

    /// True while a transaction block is open (or failed and not yet rolled back).
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// Where the connection goes, for a status page or a log line: `db` as `user` on `host:port`. No password.
    public var summary: ConnectionSummary {
        ConnectionSummary(
            database: String(cString: PQdb(handle)),
            user: String(cString: PQuser(handle)),
            host: String(cString: PQhost(handle)),
            port: String(cString: PQport(handle)),
            serverVersion: Int(PQserverVersion(handle))
        )
    }

    /// Checks, without blocking, that an idle connection was not closed by the server meanwhile.
    ///
    /// An idle connection has nothing to read unless the server sent something on its own: a terminated
    /// backend's FATAL message, the end of file of a restart (or, rarely, a notice). Any of these makes the
    /// connection not worth keeping, so a readable socket means "replace it".
    /// The corresponding C function is `poll`.
    func isUsableAfterIdling() -> Bool {
        guard !isBroken else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    private func consume(_ result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            noteChange(result)
            return Self.rows(of: result)
        default:
            throw error(from: result)
        }
    }

    private func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        // The PG_DIAG_* codes are character macros: 'C' is the SQLSTATE, 'M' the message, 'n' the constraint.
        let sqlState = field(UInt8(ascii: "C")).map(SQLState.init(rawValue:))
        let message = field(UInt8(ascii: "M")) ?? Self.errorText(PQresultErrorMessage(result))
        let lost = isBroken || (sqlState?.isConnectionProblem ?? false)
        return PostgresError(
            kind: lost ? .connectionLost : .server, sqlState: sqlState, message: message,
            constraint: field(UInt8(ascii: "n")))
    }

    private static func rows(of result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawPointer(PQgetvalue(result, row, column)!).assumingMemoryBound(to: UInt8.self)
                    let length = Int(PQgetlength(result, row, column))
                    values.append(String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? rowCount
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    private static func errorText(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Where a connection goes, without secrets: for a status page and for logs.
public struct ConnectionSummary: Sendable, Equatable {
    /// The database name.
    public let database: String
    /// The role the connection logged in as.
    public let user: String
    /// A host name, an address, or a Unix socket folder.
    public let host: String
    /// The port (also used for the socket file name).
    public let port: String
    /// `PQserverVersion`, e.g. 150018 for 15.18.
    public let serverVersion: Int

    /// `15.18` from `150018`.
    public var serverVersionText: String { "\(serverVersion / 10_000).\(serverVersion % 10_000)" }
}

/// Lends C strings for an array of optional Swift strings for the duration of `body`.
private func withCStringArray<Result>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
