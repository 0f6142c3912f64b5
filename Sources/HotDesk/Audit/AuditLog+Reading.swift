import PostgresClient

extension AuditLog {
    /// One page of the events `query` asks for, newest first; never another organization's.
    public static func page(_ query: AuditQuery, on connection: PostgresConnection) throws -> AuditPage {
        let rows = try connection.query(
            """
            SELECT e.id, e.occurred_at, e.request_id, e.account_id, e.account_email, e.account_role,
                   host(e.source_address) AS source_address, e.action, e.install_id, i.name AS install_name,
                   e.target_type, e.target_id, e.target_label, e.result, e.changes::text AS changes
            FROM hotdesk.audit_events e
            LEFT JOIN hotdesk.installs i ON i.id = e.install_id AND i.organization_id = e.organization_id
            WHERE e.organization_id = \(query.organizationID)
              AND (\(query.installID)::bigint IS NULL OR e.install_id = \(query.installID))
              AND (\(query.accountID)::bigint IS NULL OR e.account_id = \(query.accountID))
              AND (\(query.action)::text IS NULL OR e.action = \(query.action))
              AND (\(query.before)::bigint IS NULL OR e.id < \(query.before))
            ORDER BY e.id DESC
            LIMIT \(query.limit + 1)
            """)
        let entries = try rows.prefix(query.limit).map(AuditEntry.init(row:))
        return AuditPage(entries: entries, olderBefore: rows.count > query.limit ? entries.last?.id : nil)
    }

    /// The actions the organization's log holds, in order, for the Audit page's filter. Reads one index
    /// entry per distinct action (a loose index scan), however long the log.
    public static func actions(organizationID: Int, on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            WITH RECURSIVE seen (action) AS (
                (SELECT action FROM hotdesk.audit_events
                 WHERE organization_id = \(organizationID) ORDER BY action LIMIT 1)
                UNION ALL
                SELECT (SELECT e.action FROM hotdesk.audit_events e
                        WHERE e.organization_id = \(organizationID) AND e.action > seen.action
                        ORDER BY e.action LIMIT 1)
                FROM seen WHERE seen.action IS NOT NULL
            )
            SELECT action FROM seen WHERE action IS NOT NULL
            """
        ).map { try $0.decode("action") }
    }
}
