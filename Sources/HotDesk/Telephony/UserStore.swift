import PostgresClient

/// The users of an install: the SQL of the Users tab's pages, User Settings, PINs, deletion and bulk access.
///
/// Users are found by id *and* install, with the install scoped to the actor in the same statement, so an id
/// from another install is not found. Changes are made to a user locked by `find(…locking: true)` and write one
/// audit event per action in the caller's transaction: the PIN itself is never recorded, only whether one is set.
struct UserStore: Sendable {
    /// Users per page on the Users tab.
    static let pageSize = 50

    /// One page of the install's users matching `search`, sorted by extension, starting at `start`
    /// (nil: the first page). One query, answered from indexes: see `UserSearch` and `UserPage`.
    func page(installID: Int, search: UserSearch, from start: Extension?) -> PostgresStatement<UserPage> {
        let (lowest, highest, pattern) = Self.bounds(search)
        let from = start?.digits ?? ""
        return PostgresStatement(
            """
            WITH page AS (
                SELECT id, install_id, extension, display_name, hot_desk_access, hot_desk_pin IS NOT NULL AS has_pin,
                       updated_at, version
                FROM hotdesk.users
                WHERE install_id = \(installID) AND extension BETWEEN \(lowest) AND \(highest)
                  AND (\(pattern)::text IS NULL OR lower(display_name) LIKE \(pattern))
                  AND extension >= \(from)
                ORDER BY extension LIMIT \(Self.pageSize + 1)
            ), previous AS (
                SELECT extension FROM hotdesk.users
                WHERE install_id = \(installID) AND extension BETWEEN \(lowest) AND \(highest)
                  AND (\(pattern)::text IS NULL OR lower(display_name) LIKE \(pattern))
                  AND extension < \(from)
                ORDER BY extension DESC LIMIT \(Self.pageSize)
            )
            SELECT page.*, (SELECT min(extension) FROM previous) AS previous_start
            FROM page RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY page.extension
            """
        ) { rows in
            let previous: String? = try rows.first?.decode("previous_start")
            return UserPage(
                rows: try rows.filter { $0["id"] != nil }.map(Self.user), pageSize: Self.pageSize,
                previousStart: try previous.map { try Extension($0) }, start: \.extension)
        }
    }

    /// The user `userID` of the install `installID`, with the install, when `actor` may see the install: one
    /// statement, so a read or a change finds both in one round trip. With `locking`, the user's row stays locked
    /// until the transaction ends.
    func find(
        userID: Int, installID: Int, for actor: Actor, locking: Bool = false
    )
        -> PostgresStatement<(Install, HotDeskUser)?>
    {
        PostgresStatement(
            """
            SELECT u.id, u.install_id, u.extension, u.display_name, u.hot_desk_access,
                   u.hot_desk_pin IS NOT NULL AS has_pin, u.updated_at, u.version,
                   i.name AS install_name, i.sip_domain, i.version AS install_version
            FROM hotdesk.users u JOIN hotdesk.installs i ON i.id = u.install_id
            WHERE u.id = \(userID) AND i.id = \(installID) AND i.organization_id = \(actor.organizationID)
              AND (\(actor.isAdministrator) OR EXISTS (
                  SELECT 1 FROM hotdesk.manager_installs m WHERE m.install_id = i.id AND m.account_id = \(actor.accountID)))
            \(sql: locking ? "FOR UPDATE OF u" : "")
            """
        ) { rows in
            try rows.first.map { row in
                let install = Install(
                    id: try row.decode("install_id"), name: try row.decode("install_name"),
                    sipDomain: try row.decode("sip_domain"), version: try row.decode("install_version"))
                return (install, try Self.user(row))
            }
        }
    }

