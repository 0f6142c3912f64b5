import PostgresClient

/// The users of an install: the Users tab's pages, User Settings, PINs, deletion and bulk access.
///
/// Every method takes an install id that the caller has already scoped (`InstallStore.find`), and
/// matches users by id *and* install, so an id from another install is not found. Changes check the
/// version the form read, under a row lock, and write one audit event per action in the caller's
/// transaction: the PIN itself is never recorded, only whether one is set.
public struct UserStore: Sendable {
    /// Users per page on the Users tab.
    public static let pageSize = 50

    /// Creates the store.
    public init() {}

    /// One page of the install's users matching `search`, sorted by extension, starting at `start`
    /// (nil: the first page). One query, answered from indexes: see `UserSearch` and `UserPage`.
    public func page(installID: Int, search: UserSearch, from start: Extension?) -> PostgresStatement<UserPage> {
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

    /// The user with `id` in the install, or nil.
    public func find(id: Int, installID: Int, on connection: PostgresConnection) throws -> HotDeskUser? {
        try connection.query(
            """
            SELECT id, install_id, extension, display_name, hot_desk_access, hot_desk_pin IS NOT NULL AS has_pin,
                   updated_at, version
            FROM hotdesk.users WHERE id = \(id) AND install_id = \(installID)
            """
        ).first.map(Self.user)
    }

    /// Adds a user without access or PIN; returns its id.
    public func create(
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
            throw error.sqlState == .uniqueViolation ? TelephonyError.extensionTaken : error
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

    /// Saves User Settings: name, Hot Desk Access and, when `change.pin` is set, a new PIN. Writes
    /// `user.changed`, `hot_desk_access.granted`/`revoked` and `pin.set` for what actually changed.
    public func update(_ change: UserChange, installID: Int, audit: AuditContext, on connection: PostgresConnection)
        throws
    {
        let current = try locked(id: change.userID, installID: installID, version: change.version, on: connection)
        try connection.query(
            """
            UPDATE hotdesk.users
            SET display_name = \(change.displayName.text), hot_desk_access = \(change.hasAccess),
                hot_desk_pin = COALESCE(\(change.pin?.digits), hot_desk_pin),
                pin_changed_at = CASE WHEN \(change.pin?.digits)::text IS NULL THEN pin_changed_at ELSE now() END,
                version = version + 1
            WHERE id = \(current.id)
            """)
        let label = "\(current.extension) \(change.displayName)"
        if current.displayName != change.displayName.text {
            try record(
                "user.changed", id: current.id, installID: installID, label: label,
                changes: [AuditChange("display_name", from: current.displayName, to: change.displayName.text)],
                audit: audit, on: connection)
        }
        if current.hasAccess != change.hasAccess {
            try recordAccess(change.hasAccess, id: current.id, installID: installID, label: label, audit: audit, on: connection)
        }
        if change.pin != nil {
            try record(
                "pin.set", id: current.id, installID: installID, label: label,
                changes: [Self.pinChange(from: current.hasPIN, to: true)], audit: audit, on: connection)
        }
    }

    /// Replaces the PIN (`pin.reset`, a manager's or administrator's reset) or clears it (`pin.cleared`,
    /// when `pin` is nil), if nobody saved the user since the form read `version`.
    public func replacePIN(
        _ pin: HotDeskPIN?, userID: Int, version: Int, installID: Int, audit: AuditContext,
        on connection: PostgresConnection
    ) throws {
        let current = try locked(id: userID, installID: installID, version: version, on: connection)
        try connection.query(
            """
            UPDATE hotdesk.users SET hot_desk_pin = \(pin?.digits), pin_changed_at = now(), version = version + 1
            WHERE id = \(current.id)
            """)
        try record(
            pin == nil ? "pin.cleared" : "pin.reset", id: current.id, installID: installID,
            label: "\(current.extension) \(current.displayName)",
            changes: [Self.pinChange(from: current.hasPIN, to: pin != nil)], audit: audit, on: connection)
    }

    /// Deletes a user, if nobody saved it since the confirmation page read `version`.
    public func delete(id: Int, version: Int, installID: Int, audit: AuditContext, on connection: PostgresConnection)
        throws
    {
        let current = try locked(id: id, installID: installID, version: version, on: connection)
        try connection.query("DELETE FROM hotdesk.users WHERE id = \(current.id)")
        try record(
            "user.deleted", id: current.id, installID: installID, label: "\(current.extension) \(current.displayName)",
            changes: [
                AuditChange("extension", from: current.extension.digits, to: nil),
                AuditChange("display_name", from: current.displayName, to: nil),
            ],
            audit: audit, on: connection)
    }

    /// Grants or revokes Hot Desk Access for every user in `userIDs`, which must all belong to the
    /// install (otherwise nothing changes and `TelephonyError.notFound` is thrown). Returns how many
    /// users changed; one event per changed user.
    @discardableResult
    public func setAccess(
        _ granted: Bool, userIDs: Set<Int>, installID: Int, audit: AuditContext, on connection: PostgresConnection
    ) throws -> Int {
        let ids = userIDs.sorted()
        let found = try connection.query(
            """
            SELECT id FROM hotdesk.users WHERE install_id = \(installID) AND id = ANY(\(ids)::bigint[])
            ORDER BY id FOR UPDATE
            """)
        guard found.count == ids.count else { throw TelephonyError.notFound }
        let changed = try connection.query(
            """
            UPDATE hotdesk.users SET hot_desk_access = \(granted), version = version + 1
            WHERE install_id = \(installID) AND id = ANY(\(ids)::bigint[]) AND hot_desk_access <> \(granted)
            RETURNING id, extension, display_name
            """)
        for row in changed {
            let label = "\(try row.decode("extension", as: String.self)) \(try row.decode("display_name", as: String.self))"
            try recordAccess(granted, id: try row.decode("id"), installID: installID, label: label, audit: audit, on: connection)
        }
        return changed.count
    }

    /// The user, locked until the transaction ends, when it still has the version the form read.
    private func locked(id: Int, installID: Int, version: Int, on connection: PostgresConnection) throws -> HotDeskUser {
        let rows = try connection.query(
            """
            SELECT id, install_id, extension, display_name, hot_desk_access, hot_desk_pin IS NOT NULL AS has_pin,
                   updated_at, version
            FROM hotdesk.users WHERE id = \(id) AND install_id = \(installID) FOR UPDATE
            """)
        guard let current = try rows.first.map(Self.user) else { throw TelephonyError.notFound }
        guard current.version == version else { throw TelephonyError.staleVersion }
        return current
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
