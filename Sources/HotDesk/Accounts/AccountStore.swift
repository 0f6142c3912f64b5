import PostgresClient

/// A portal account as the accounts list and edit form show it (never its password hash).
public struct AccountSummary: Sendable, Equatable {
    /// The account's id.
    public let id: Int
    /// The organization it belongs to.
    public let organizationID: Int
    /// The sign-in address, lowercased.
    public let email: String
    /// The name shown in the header and lists.
    public let displayName: String
    /// Administrator or manager.
    public let role: AccountRole
    /// True when the account may not sign in.
    public let isDisabled: Bool
    /// For managers: the installs assigned to them.
    public let installIDs: [Int]
    /// Optimistic locking: the version the edit form read.
    public let version: Int
}

/// What a new account needs; the password arrives already hashed.
struct NewAccount: Sendable {
    let email: EmailAddress
    let displayName: DisplayName
    let role: AccountRole
    let passwordHash: String
    let installIDs: Set<Int>

    init(email: EmailAddress, displayName: DisplayName, role: AccountRole, passwordHash: String, installIDs: Set<Int>) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.installIDs = installIDs
    }
}

/// What saving an account did.
public enum AccountChange: Sendable, Equatable {
    /// The values sent were the ones stored: nothing was written.
    case unchanged
    /// Role or installs changed.
    case saved
    /// The account was disabled and signed out everywhere.
    case disabled
    /// The account was enabled again.
    case enabled
}

/// The account a sign-in attempt names, as its check needs it.
struct SignInRecord: Sendable {
    /// The account's id.
    let accountID: Int
    /// Who signs in, when the password matches.
    let actor: Actor
    /// The stored argon2id hash.
    let passwordHash: String
    /// True when the account may not sign in.
    let isDisabled: Bool
}

/// An install an administrator can assign to a manager: its id and name, for the account form's checkboxes.
public struct InstallOption: Sendable, Equatable {
    /// The install's id.
    public let id: Int
    /// The install's name.
    public let name: String

    /// Creates an option.
    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// Portal accounts: the SQL of creation, role and install assignments, disabling, passwords.
///
/// Every method takes the acting administrator's organization and never touches another organization's
/// accounts; changes write their audit event in the same transaction.
struct AccountStore: Sendable {
    private let sessions = SessionStore()

    /// The read of the account a sign-in attempt names: who it is, its password hash and whether it is disabled;
    /// nil for an unknown address. A statement, so a sign-in sends it with the throttle's check.
    func signInRecord(email: String) -> PostgresStatement<SignInRecord?> {
        PostgresStatement(
            """
            SELECT a.id, a.organization_id, a.email, a.display_name, a.role::text AS role, a.password_hash, a.disabled,
                   COALESCE((SELECT array_agg(m.install_id) FROM hotdesk.manager_installs m
                             WHERE m.account_id = a.id), '{}') AS installs
            FROM hotdesk.accounts a WHERE a.email = \(email)
            """
        ) { rows in
            try rows.first.map { row in
                SignInRecord(
                    accountID: try row.decode("id"),
                    actor: Actor(
                        accountID: try row.decode("id"), organizationID: try row.decode("organization_id"),
                        email: try row.decode("email"), displayName: try row.decode("display_name"),
                        role: AccountRole(rawValue: try row.decode("role")) ?? .manager,
                        assignedInstallIDs: Set(IntegerArray.parse(try row.decode("installs")))),
                    passwordHash: try row.decode("password_hash"), isDisabled: try row.decode("disabled"))
            }
        }
    }

    /// The organization's accounts by email: all of them, or `limit` of them after skipping `offset`.
    func list(
        organizationID: Int, limit: Int? = nil, offset: Int = 0, on connection: PostgresConnection
    ) throws
        -> [AccountSummary]
    {
        try accounts(organizationID: organizationID, accountID: nil, limit: limit, offset: offset, on: connection)
    }

    /// How many accounts the organization has.
    func count(organizationID: Int, on connection: PostgresConnection) throws -> Int {
        try connection.query(
            "SELECT count(*)::int AS n FROM hotdesk.accounts WHERE organization_id = \(organizationID)")[0].decode("n")
    }

