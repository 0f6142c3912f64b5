import PostgresClient

/// Phone system installs: the SQL of Telephony Settings' list, creation and settings.
///
/// Reads are scoped by the actor: an install of another organization, or one a manager is not assigned to
/// (checked against `manager_installs` in the same query, so a fresh assignment counts at once), is simply not
/// found. Changes write their audit event in the caller's transaction.
struct InstallStore: Sendable {
    /// Installs per page on Telephony Settings.
    static let pageSize = 50

    /// One page of the installs `actor` may see that match `search`, sorted by name (then id), starting at the
    /// install `start` (nil: the first page), each with its user, access and range counts. One query, answered
    /// from indexes: the page is a keyset range (migration 0008), and the counts are the ones kept for each
    /// install (migration 0010), so a page costs the same whatever the installs' sizes.
    ///
    /// - Throws: `OperationError.notFound` when `start` is not an install the actor may see.
    func page(
        for actor: Actor, search: InstallSearch, from start: Int?, limit: Int = pageSize,
        on connection: PostgresConnection
    ) throws
        -> InstallPage
    {
        let rows = try connection.query(
            """
            WITH visible AS NOT MATERIALIZED (
                SELECT i.id, i.name, i.sip_domain FROM hotdesk.installs i
                WHERE i.organization_id = \(actor.organizationID)
                  AND (\(actor.isAdministrator) OR i.id = ANY(\(actor.assignedInstallIDs.sorted())::bigint[]))
            ), matching AS NOT MATERIALIZED (
                SELECT * FROM visible
                WHERE \(search.pattern)::text IS NULL OR lower(name) LIKE \(search.pattern) OR sip_domain LIKE \(search.pattern)
            ), anchor AS (
                SELECT name, id FROM visible WHERE id = \(start)
            ), page AS (
                SELECT * FROM matching
                WHERE \(start)::bigint IS NULL OR (name, id) >= (SELECT name, id FROM anchor)
                ORDER BY name, id LIMIT \(limit + 1)
            ), previous AS (
                SELECT name, id FROM matching
                WHERE (name, id) < (SELECT name, id FROM anchor)
                ORDER BY name DESC, id DESC LIMIT \(limit)
            )
            SELECT page.id, page.name, page.sip_domain, c.users, c.with_access, c.ranges,
                   (SELECT id FROM previous ORDER BY name, id LIMIT 1) AS previous_start,
                   EXISTS (SELECT FROM anchor) AS anchor_found
            FROM page LEFT JOIN hotdesk.install_counts c ON c.install_id = page.id
            RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY page.name, page.id
            """)
        if start != nil, try rows.first?.decode("anchor_found", as: Bool.self) != true {
            throw OperationError.notFound
        }
        let summaries = try rows.filter { $0["id"] != nil }.map { row in
            InstallSummary(
                id: try row.decode("id"), name: try row.decode("name"), sipDomain: try row.decode("sip_domain"),
                userCount: try row.decode("users"), accessCount: try row.decode("with_access"),
                rangeCount: try row.decode("ranges"))
        }
        let previous: Int? = try rows.first?.decode("previous_start")
        return InstallPage(rows: summaries, pageSize: limit, previousStart: previous, start: \.id)
    }

    /// The read of the install with `id` when `actor` may see it; it answers nil otherwise. A statement, so that
    /// a read can send it in one round trip with its own read of the install's rows.
    func find(id: Int, for actor: Actor) -> PostgresStatement<Install?> {
        PostgresStatement(
            """
            SELECT i.id, i.name, i.sip_domain, i.version FROM hotdesk.installs i
            WHERE i.id = \(id) AND i.organization_id = \(actor.organizationID)
              AND (\(actor.isAdministrator) OR i.id = ANY(\(actor.assignedInstallIDs.sorted())::bigint[]))
            """
        ) { rows in try rows.first.map(Self.install) }
    }

    /// Refuses with `OperationError.notFound` unless every id in `ids` is an install of the organization (a
    /// manager's or a manager key's assignments).
    func requireAll(_ ids: Set<Int>, organizationID: Int, on connection: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        let found = try connection.query(
            """
            SELECT count(*)::int AS n FROM hotdesk.installs
            WHERE id = ANY(\(ids.sorted())::bigint[]) AND organization_id = \(organizationID)
            """)[0].decode("n", as: Int.self)
        if found != ids.count { throw OperationError.notFound }
    }

    /// The install with `id` when `actor` may see it, or `OperationError.notFound`.
    func require(id: Int, for actor: Actor, on connection: PostgresConnection) throws -> Install {
        guard let install = try connection.run(find(id: id, for: actor)) else { throw OperationError.notFound }
        return install
    }

    /// Creates an install in the actor's organization; returns its id.
    func create(
        name: InstallName, domain: SIPDomain, audit: AuditContext, on connection: PostgresConnection
    ) throws
        -> Int
    {
        let rows: PostgresRows
        do {
            rows = try connection.query(
                """
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                VALUES (\(audit.actor?.organizationID), \(name.text), \(domain.name)) RETURNING id
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? OperationError.invalid(.sipDomainTaken) : error
        }
        let id: Int = try rows[0].decode("id")
        try AuditLog.record(
            AuditEvent(
                action: "install.created", installID: id, targetType: "install", targetID: id, targetLabel: name.text,
                changes: [
                    AuditChange("name", from: nil, to: name.text),
                    AuditChange("sip_domain", from: nil, to: domain.name),
                ]),
            context: audit, on: connection)
        return id
    }

    /// The install of the actor's organization with `id`, locked until the transaction ends.
    func lock(id: Int, for actor: Actor, on connection: PostgresConnection) throws -> Install {
        let rows = try connection.query(
            """
            SELECT i.id, i.name, i.sip_domain, i.version FROM hotdesk.installs i
            WHERE i.id = \(id) AND i.organization_id = \(actor.organizationID) FOR UPDATE
            """)
        guard let install = try rows.first.map(Self.install) else { throw OperationError.notFound }
        return install
    }

    /// Renames the locked install `current` and changes its SIP domain.
    func update(
        _ current: Install, name: InstallName, domain: SIPDomain, audit: AuditContext, on connection: PostgresConnection
    ) throws {
        do {
            try connection.query(
                """
                UPDATE hotdesk.installs SET name = \(name.text), sip_domain = \(domain.name), version = version + 1
                WHERE id = \(current.id)
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? OperationError.invalid(.sipDomainTaken) : error
        }
        let changes = [
            AuditChange("name", from: current.name, to: name.text),
            AuditChange("sip_domain", from: current.sipDomain, to: domain.name),
        ].filter { $0.before != $0.after }
        try AuditLog.record(
            AuditEvent(
                action: "install.changed", installID: current.id, targetType: "install", targetID: current.id,
                targetLabel: name.text, changes: changes),
            context: audit, on: connection)
    }

    static func install(_ row: PostgresRow) throws -> Install {
        Install(
            id: try row.decode("id"), name: try row.decode("name"), sipDomain: try row.decode("sip_domain"),
            version: try row.decode("version"))
    }
}
