/// Every failure of the PostgreSQL client, with the SQLSTATE when the server sent one.
///
/// Callers tell a unique violation from a lost connection by `sqlState` and `kind`; `description` is for
/// logs only and never reaches an end user (it holds libpq's text, never the SQL or its parameters).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely, so callers can decide between "retry later" and "fix the input".
    public enum Kind: Sendable, Equatable {
        /// The connection string could not be parsed.
        case invalidConfiguration
        /// A new connection could not be opened (server down, authentication refused, …).
        case connectionFailed
        /// An open connection broke while in use (server restarted, backend terminated).
        case connectionLost
        /// No pooled connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool was closed for shutdown.
        case poolClosed
        /// The server refused the statement; `sqlState` says why.
        case server
        /// A result column could not be decoded into the requested Swift type.
        case decoding
        /// A parameter could not be sent (PostgreSQL text cannot hold a NUL character).
        case invalidParameter
    }

    /// What went wrong, coarsely.
    public let kind: Kind
    /// The five-character SQLSTATE the server sent, if any.
    public let sqlState: SQLState?
    /// The primary message (libpq's or the server's): for logs, not for end users.
    public let message: String
    /// The name of the violated constraint, when the server names one.
    public let constraint: String?

    /// Creates an error; the client itself is the usual author.
    public init(kind: Kind, sqlState: SQLState? = nil, message: String, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
    }

    /// True when the database could not be reached or the connection broke: a 503, not a bug.
    public var isUnavailable: Bool {
        switch kind {
        case .connectionFailed, .connectionLost, .poolTimeout, .poolClosed: return true
        case .server: return sqlState?.isConnectionProblem ?? false
        case .invalidConfiguration, .decoding, .invalidParameter: return false
        }
    }

    /// What went wrong, for logs: the kind, the SQLSTATE and the message.
    public var description: String {
        var text = "PostgresError.\(kind)"
        if let sqlState { text += " [\(sqlState.rawValue)]" }
        if let constraint { text += " constraint=\(constraint)" }
        return text + ": " + message
    }
}

/// A PostgreSQL SQLSTATE code (`23505`, …), with names for the ones this project reacts to.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The five-character code.
    public let rawValue: String

    /// Wraps a five-character code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// 23505: a unique constraint refused a duplicate.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// 23503: a foreign key refused a missing or referenced row.
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    /// 23514: a check constraint refused the row.
    public static let checkViolation = SQLState(rawValue: "23514")
    /// 23502: a NOT NULL column got NULL.
    public static let notNullViolation = SQLState(rawValue: "23502")
    /// 23P01: an exclusion constraint refused the row.
    public static let exclusionViolation = SQLState(rawValue: "23P01")
    /// 40001: a serializable transaction must be retried.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// 40P01: the server broke a deadlock by cancelling this transaction.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// 57014: the statement was cancelled (the statement timeout, say).
    public static let queryCanceled = SQLState(rawValue: "57014")
    /// 57P01: the server is shutting down or terminated the session.
    public static let adminShutdown = SQLState(rawValue: "57P01")
    /// 42501: the role lacks a privilege.
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    /// 42P01: no such table or view.
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// 22P02: a value's text is not of its type.
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    /// 42P05: a prepared statement of that name exists already (in a session another connection also uses).
    public static let duplicatePreparedStatement = SQLState(rawValue: "42P05")
    /// 26000: no prepared statement of that name (it was prepared in another session).
    public static let invalidSQLStatementName = SQLState(rawValue: "26000")
    /// P0001: a PL/pgSQL RAISE EXCEPTION.
    public static let raiseException = SQLState(rawValue: "P0001")
    /// Among others: a prepared statement whose result columns a schema change altered.
    public static let featureNotSupported = SQLState(rawValue: "0A000")

    /// Class 08 (connection exception) and the shutdown codes of class 57: the link is gone.
    public var isConnectionProblem: Bool {
        rawValue.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(rawValue)
    }

    /// Class 23: an integrity constraint refused the change.
    public var isIntegrityViolation: Bool { rawValue.hasPrefix("23") }

    /// What went wrong, for logs: the kind, the SQLSTATE and the message.
    public var description: String { rawValue }
}
