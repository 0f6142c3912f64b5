import PostgresClient

/// The answers the API keeps for creating `POST`s that carry an `Idempotency-Key`
/// (draft-ietf-httpapi-idempotency-key-header): in PostgreSQL for 24 hours, so every portal instance replays the
/// same first answer, whichever instance served it.
public struct IdempotencyOperations: Sendable {
    /// How long a key's answer is kept.
    public static let retention: Duration = .seconds(24 * 3600)
    /// A request still marked running after this long died with its process; its key may be used again.
    static let abandonedAfter: Duration = .seconds(120)

    let database: Database

    /// A kept answer.
    public struct Answer: Sendable, Equatable {
        /// The HTTP status.
        public let status: Int
        /// The `Location` header, for a 201.
        public let location: String?
        /// The JSON body.
        public let body: String

        /// Creates an answer to keep.
        public init(status: Int, location: String?, body: String) {
            self.status = status
            self.location = location
            self.body = body
        }
    }

    /// What a request with an `Idempotency-Key` should do.
    public enum Claim: Sendable, Equatable {
        /// The key is new (or its answer expired): run the request, then `keep` its answer.
        case fresh
        /// The same key and body were answered before: send this answer again.
        case replay(Answer)
        /// The key was used with another body (422).
        case mismatch
        /// A request with this key is still running (409).
        case inProgress
    }

    /// Claims `key` for the request whose method, path and body hash to `requestHash`, made with API key
    /// `apiKeyID`. One statement: a new key is claimed by its insert, which commits at once, so a concurrent
    /// request with the same key finds it running; answers past `retention` are deleted on the way (through the
    /// `created_at` index, so it costs nothing when there are none).
    public func claim(apiKeyID: Int, key: String, requestHash: String) throws -> Claim {
        let rows = try database.access(changing: []) { connection in
            try connection.query(
                """
                WITH purged AS (
                    DELETE FROM hotdesk.idempotent_requests
                    WHERE created_at < now() - make_interval(secs => \(Int(Self.retention.seconds)))
                      AND NOT (api_key_id = \(apiKeyID) AND idempotency_key = \(key))
                ), claimed AS (
                    INSERT INTO hotdesk.idempotent_requests AS r (api_key_id, idempotency_key, request_hash)
                    VALUES (\(apiKeyID), \(key), \(requestHash))
                    ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
                        SET request_hash = EXCLUDED.request_hash, status = NULL, location = NULL, body = NULL,
                            created_at = now()
                        WHERE r.created_at < now() - make_interval(secs => \(Int(Self.retention.seconds)))
                           OR (r.status IS NULL
                               AND r.created_at < now() - make_interval(secs => \(Int(Self.abandonedAfter.seconds))))
                    RETURNING true AS fresh
                )
                SELECT true AS fresh, NULL::text AS request_hash, NULL::int AS status, NULL::text AS location,
                       NULL::text AS body
                FROM claimed
                UNION ALL
                SELECT false, request_hash, status, location, body FROM hotdesk.idempotent_requests
                WHERE api_key_id = \(apiKeyID) AND idempotency_key = \(key) AND NOT EXISTS (SELECT FROM claimed)
                """)
        }
        guard let row = rows.first else { return .inProgress }
        if try row.decode("fresh", as: Bool.self) { return .fresh }
        guard try row.decode("request_hash", as: String.self) == requestHash else { return .mismatch }
        guard let status: Int = try row.decode("status") else { return .inProgress }
        return .replay(Answer(status: status, location: try row.decode("location"), body: try row.decode("body") ?? ""))
    }

    /// Keeps the answer of a claimed key, for its replays.
    public func keep(_ answer: Answer, apiKeyID: Int, key: String) throws {
        try database.access(changing: []) { connection in
            _ = try connection.query(
                """
                UPDATE hotdesk.idempotent_requests
                SET status = \(answer.status), location = \(answer.location), body = \(answer.body)
                WHERE api_key_id = \(apiKeyID) AND idempotency_key = \(key)
                """)
        }
    }

    /// Releases a claimed key whose request could not be answered (the database away, say), so that a retry runs
    /// it afresh.
    public func release(apiKeyID: Int, key: String) throws {
        try database.access(changing: []) { connection in
            _ = try connection.query(
                """
                DELETE FROM hotdesk.idempotent_requests
                WHERE api_key_id = \(apiKeyID) AND idempotency_key = \(key) AND status IS NULL
                """)
        }
    }
}
