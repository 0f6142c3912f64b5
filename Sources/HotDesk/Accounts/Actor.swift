/// What a portal account may do: everything in its organization, or reset PINs in assigned installs.
public enum AccountRole: String, Sendable, CaseIterable {
    case administrator
    case manager

    /// The role as shown on screens.
    public var title: String {
        switch self {
        case .administrator: return "Administrator"
        case .manager: return "Manager"
        }
    }
}

/// Who acts: a portal account (signed in with a session) or an API key. Read caches and the audit log tell actors
/// apart by it, so a key never shares a kept read with the account that created it.
public enum Principal: Hashable, Sendable {
    /// A portal account, by id.
    case account(Int)
    /// An API key, by id.
    case apiKey(Int)
}

/// The signed-in account, or the API key, on whose behalf a request runs; every store call that reads or changes
/// data takes one, so scope checks cannot be forgotten.
public struct Actor: Sendable, Equatable {
    /// The account or key.
    public let principal: Principal
    /// The organization everything it sees belongs to.
    public let organizationID: Int
    /// The sign-in address, or for a key its name and prefix, for the audit log.
    public let email: String
    /// The name shown in the header.
    public let displayName: String
    /// Administrator or manager.
    public let role: AccountRole
    /// For managers: the installs they may see; administrators see every install of the organization.
    public let assignedInstallIDs: Set<Int>

    /// Creates an account's actor (the session store and tests build them).
    public init(
        accountID: Int, organizationID: Int, email: String, displayName: String, role: AccountRole,
        assignedInstallIDs: Set<Int>
    ) {
        self.init(
            principal: .account(accountID), organizationID: organizationID, email: email, displayName: displayName,
            role: role, assignedInstallIDs: assignedInstallIDs)
    }

    /// Creates an actor for `principal`.
    public init(
        principal: Principal, organizationID: Int, email: String, displayName: String, role: AccountRole,
        assignedInstallIDs: Set<Int>
    ) {
        self.principal = principal
        self.organizationID = organizationID
        self.email = email
        self.displayName = displayName
        self.role = role
        self.assignedInstallIDs = assignedInstallIDs
    }

    /// True for administrators.
    public var isAdministrator: Bool { role == .administrator }

    /// The account's id; nil for an API key.
    public var accountID: Int? {
        if case .account(let id) = principal { return id }
        return nil
    }

    /// The API key's id; nil for an account.
    public var apiKeyID: Int? {
        if case .apiKey(let id) = principal { return id }
        return nil
    }

    /// The read-cache scopes a read made for this actor depends on: an account's role, status and assignments
    /// (a key's never change: it is revoked instead, and keys are checked on every request).
    var scopes: [ChangeScope] {
        if case .account(let id) = principal { return [.account(id)] }
        return []
    }
}