    /// The organization's installs by name, to choose from: manager assignments, the audit filter.
    func installOptions(organizationID: Int, on connection: PostgresConnection) throws -> [InstallOption] {
        try connection.query(
            "SELECT id, name FROM hotdesk.installs WHERE organization_id = \(organizationID) ORDER BY name, id"
        ).map { InstallOption(id: try $0.decode("id"), name: try $0.decode("name")) }
    }

    /// One account of the organization, or nil (404) when it belongs elsewhere or does not exist.
    func find(id: Int, organizationID: Int, on connection: PostgresConnection) throws -> AccountSummary? {
        try accounts(organizationID: organizationID, accountID: id, on: connection).first
    }

    /// Creates an account (and, for managers, its install assignments); returns its id.
    func create(
        _ account: NewAccount, organizationID: Int, context: AuditContext, on connection: PostgresConnection
    ) throws -> Int {
        try InstallStore().requireAll(account.installIDs, organizationID: organizationID, on: connection)
        let inserted: PostgresRows
        do {
            inserted = try connection.query(
                """
                INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
                VALUES (\(organizationID), \(account.email.normalized), \(account.displayName.text),
                        \(account.passwordHash), \(account.role.rawValue)::hotdesk.account_role)
                RETURNING id
                """)
        } catch {
            throw error.sqlState == .uniqueViolation ? OperationError.invalid(.emailTaken) : error
        }
        let id: Int = try inserted[0].decode("id")
        var changes = [
            AuditChange("display_name", from: nil, to: account.displayName.text),
            AuditChange("role", from: nil, to: account.role.rawValue),
        ]
        if account.role == .manager {
            try assign(account.installIDs, to: id, organizationID: organizationID, on: connection)
            changes.append(
                AuditChange(
                    "installs", from: nil, to: account.installIDs.sorted().map(String.init).joined(separator: ",")))
        }
        try AuditLog.record(
            AuditEvent(
                action: "account.created", organizationID: organizationID, targetType: "account", targetID: id,
                targetLabel: account.email.normalized, changes: changes),
            context: context, on: connection)
        return id
    }

    /// Changes role, install assignments and the disabled flag; ends the account's sessions when its
    /// role changes or it is disabled. Disabling needs `confirmsDisabling`; the organization is never left
    /// without an active administrator. Writes nothing when the values are the ones already stored.
    func update(
        id: Int, organizationID: Int, version: Int, role: AccountRole, installIDs: Set<Int>, isDisabled: Bool,
        confirmsDisabling: Bool, context: AuditContext, on connection: PostgresConnection
    ) throws -> AccountChange {
        // Lock the organization's administrators so two demotions at once cannot both pass the check.
        try connection.query(
            """
            SELECT id FROM hotdesk.accounts
            WHERE organization_id = \(organizationID) AND role = 'administrator' ORDER BY id FOR UPDATE
            """)
        guard let current = try find(id: id, organizationID: organizationID, on: connection) else {
            throw OperationError.notFound
        }
        try InstallStore().requireAll(installIDs, organizationID: organizationID, on: connection)
        if isDisabled && !current.isDisabled && !confirmsDisabling {
            throw OperationError.unconfirmed(.disableUnconfirmed)
        }
        guard current.version == version else { throw OperationError.staleVersion }
        let installs = role == .manager ? installIDs : []
        var changes: [AuditChange] = []
        if current.role != role { changes.append(AuditChange("role", from: current.role.rawValue, to: role.rawValue)) }
        if current.isDisabled != isDisabled {
            changes.append(AuditChange("disabled", from: String(current.isDisabled), to: String(isDisabled)))
        }
        let before = Set(current.installIDs).sorted().map(String.init).joined(separator: ",")
        let after = installs.sorted().map(String.init).joined(separator: ",")
        if before != after { changes.append(AuditChange("installs", from: before, to: after)) }
        guard !changes.isEmpty else { return .unchanged }
        let losesAdministrator =
            current.role == .administrator && !current.isDisabled
            && (role != .administrator || isDisabled)
        if losesAdministrator {
            let others = try connection.query(
                """
                SELECT count(*)::int AS n FROM hotdesk.accounts
                WHERE organization_id = \(organizationID) AND role = 'administrator' AND NOT disabled AND id <> \(id)
                """)[0].decode("n", as: Int.self)
            if others == 0 { throw OperationError.invalid(.lastAdministrator(keepsRole: role == .administrator)) }
        }
        // The version check again, under the row lock: a manager's row is not locked above.
        let updated = try connection.query(
            """
            UPDATE hotdesk.accounts
            SET role = \(role.rawValue)::hotdesk.account_role, disabled = \(isDisabled), version = version + 1
            WHERE id = \(id) AND version = \(version)
            """)
        guard updated.affectedRows == 1 else { throw OperationError.staleVersion }
        try connection.query("DELETE FROM hotdesk.manager_installs WHERE account_id = \(id)")
        try assign(installs, to: id, organizationID: organizationID, on: connection)
        if current.role != role || (isDisabled && !current.isDisabled) {
            try sessions.deleteAll(accountID: id, on: connection)
        }
        let action =
            isDisabled && !current.isDisabled
            ? "account.disabled"
            : (!isDisabled && current.isDisabled ? "account.enabled" : "account.changed")
        try AuditLog.record(
            AuditEvent(
                action: action, organizationID: organizationID, targetType: "account", targetID: id,
                targetLabel: current.email, changes: changes),
            context: context, on: connection)
        return isDisabled == current.isDisabled ? .saved : (isDisabled ? .disabled : .enabled)
    }

