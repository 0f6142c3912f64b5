import Foundation
import PostgresClient

/// The SQL of API keys: the list, creation with a manager key's installs, revocation, and the per-request lookup
/// that also records the last use.
struct APIKeyStore: Sendable {
    /// The organization's keys, newest first, revoked ones included.
    func list(organizationID: Int, on connection: PostgresConnection) throws -> [APIKey] {
        try keys(organizationID: organizationID, id: nil, on: connection)
    }

    /// One key of the organization, or nil.
    func find(id: Int, organizationID: Int, on connection: PostgresConnection) throws -> APIKey? {
        try keys(organizationID: organizationID, id: id, on: connection).first
    }

    /// Creates a key with the hash and prefix of `secret`; audited as `api_key.created`. Returns its id.
    func create(
        name: APIKeyName, role: AccountRole, installIDs: Set<Int>, expiresAt: Date?, secret: APIKeySecret,
        audit: AuditContext, organizationID: Int, on connection: PostgresConnection
    ) throws -> Int {
        try InstallStore().requireAll(installIDs, organizationID: organizationID, on: connection)
        let id: Int = try connection.query(
            """
            INSERT INTO hotdesk.api_keys (organization_id, name, role, prefix, secret_hash, expires_at, created_by)
            VALUES (\(organizationID), \(name.text), \(role.rawValue)::hotdesk.account_role, \(secret.prefix),
                    \(secret.hash), \(expiresAt)::timestamptz, \(audit.actor?.accountID))
            RETURNING id
            """)[0].decode("id")
        if role == .manager, !installIDs.isEmpty {
            try connection.query(
                """
                INSERT INTO hotdesk.api_key_installs (organization_id, api_key_id, install_id)
                SELECT \(organizationID), \(id), unnest(\(installIDs.sorted())::bigint[])
                """)
        }
        try AuditLog.record(
            AuditEvent(
                action: "api_key.created", targetType: "api_key", targetID: id, targetLabel: name.text,
                changes: [
                    AuditChange("role", from: nil, to: role.rawValue),
                    AuditChange("prefix", from: nil, to: secret.prefix),
                    AuditChange(
                        "installs", from: nil,
                        to: role == .manager ? installIDs.sorted().map(String.init).joined(separator: ",") : nil),
                    AuditChange("expires_at", from: nil, to: expiresAt?.postgresText),
                ].filter { $0.after != nil }),
            context: audit, on: connection)
        return id
    }

    /// Revokes the key at once; audited as `api_key.revoked`. Returns false when it was already revoked.
    func revoke(id: Int, organizationID: Int, audit: AuditContext, on connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query(
            """
            UPDATE hotdesk.api_keys SET revoked_at = now()
            WHERE id = \(id) AND organization_id = \(organizationID) AND revoked_at IS NULL
            RETURNING name
            """)
        guard let row = rows.first else { return false }
        try AuditLog.record(
            AuditEvent(
                action: "api_key.revoked", targetType: "api_key", targetID: id, targetLabel: try row.decode("name")),
            context: audit, on: connection)
        return true
    }

    /// The actor of the active key whose secret hashes to `hash`, with how long until it expires, or nil; records
    /// the use from `source` when the last one is more than a minute old or came from elsewhere. One statement, so
    /// it needs a connection that may write but no transaction.
    func actor(secretHash hash: String, source: String) -> PostgresStatement<(Actor, expiresIn: Duration?)?> {
        PostgresStatement(
            """
            WITH key AS (
                SELECT k.id, k.organization_id, k.name, k.prefix, k.role::text AS role,
                       COALESCE((SELECT array_agg(ki.install_id) FROM hotdesk.api_key_installs ki
                                 WHERE ki.api_key_id = k.id), '{}') AS installs,
                       (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'
                        OR k.last_used_address IS DISTINCT FROM \(source)::inet) AS stale,
                       extract(epoch FROM k.expires_at - now())::float8 AS expires_in
                FROM hotdesk.api_keys k
                WHERE k.secret_hash = \(hash) AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
            ), touched AS (
                UPDATE hotdesk.api_keys SET last_used_at = now(), last_used_address = \(source)::inet
                WHERE id = (SELECT id FROM key WHERE stale)
            )
            SELECT id, organization_id, name, prefix, role, installs, expires_in FROM key
            """
        ) { rows in
            try rows.first.map { row in
                let name: String = try row.decode("name")
                let prefix: String = try row.decode("prefix")
                let actor = Actor(
                    principal: .apiKey(try row.decode("id")), organizationID: try row.decode("organization_id"),
                    email: "API key “\(name)” (\(prefix))", displayName: name,
                    role: AccountRole(rawValue: try row.decode("role")) ?? .manager,
                    assignedInstallIDs: Set(IntegerArray.parse(try row.decode("installs"))))
                let seconds: Double? = try row.decode("expires_in")
                return (actor, seconds.map { .milliseconds(Int64(max(0, $0) * 1000)) })
            }
        }
    }

    private func keys(organizationID: Int, id: Int?, on connection: PostgresConnection) throws -> [APIKey] {
        try connection.query(
            """
            SELECT k.id, k.name, k.role::text AS role, k.prefix, k.expires_at, k.created_at, a.email AS created_by,
                   k.revoked_at, k.last_used_at, host(k.last_used_address) AS last_used_address,
                   COALESCE((SELECT array_agg(ki.install_id ORDER BY ki.install_id) FROM hotdesk.api_key_installs ki
                             WHERE ki.api_key_id = k.id), '{}') AS installs
            FROM hotdesk.api_keys k LEFT JOIN hotdesk.accounts a ON a.id = k.created_by
            WHERE k.organization_id = \(organizationID) AND (\(id)::bigint IS NULL OR k.id = \(id))
            ORDER BY k.created_at DESC, k.id DESC
            """
        ).map { row in
            APIKey(
                id: try row.decode("id"), name: try row.decode("name"),
                role: AccountRole(rawValue: try row.decode("role")) ?? .manager,
                installIDs: IntegerArray.parse(try row.decode("installs")), prefix: try row.decode("prefix"),
                expiresAt: try row.decode("expires_at"), createdAt: try row.decode("created_at"),
                createdBy: try row.decode("created_by"), revokedAt: try row.decode("revoked_at"),
                lastUsedAt: try row.decode("last_used_at"), lastUsedAddress: try row.decode("last_used_address"))
        }
    }
}
