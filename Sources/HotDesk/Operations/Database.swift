import Logging
import PostgresClient

/// How operations reach PostgreSQL: pooled connections, transactions that declare what they change, and the read
/// cache. It turns the database being away, busy or too slow into `OperationError.unavailable`, logging the
/// detail, so that no front end ever sees a `PostgresError`.
struct Database: Sendable {
    let pool: PostgresPool
    /// Keeps the read cache current; nil when nothing is cached.
    let changes: ChangeFeed?
    let logger: Logger

    /// Runs reads on one pooled connection.
    func read<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try translatingErrors { try pool.withConnection(body) }
    }

    /// Runs `body` in one transaction and, once it committed, drops the cached reads of `scopes`: every scope a
    /// kept read could have seen change. An empty list says that nothing the cache keeps is touched (a new
    /// session, a failed sign-in).
    func write<Result>(changing scopes: [ChangeScope], _ body: (PostgresConnection) throws -> Result) throws -> Result {
        try write { connection in (try body(connection), scopes) }
    }

    /// `write(changing:_:)` for a change whose scopes are known only once it is made (a new account's id):
    /// `body` returns them with its result.
    func write<Result>(_ body: (PostgresConnection) throws -> (Result, [ChangeScope])) throws -> Result {
        try translatingErrors {
            let (result, scopes) = try pool.withConnection { connection in
                // Accounted for: the scopes say what the writes changed.
                defer { _ = connection.takeChanged() }
                return try connection.withTransaction(body)
            }
            changes?.changed(scopes)
            return result
        }
    }

    /// Runs `body` on one connection outside a transaction (a read that may touch a row on its way), then drops
    /// the cached reads of `scopes`, whether or not it succeeded.
    func access<Result>(
        changing scopes: [ChangeScope], _ body: (PostgresConnection) throws -> Result
    ) throws
        -> Result
    {
        defer { changes?.changed(scopes) }
        return try translatingErrors {
            try pool.withConnection { connection in
                defer { _ = connection.takeChanged() }
                return try body(connection)
            }
        }
    }

    /// `read()`'s value, from the read cache when it keeps one for `key`. `read` returns the scopes its value
    /// came from and how long it may be kept at most (nil: the cache's lifetime).
    func cached<Key: Hashable & Sendable, Value: Sendable>(
        _ key: Key, read: () throws -> (value: Value, scopes: [ChangeScope], lifetime: Duration?)
    ) throws -> Value {
        guard let cache = changes?.cache else { return try read().value }
        return try cache.value(for: key) {
            let (value, scopes, lifetime) = try read()
            return (value, scopes, lifetime ?? cache.lifetime)
        }
    }

    private func translatingErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as PostgresError where error.isUnavailable {
            logger.debug("database unavailable", metadata: ["error": "\(error)"])
            throw OperationError.unavailable(error.kind == .poolTimeout ? .databaseBusy : .databaseUnreachable)
        } catch let error as PostgresError where error.sqlState == .queryCanceled {
            logger.warning("a statement ran past the statement timeout", metadata: ["error": "\(error)"])
            throw OperationError.unavailable(.databaseTooSlow)
        }
    }
}

extension PasswordHasher {
    /// `hash(_:)`, with a full hasher as `OperationError.unavailable`.
    func hashing(_ password: Password) throws(OperationError) -> String {
        do {
            return try hash(password.plaintext)
        } catch {
            throw .unavailable(.passwordChecksBusy)
        }
    }

    /// `verify(_:against:)`, with a full hasher as `OperationError.unavailable`.
    func checking(_ password: String, against storedHash: String?) throws(OperationError) -> Bool {
        do {
            return try verify(password, against: storedHash)
        } catch {
            throw .unavailable(.passwordChecksBusy)
        }
    }
}
