import Crypto

/// Portal accounts, for administrators: the list, New account, role, installs and disabling, and password resets.
/// Every change writes its audit event in its own transaction; passwords are hashed before it begins, so no
/// connection waits for argon2id.
public struct AccountOperations: Sendable {
    /// Accounts per page of the list.
    public static let pageSize = 50

    let database: Database
    let hasher: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let store = AccountStore()

    /// One page of the organization's accounts, by email.
    public struct Page: Sendable {
        /// The page's accounts.
        public let accounts: [AccountSummary]
        /// How many accounts the organization has.
        public let total: Int
        /// The page's number, from 1.
        public let number: Int
        /// The organization's installs, to name managers' assignments.
        public let installs: [InstallOption]

        /// How many pages `total` accounts fill (at least one).
        public static func count(total: Int) -> Int { max(1, (total + pageSize - 1) / pageSize) }
    }

    /// Page `number` of the organization's accounts; `notFound` past the last page.
    public func page(_ caller: Caller, number: Int) throws -> Page {
        try caller.require(.manageAccounts)
        let organization = caller.actor.organizationID
        return try database.read { connection in
            let total = try store.count(organizationID: organization, on: connection)
            guard (1...Page.count(total: total)).contains(number) else { throw OperationError.notFound }
            let accounts = try store.list(
                organizationID: organization, limit: Self.pageSize, offset: (number - 1) * Self.pageSize, on: connection
            )
            let installs = try store.installOptions(organizationID: organization, on: connection)
            return Page(accounts: accounts, total: total, number: number, installs: installs)
        }
    }

    /// The account `id` of the caller's organization.
    public func account(_ caller: Caller, id: Int) throws -> AccountSummary {
        try caller.require(.manageAccounts)
        guard
            let account = try database.read({
                try store.find(id: id, organizationID: caller.actor.organizationID, on: $0)
            })
        else { throw OperationError.notFound }
        return account
    }

    /// The installs of the caller's organization that a manager can be assigned.
    public func installOptions(_ caller: Caller) throws -> [InstallOption] {
        try caller.require(.manageAccounts)
        return try database.read { try store.installOptions(organizationID: caller.actor.organizationID, on: $0) }
    }

    /// How a new account's first password is chosen.
    public enum InitialPassword: Sendable {
        /// A random password, shown once.
        case generate
        /// The password typed by the administrator.
        case typed(Password)
    }

    /// A new account: its id and, when it was generated, its first password (to be shown once).
    public struct Created: Sendable {
        /// The account's id.
        public let id: Int
        /// The generated password; nil when it was typed.
        public let generatedPassword: Password?
    }

    /// Creates an account in the caller's organization (a manager with the installs `installIDs`, which must be
    /// the organization's); audited as `account.created`.
    public func create(
        _ caller: Caller, email: EmailAddress, displayName: DisplayName, role: AccountRole, installIDs: Set<Int>,
        password choice: InitialPassword
    ) throws -> Created {
        try caller.require(.manageAccounts)
        let password: Password
        switch choice {
        case .generate: password = try generatedPassword()
        case .typed(let typed): password = typed
        }
        let account = NewAccount(
            email: email, displayName: displayName, role: role, passwordHash: try hasher.hashing(password),
            installIDs: installIDs)
        let id = try database.write { connection in
            let id = try store.create(
                account, organizationID: caller.actor.organizationID, context: caller.audit, on: connection)
            return (id, [ChangeScope.account(id)])
        }
        if case .generate = choice { return Created(id: id, generatedPassword: password) }
        return Created(id: id, generatedPassword: nil)
    }

    /// Creates an account from the command line (`hotdesk create-admin`), with no one signed in: in the
    /// organization called `organization`, made when it does not exist yet. Audited as `account.created`.
    public func createFromCommandLine(
        organization: String, email: EmailAddress, displayName: DisplayName, role: AccountRole, password: Password
    ) throws {
        let hash = try hasher.hashing(password)
        try database.write { connection in
            let organizationID = try OrganizationStore().findOrCreate(name: organization, on: connection)
            let id = try store.create(
                NewAccount(email: email, displayName: displayName, role: role, passwordHash: hash, installIDs: []),
                organizationID: organizationID,
                context: AuditContext(requestID: "create-admin", actor: nil, sourceAddress: nil),
                on: connection)
            return ((), [ChangeScope.account(id)])
        }
    }

    /// Changes the account's role, a manager's installs and whether it is disabled, if nobody saved it since
    /// `version` was read. Disabling needs `confirmsDisabling`; a role change or disabling ends its sessions; the
    /// organization always keeps an active administrator. Audited as `account.changed`, `.disabled` or `.enabled`.
    public func update(
        _ caller: Caller, id: Int, version: Int, role: AccountRole, installIDs: Set<Int>, disabled: Bool,
        confirmsDisabling: Bool
    ) throws -> AccountChange {
        try caller.require(.manageAccounts)
        return try database.write(changing: [.account(id)]) { connection in
            try store.update(
                id: id, organizationID: caller.actor.organizationID, version: version, role: role,
                installIDs: installIDs,
                isDisabled: disabled, confirmsDisabling: confirmsDisabling, context: caller.audit, on: connection)
        }
    }

    /// Gives another account a new random password and ends all of its sessions; audited as
    /// `account.password_reset`. Returns the account and the password, to be shown once.
    public func resetPassword(_ caller: Caller, id: Int) throws -> (AccountSummary, Password) {
        let account = try account(caller, id: id)
        guard account.id != caller.actor.accountID else { throw OperationError.invalid(.ownPasswordReset) }
        let password = try generatedPassword()
        let hash = try hasher.hashing(password)
        try database.write(changing: [.account(id)]) { connection in
            try store.setPassword(
                accountID: id, organizationID: caller.actor.organizationID, passwordHash: hash, keptSession: nil,
                context: caller.audit, on: connection)
        }
        return (account, password)
    }

    /// The characters of generated passwords: lowercase letters and digits without the look-alikes `i`, `l`, `o`,
    /// `0` and `1`, so a password read aloud or copied by hand survives.
    private static let generatedAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// A random password of four groups of five characters from `generatedAlphabet` (about 99 bits), drawn
    /// without bias from libsodium's generator.
    func generatedPassword() throws -> Password {
        let groups = (0..<4).map { _ in
            String(
                (0..<5).map { _ in
                    Self.generatedAlphabet[Int(Secrets.uniform(below: UInt32(Self.generatedAlphabet.count)))]
                })
        }
        return try Password(groups.joined(separator: "-"), policy: passwordPolicy)
    }
}