    /// Sets a new password hash and ends the account's sessions, except `keptSession` (the one that
    /// changed its own password).
    func setPassword(
        accountID: Int, organizationID: Int, passwordHash: String, keptSession: String?, context: AuditContext,
        on connection: PostgresConnection
    ) throws {
        let updated = try connection.query(
            """
            UPDATE hotdesk.accounts
            SET password_hash = \(passwordHash), password_changed_at = now(), version = version + 1
            WHERE id = \(accountID) AND organization_id = \(organizationID)
            RETURNING email
            """)
        guard let row = updated.first else { throw OperationError.notFound }
        try sessions.deleteAll(accountID: accountID, except: keptSession, on: connection)
        try AuditLog.record(
            AuditEvent(
                action: keptSession == nil ? "account.password_reset" : "account.password_changed",
                organizationID: organizationID, targetType: "account", targetID: accountID,
                targetLabel: try row.decode("email")),
            context: context, on: connection)
    }

    private func accounts(
        organizationID: Int?, accountID: Int?, limit: Int? = nil, offset: Int = 0, on connection: PostgresConnection
    ) throws -> [AccountSummary] {
        let rows = try connection.query(
            """
            SELECT a.id, a.organization_id, a.email, a.display_name, a.role::text AS role, a.disabled, a.version,
                   COALESCE((SELECT array_agg(m.install_id ORDER BY m.install_id) FROM hotdesk.manager_installs m
                             WHERE m.account_id = a.id), '{}') AS installs
            FROM hotdesk.accounts a
            WHERE (\(organizationID)::bigint IS NULL OR a.organization_id = \(organizationID))
              AND (\(accountID)::bigint IS NULL OR a.id = \(accountID))
            ORDER BY a.email
            LIMIT \(limit)::bigint OFFSET \(offset)
            """)
        return try rows.map { row in
            AccountSummary(
                id: try row.decode("id"), organizationID: try row.decode("organization_id"),
                email: try row.decode("email"), displayName: try row.decode("display_name"),
                role: AccountRole(rawValue: try row.decode("role")) ?? .manager, isDisabled: try row.decode("disabled"),
                installIDs: IntegerArray.parse(try row.decode("installs")), version: try row.decode("version"))
        }
    }

    private func assign(
        _ installs: Set<Int>, to accountID: Int, organizationID: Int, on connection: PostgresConnection
    ) throws {
        guard !installs.isEmpty else { return }
        try connection.query(
            """
            INSERT INTO hotdesk.manager_installs (organization_id, account_id, install_id)
            SELECT \(organizationID), \(accountID), unnest(\(installs.sorted())::bigint[])
            """)
    }
}
