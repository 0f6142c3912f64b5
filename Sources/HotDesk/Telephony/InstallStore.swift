import PostgresClient

/// Phone system installs: Telephony Settings' list, creation and settings.
///
/// Reads are scoped by the actor: an install of another organization, or one a manager is not assigned
/// to (checked against `manager_installs` in the same query, so a fresh assignment counts at once), is
/// simply not found. Changes write their audit event in the caller's transaction.
public struct InstallStore: Sendable {
    /// Creates the store.
    public init() {}

    /// Installs per page on Telephony Settings.
    public static let pageSize = 50

    /// One page of the installs `actor` may see that match `search`, sorted by name (then id), starting at
    /// the install `start` (nil: the first page), each with its user, access and range counts. One query,
    /// answered from indexes (migration 0008): the page is a keyset range, and the counts are index-only
    /// scans for the listed installs only, never a count over the whole organization.
    ///
    /// - Throws: `TelephonyError.notFound` when `start` is not an install the actor may see.
    public func page(
        for actor: Actor, search: InstallSearch, from start: Int?, on connection: PostgresConnection
    ) throws -> InstallPage {
        let rows = try connection.query(
            """
            WITH visible AS NOT MATERIALIZED (
                SELECT i.id, i.name, i.sip_domain FROM hotdesk.installs i
                WHERE i.organization_id = \(actor.organizationID)
                  AND (\(actor.isAdministrator) OR EXISTS (
                      SELECT 1 FROM hotdesk.manager_installs m WHERE m.install_id = i.id AND m.account_id = \(actor.accountID)))
            ), matching AS NOT MATERIALIZED (
                SELECT * FROM visible
                WHERE \(search.pattern)::text IS NULL OR lower(name) LIKE \(search.pattern) OR sip_domain LIKE \(search.pattern)
            ), anchor AS (
                SELECT name, id FROM visible WHERE id = \(start)
            ), page AS (
                SELECT * FROM matching
                WHERE \(start)::bigint IS NULL OR (name, id) >= (SELECT name, id FROM anchor)
                ORDER BY name, id LIMIT \(Self.pageSize + 1)
            ), previous AS (
                SELECT name, id FROM matching
                WHERE (name, id) < (SELECT name, id FROM anchor)
                ORDER BY name DESC, id DESC LIMIT \(Self.pageSize)
            )
            SELECT page.id, page.name, page.sip_domain,
                   (SELECT count(*)::int FROM hotdesk.users u WHERE u.install_id = page.id) AS users,
                   (SELECT count(*)::int FROM hotdesk.users u WHERE u.install_id = page.id AND u.hot_desk_access) AS with_access,
                   (SELECT count(*)::int FROM hotdesk.trusted_networks t WHERE t.install_id = page.id) AS ranges,
                   (SELECT id FROM previous ORDER BY name, id LIMIT 1) AS previous_start,
                   EXISTS (SELECT FROM anchor) AS anchor_found
            FROM page RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY page.name, page.id
            """)
        if start != nil, try rows.first?.decode("anchor_found", as: Bool.self) != true {
            throw TelephonyError.notFound
        }
        let summaries = try rows.filter { $0["id"] != nil }.map { row in
            InstallSummary(
                id: try row.decode("id"), name: try row.decode("name"), sipDomain: try row.decode("sip_domain"),
                userCount: try row.decode("users"), accessCount: try row.decode("with_access"),
                rangeCount: try row.decode("ranges"))
        }
        let previous: Int? = try rows.first?.decode("previous_start")
        return InstallPage(rows: summaries, pageSize: Self.pageSize, previousStart: previous, start: \.id)
    }

    /// The read of the install with `id` when `actor` may see it; it answers nil (a 404) otherwise. A statement,
    /// so that a tab can send it in one round trip with its own read of the install's rows.
    public func find(id: Int, for actor: Actor) -> PostgresStatement<Install?> {
        PostgresStatement(
            """
            SELECT i.id, i.name, i.sip_domain, i.version FROM hotdesk.installs i
            WHERE i.id = \(id) AND i.organization_id = \(actor.organizationID)
              AND (\(actor.isAdministrator) OR EXISTS (
                  SELECT 1 FROM hotdesk.manager_installs m WHERE m.install_id = i.id AND m.account_id = \(actor.accountID)))
            """
        ) { rows in try rows.first.map(Self.install) }
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
