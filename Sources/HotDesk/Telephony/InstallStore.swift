import PostgresClient

/// Phone system installs: Telephony Settings' list, creation and settings.
///
/// Reads are scoped by the actor: an install of another organization, or one a manager is not assigned
/// to (checked against `manager_installs` in the same query, so a fresh assignment counts at once), is
/// simply not found. Changes write their audit event in the caller's transaction.
public struct InstallStore: Sendable {
    /// Creates the store.
    public init() {}

    /// The installs `actor` may see, by name, each with its user, access and range counts. One query:
    /// the counts come from index scans per install (`LATERAL`), never from a query per install.
    public func list(for actor: Actor, on connection: PostgresConnection) throws -> [InstallSummary] {
        let rows = try connection.query(
            """
            SELECT i.id, i.name, i.sip_domain, u.users, u.with_access, t.ranges
            FROM hotdesk.installs i
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS users, count(*) FILTER (WHERE hot_desk_access)::int AS with_access
                FROM hotdesk.users WHERE install_id = i.id) u
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS ranges FROM hotdesk.trusted_networks WHERE install_id = i.id) t
            WHERE i.organization_id = \(actor.organizationID)
              AND (\(actor.isAdministrator) OR EXISTS (
                  SELECT 1 FROM hotdesk.manager_installs m WHERE m.install_id = i.id AND m.account_id = \(actor.accountID)))
            ORDER BY i.name, i.id
            """)
        return try rows.map { row in
            InstallSummary(
                id: try row.decode("id"), name: try row.decode("name"), sipDomain: try row.decode("sip_domain"),
                userCount: try row.decode("users"), accessCount: try row.decode("with_access"),
                rangeCount: try row.decode("ranges"))
        }
    }

    /// The install with `id` when `actor` may see it; nil (a 404) otherwise.
    public func find(id: Int, for actor: Actor, on connection: PostgresConnection) throws -> Install? {
        let rows = try connection.query(
            """
            SELECT i.id, i.name, i.sip_domain, i.version FROM hotdesk.installs i
            WHERE i.id = \(id) AND i.organization_id = \(actor.organizationID)
              AND (\(actor.isAdministrator) OR EXISTS (
                  SELECT 1 FROM hotdesk.manager_installs m WHERE m.install_id = i.id AND m.account_id = \(actor.accountID)))
            """)
        return try rows.first.map(Self.install)
    }

    /// Creates an install in the actor's organization; returns its id.
    public func create(
        name: InstallName, domain: SIPDomain, actor: Actor, audit: AuditContext, on connection: PostgresConnection
    ) throws -> Int {
        let rows: PostgresRows
        do {
            rows = try connection.query(
                """
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                VALUES (\(actor.organizationID), \(name.text), \(domain.name)) RETURNING id
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? TelephonyError.domainTaken : error
        }
        let id: Int = try rows[0].decode("id")
        try AuditLog.record(
            AuditEvent(
                action: "install.created", installID: id, targetType: "install", targetID: id, targetLabel: name.text,
                changes: [AuditChange("name", from: nil, to: name.text), AuditChange("sip_domain", from: nil, to: domain.name)]),
            context: audit, on: connection)
        return id
    }

    /// Renames an install and changes its SIP domain, if nobody saved it since the form read `version`.
    public func update(
        id: Int, version: Int, name: InstallName, domain: SIPDomain, actor: Actor, audit: AuditContext,
        on connection: PostgresConnection
    ) throws {
        let locked = try connection.query(
            """
            SELECT i.id, i.name, i.sip_domain, i.version FROM hotdesk.installs i
            WHERE i.id = \(id) AND i.organization_id = \(actor.organizationID) FOR UPDATE
            """)
        guard let current = try locked.first.map(Self.install) else { throw TelephonyError.notFound }
        guard current.version == version else { throw TelephonyError.staleVersion }
        do {
            try connection.query(
                """
                UPDATE hotdesk.installs SET name = \(name.text), sip_domain = \(domain.name), version = version + 1
                WHERE id = \(id)
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? TelephonyError.domainTaken : error
        }
        let changes = [
            AuditChange("name", from: current.name, to: name.text),
            AuditChange("sip_domain", from: current.sipDomain, to: domain.name),
        ].filter { $0.before != $0.after }
        try AuditLog.record(
            AuditEvent(
                action: "install.changed", installID: id, targetType: "install", targetID: id, targetLabel: name.text,
                changes: changes),
            context: audit, on: connection)
    }

    private static func install(_ row: PostgresRow) throws -> Install {
        Install(
            id: try row.decode("id"), name: try row.decode("name"), sipDomain: try row.decode("sip_domain"),
            version: try row.decode("version"))
    }
}
