import PostgresClient

/// A signed-in session as a request sees it: who, and the CSRF token its forms must carry.
public struct Session: Sendable {
    /// The id of the account the session belongs to.
    public let accountID: Int
    /// The account the session belongs to.
    public let actor: Actor
    /// The synchronizer token every state-changing form of this session carries.
    public let csrfToken: String
    /// The SHA-256 of the cookie token: the session's key.
    public let tokenHash: String
    /// How long this answer stays right without asking the database again: until the session's next
    /// `last_seen_at` touch is due or it would expire, whichever comes first (zero right after a touch).
    /// A cache may keep the session that long, provided any change to sessions or accounts drops it.
    public let exactFor: Duration
}

/// Sessions in PostgreSQL, so any portal instance can serve any request: the SQL. Only the token's SHA-256 is
/// stored; the token itself lives in the browser's cookie.
struct SessionStore: Sendable {
    /// Sign-out after this long without a request.
    let idleTimeout: Duration
    /// Sign-out this long after sign-in, however active.
    let absoluteTimeout: Duration

    /// Creates a store with the given timeouts (defaults: 30 minutes idle, 12 hours absolute).
    init(idleTimeout: Duration = .seconds(30 * 60), absoluteTimeout: Duration = .seconds(12 * 3600)) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }

    /// Starts a session for an account (inside the sign-in transaction).
    func create(
        tokenHash: String, csrfToken: String, accountID: Int, sourceAddress: String?, on connection: PostgresConnection
    ) throws {
        try connection.query(
            """
            INSERT INTO hotdesk.sessions (token_hash, csrf_token, account_id, source_address)
            VALUES (\(tokenHash), \(csrfToken), \(accountID), \(sourceAddress)::inet)
            """)
    }

    /// The live session for a token hash, or nil when unknown, expired (idle or absolute), or its account
    /// is disabled. Touches `last_seen_at` at most once a minute, so most requests cost one query; the answer
    /// says how long it stays exact (`Session.exactFor`).
    func find(tokenHash: String, on connection: PostgresConnection) throws -> Session? {
        let rows = try connection.query(
            """
            SELECT s.csrf_token, a.id, a.organization_id, a.email, a.display_name, a.role::text AS role,
                   (s.last_seen_at < now() - interval '1 minute') AS stale,
                   extract(epoch FROM least(
                       s.last_seen_at + interval '1 minute',
                       s.last_seen_at + make_interval(secs => \(Int(idleTimeout.seconds))),
                       s.created_at + make_interval(secs => \(Int(absoluteTimeout.seconds)))) - now())::float8 AS exact_for,
                   COALESCE((SELECT array_agg(m.install_id) FROM hotdesk.manager_installs m
                             WHERE m.account_id = a.id), '{}') AS installs
            FROM hotdesk.sessions s JOIN hotdesk.accounts a ON a.id = s.account_id
            WHERE s.token_hash = \(tokenHash)
              AND NOT a.disabled
              AND s.last_seen_at > now() - make_interval(secs => \(Int(idleTimeout.seconds)))
              AND s.created_at > now() - make_interval(secs => \(Int(absoluteTimeout.seconds)))
            """)
        guard let row = rows.first else { return nil }
        let stale = try row.decode("stale", as: Bool.self)
        if stale {
            try connection.query("UPDATE hotdesk.sessions SET last_seen_at = now() WHERE token_hash = \(tokenHash)")
        }
        guard let role = AccountRole(rawValue: try row.decode("role")) else { return nil }
        let actor = Actor(
            accountID: try row.decode("id"), organizationID: try row.decode("organization_id"),
            email: try row.decode("email"), displayName: try row.decode("display_name"), role: role,
            assignedInstallIDs: Set(try IntegerArray.parse(row.decode("installs"))))
        // Right after a touch the row read is a minute old: let the next request read it afresh.
        let exactSeconds = stale ? 0 : max(0, try row.decode("exact_for", as: Double.self))
        return Session(
            accountID: try row.decode("id"), actor: actor, csrfToken: try row.decode("csrf_token"),
            tokenHash: tokenHash,
            exactFor: .milliseconds(Int64(exactSeconds * 1000)))
    }

    /// Ends one session at once (sign-out).
    func delete(tokenHash: String, on connection: PostgresConnection) throws {
        try connection.query("DELETE FROM hotdesk.sessions WHERE token_hash = \(tokenHash)")
    }

    /// Ends every session of an account, except optionally the one making the change.
    func deleteAll(accountID: Int, except keptTokenHash: String? = nil, on connection: PostgresConnection) throws {
        try connection.query(
            """
            DELETE FROM hotdesk.sessions
            WHERE account_id = \(accountID) AND token_hash IS DISTINCT FROM \(keptTokenHash)
            """)
    }
}

/// Reads PostgreSQL's text form of an integer array (`{1,2,3}`).
enum IntegerArray {
    static func parse(_ text: String) -> [Int] {
        text.trimmingCharacters(in: ["{", "}"]).split(separator: ",").compactMap { Int($0) }
    }
}
