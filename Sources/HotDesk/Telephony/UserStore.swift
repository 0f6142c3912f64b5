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
    func page(
        installID: Int, search: UserSearch, from start: Extension?, limit: Int = pageSize
    ) -> PostgresStatement<(UserPage, [Int: LoginMark])> {
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
                ORDER BY extension LIMIT \(limit + 1)
            ), marked AS (
                SELECT page.*, mark.login_mark
                FROM page LEFT JOIN LATERAL (
                    SELECT coalesce(l.received, '-') || ' ' || l.user_agent AS login_mark
                    FROM registrar_state.live_registrations l
                    WHERE l.domain = (SELECT sip_domain FROM hotdesk.installs WHERE id = \(installID))
                      AND l.username = page.extension
                    ORDER BY l.id DESC LIMIT 1) AS mark ON true
            ), previous AS (
                SELECT extension FROM hotdesk.users
                WHERE install_id = \(installID) AND extension BETWEEN \(lowest) AND \(highest)
                  AND (\(pattern)::text IS NULL OR lower(display_name) LIKE \(pattern))
                  AND extension < \(from)
                ORDER BY extension DESC LIMIT \(limit)
            )
            SELECT marked.*, (SELECT min(extension) FROM previous) AS previous_start
            FROM marked RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY marked.extension
            """
        ) { rows in
            let previous: String? = try rows.first?.decode("previous_start")
            let listed = rows.filter { $0["id"] != nil }
            var marks: [Int: LoginMark] = [:]
            for row in listed {
                if let mark = row["login_mark"].flatMap(LoginMark.init(column:)) { marks[try row.decode("id")] = mark }
            }
            let page = UserPage(
                rows: try listed.map(Self.user), pageSize: limit,
                previousStart: try previous.map { try Extension($0) }, start: \.extension)
            return (page, marks)
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
              AND (\(actor.isAdministrator) OR i.id = ANY(\(actor.assignedInstallIDs.sorted())::bigint[]))
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
        try AuditLog.record(
            UserEvents.created(id: id, installID: installID, extension: `extension`, displayName: displayName.text),
            context: audit, on: connection)
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
        let events = UserEvents.changed(
            id: current.id, installID: current.installID, extension: current.extension, from: Self.state(current),
            to: UserEvents.State(
                displayName: displayName.text, hasAccess: hasAccess, hasPIN: current.hasPIN || pin != nil),
            setsPIN: pin != nil)
        try AuditLog.record(events, context: audit, on: connection)
    }

    /// Replaces the locked user's PIN (`pin.reset`, a manager's or administrator's reset) or clears it
    /// (`pin.cleared`, when `pin` is nil); returns the user as it now is (from the update itself).
    func replacePIN(
        _ pin: HotDeskPIN?, of current: HotDeskUser, audit: AuditContext, on connection: PostgresConnection
    ) throws -> HotDeskUser {
        let rows = try connection.query(
            """
            UPDATE hotdesk.users SET hot_desk_pin = \(pin?.digits), pin_changed_at = now(), version = version + 1
            WHERE id = \(current.id)
            RETURNING id, install_id, extension, display_name, hot_desk_access, hot_desk_pin IS NOT NULL AS has_pin,
                      updated_at, version
            """)
        try AuditLog.record(UserEvents.pinReplaced(of: current, isCleared: pin == nil), context: audit, on: connection)
        return try Self.user(rows[0])
    }

    /// Deletes the locked user `current`.
    func delete(_ current: HotDeskUser, audit: AuditContext, on connection: PostgresConnection) throws {
        try connection.query("DELETE FROM hotdesk.users WHERE id = \(current.id)")
        try AuditLog.record(
            UserEvents.deleted(
                id: current.id, installID: current.installID, extension: current.extension,
                displayName: current.displayName),
            context: audit, on: connection)
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
        let events = try changed.map { row in
            UserEvents.access(
                granted, id: try row.decode("id"), installID: installID,
                label:
                    "\(try row.decode("extension", as: String.self)) \(try row.decode("display_name", as: String.self))"
            )
        }
        try AuditLog.record(events, context: audit, on: connection)
        return changed.count
    }

    /// Every user of the install, by extension: for an import to compare a file with, and for the export.
    func all(installID: Int) -> PostgresStatement<[HotDeskUser]> {
        PostgresStatement(
            """
            SELECT id, install_id, extension, display_name, hot_desk_access, hot_desk_pin IS NOT NULL AS has_pin,
                   updated_at, version
            FROM hotdesk.users WHERE install_id = \(installID) ORDER BY extension
            """
        ) { rows in try rows.map(Self.user) }
    }

    /// Adds many users at once, each with its access and (when given) PIN; returns their ids by extension. An
    /// extension already taken (added by someone else meanwhile) is `OperationError.staleVersion`.
    func insert(
        _ rows: [(extension: Extension, displayName: DisplayName, hasAccess: Bool, pin: HotDeskPIN?)], installID: Int,
        on connection: PostgresConnection
    ) throws -> [Extension: Int] {
        guard !rows.isEmpty else { return [:] }
        let inserted: PostgresRows
        do {
            inserted = try connection.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin, pin_changed_at)
                SELECT \(installID), v.extension, v.name, v.access, NULLIF(v.pin, ''), CASE WHEN v.pin = '' THEN NULL ELSE now() END
                FROM unnest(\(rows.map(\.extension.digits))::text[], \(rows.map(\.displayName.text))::text[],
                            \(rows.map(\.hasAccess))::boolean[], \(rows.map { $0.pin?.digits ?? "" })::text[])
                     AS v(extension, name, access, pin)
                RETURNING id, extension
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? OperationError.staleVersion : error
        }
        var ids: [Extension: Int] = [:]
        for row in inserted { ids[try Extension(row.decode("extension"))] = try row.decode("id") }
        return ids
    }

    /// Changes many users at once: name, access and, when given, a new PIN (an absent one keeps the PIN).
    func update(
        _ rows: [(id: Int, displayName: DisplayName, hasAccess: Bool, pin: HotDeskPIN?)], installID: Int,
        on connection: PostgresConnection
    ) throws {
        guard !rows.isEmpty else { return }
        try connection.query(
            """
            UPDATE hotdesk.users u
            SET display_name = v.name, hot_desk_access = v.access, hot_desk_pin = COALESCE(NULLIF(v.pin, ''), u.hot_desk_pin),
                pin_changed_at = CASE WHEN v.pin = '' THEN u.pin_changed_at ELSE now() END, version = u.version + 1
            FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map(\.displayName.text))::text[],
                        \(rows.map(\.hasAccess))::boolean[], \(rows.map { $0.pin?.digits ?? "" })::text[])
                 AS v(id, name, access, pin)
            WHERE u.id = v.id AND u.install_id = \(installID)
            """)
    }

    /// Deletes the users `ids` of the install.
    func delete(ids: [Int], installID: Int, on connection: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        try connection.query("DELETE FROM hotdesk.users WHERE install_id = \(installID) AND id = ANY(\(ids)::bigint[])")
    }

    /// What the audit events compare of `user`.
    static func state(_ user: HotDeskUser) -> UserEvents.State {
        UserEvents.State(displayName: user.displayName, hasAccess: user.hasAccess, hasPIN: user.hasPIN)
    }

    /// The extension range and name pattern of a search, as query parameters.
    static func bounds(_ search: UserSearch) -> (String, String, String?) {
        switch search {
        case .everyone: return ("0000", "9999", nil)
        case .extensionRange(let lowest, let highest): return (lowest, highest, nil)
        case .namePrefix(let pattern): return ("0000", "9999", pattern)
        }
    }

    static func user(_ row: PostgresRow) throws -> HotDeskUser {
        HotDeskUser(
            id: try row.decode("id"), installID: try row.decode("install_id"),
            extension: try Extension(row.decode("extension")), displayName: try row.decode("display_name"),
            hasAccess: try row.decode("hot_desk_access"), hasPIN: try row.decode("has_pin"),
            updatedAt: try row.decode("updated_at"), version: try row.decode("version"))
    }
}