    /// Adds a user without access or PIN to an install the caller has already scoped; returns its id.
    func create(
        installID: Int, extension: Extension, displayName: DisplayName, audit: AuditContext,
        on connection: PostgresConnection
    ) throws -> Int {
        let rows: PostgresRows
        do {
            rows = try connection.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name)
                VALUES (\(installID), \(`extension`.digits), \(displayName.text)) RETURNING id
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? OperationError.invalid(.extensionTaken(`extension`)) : error
        }
        let id: Int = try rows[0].decode("id")
        try record(
            "user.created", id: id, installID: installID, label: "\(`extension`) \(displayName)",
            changes: [
                AuditChange("extension", from: nil, to: `extension`.digits),
                AuditChange("display_name", from: nil, to: displayName.text),
            ],
            audit: audit, on: connection)
        return id
    }

    /// Saves User Settings of the locked user `current`: name, Hot Desk Access and, when given, a new PIN.
    /// Writes `user.changed`, `hot_desk_access.granted`/`revoked` and `pin.set` for what actually changed.
    func update(
        _ current: HotDeskUser, displayName: DisplayName, hasAccess: Bool, pin: HotDeskPIN?, audit: AuditContext,
        on connection: PostgresConnection
    ) throws {
        try connection.query(
            """
            UPDATE hotdesk.users
            SET display_name = \(displayName.text), hot_desk_access = \(hasAccess),
                hot_desk_pin = COALESCE(\(pin?.digits), hot_desk_pin),
                pin_changed_at = CASE WHEN \(pin?.digits)::text IS NULL THEN pin_changed_at ELSE now() END,
                version = version + 1
            WHERE id = \(current.id)
            """)
        let label = "\(current.extension) \(displayName)"
        if current.displayName != displayName.text {
            try record(
                "user.changed", id: current.id, installID: current.installID, label: label,
                changes: [AuditChange("display_name", from: current.displayName, to: displayName.text)],
                audit: audit, on: connection)
        }
        if current.hasAccess != hasAccess {
            try recordAccess(
                hasAccess, id: current.id, installID: current.installID, label: label, audit: audit, on: connection)
        }
        if pin != nil {
            try record(
                "pin.set", id: current.id, installID: current.installID, label: label,
                changes: [Self.pinChange(from: current.hasPIN, to: true)], audit: audit, on: connection)
        }
    }

    /// Replaces the locked user's PIN (`pin.reset`, a manager's or administrator's reset) or clears it
    /// (`pin.cleared`, when `pin` is nil).
    func replacePIN(
        _ pin: HotDeskPIN?, of current: HotDeskUser, audit: AuditContext, on connection: PostgresConnection
    )
        throws
    {
        try connection.query(
            """
            UPDATE hotdesk.users SET hot_desk_pin = \(pin?.digits), pin_changed_at = now(), version = version + 1
            WHERE id = \(current.id)
            """)
        try record(
            pin == nil ? "pin.cleared" : "pin.reset", id: current.id, installID: current.installID,
            label: "\(current.extension) \(current.displayName)",
            changes: [Self.pinChange(from: current.hasPIN, to: pin != nil)], audit: audit, on: connection)
    }

    /// Deletes the locked user `current`.
    func delete(_ current: HotDeskUser, audit: AuditContext, on connection: PostgresConnection) throws {
        try connection.query("DELETE FROM hotdesk.users WHERE id = \(current.id)")
        try record(
            "user.deleted", id: current.id, installID: current.installID,
            label: "\(current.extension) \(current.displayName)",
            changes: [
                AuditChange("extension", from: current.extension.digits, to: nil),
                AuditChange("display_name", from: current.displayName, to: nil),
            ],
            audit: audit, on: connection)
    }

    /// Grants or revokes Hot Desk Access for every user in `userIDs`, which must all belong to the
    /// install (otherwise nothing changes and `OperationError.notFound` is thrown). Returns how many
    /// users changed; one event per changed user.
    @discardableResult
    func setAccess(
        _ granted: Bool, userIDs: Set<Int>, installID: Int, audit: AuditContext, on connection: PostgresConnection
    ) throws -> Int {
        let ids = userIDs.sorted()
        let found = try connection.query(
            """
            SELECT id FROM hotdesk.users WHERE install_id = \(installID) AND id = ANY(\(ids)::bigint[])
            ORDER BY id FOR UPDATE
            """)
        guard found.count == ids.count else { throw OperationError.notFound }
        let changed = try connection.query(
            """
            UPDATE hotdesk.users SET hot_desk_access = \(granted), version = version + 1
            WHERE install_id = \(installID) AND id = ANY(\(ids)::bigint[]) AND hot_desk_access <> \(granted)
            RETURNING id, extension, display_name
            """)
        for row in changed {
            let label =
                "\(try row.decode("extension", as: String.self)) \(try row.decode("display_name", as: String.self))"
            try recordAccess(
                granted, id: try row.decode("id"), installID: installID, label: label, audit: audit, on: connection)
        }
        return changed.count
    }

    private func recordAccess(
        _ granted: Bool, id: Int, installID: Int, label: String, audit: AuditContext, on connection: PostgresConnection
    ) throws {
        try record(
            granted ? "hot_desk_access.granted" : "hot_desk_access.revoked", id: id, installID: installID, label: label,
            changes: [AuditChange("hot_desk_access", from: String(!granted), to: String(granted))],
            audit: audit, on: connection)
    }

    private func record(
        _ action: String, id: Int, installID: Int, label: String, changes: [AuditChange], audit: AuditContext,
        on connection: PostgresConnection
    ) throws {
        try AuditLog.record(
            AuditEvent(
                action: action, installID: installID, targetType: "user", targetID: id, targetLabel: label,
                changes: changes),
            context: audit, on: connection)
    }

    /// The PIN as the audit log may show it: set or not, never the digits.
    private static func pinChange(from before: Bool, to after: Bool) -> AuditChange {
        AuditChange("pin", from: before ? "set" : "not set", to: after ? "set" : "not set")
    }

    /// The extension range and name pattern of a search, as query parameters.
    private static func bounds(_ search: UserSearch) -> (String, String, String?) {
        switch search {
        case .everyone: return ("0000", "9999", nil)
        case .extensionRange(let lowest, let highest): return (lowest, highest, nil)
        case .namePrefix(let pattern): return ("0000", "9999", pattern)
        }
    }

    private static func user(_ row: PostgresRow) throws -> HotDeskUser {
        HotDeskUser(
            id: try row.decode("id"), installID: try row.decode("install_id"),
            extension: try Extension(row.decode("extension")), displayName: try row.decode("display_name"),
            hasAccess: try row.decode("hot_desk_access"), hasPIN: try row.decode("has_pin"),
            updatedAt: try row.decode("updated_at"), version: try row.decode("version"))
    }
}
