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

/// The signed-in account on whose behalf a request runs; every store call that reads or changes data
/// takes one, so scope checks cannot be forgotten.
public struct Actor: Sendable, Equatable {
    /// The account's id.
    public let accountID: Int
    /// The organization everything it sees belongs to.
    public let organizationID: Int
    /// The sign-in address, for the audit log.
    public let email: String
    /// The name shown in the header.
    public let displayName: String
    /// Administrator or manager.
    public let role: AccountRole
    /// For managers: the installs they may see; administrators see every install of the organization.
    public let assignedInstallIDs: Set<Int>

    /// Creates an actor (the session store and tests build them).
    public init(
        accountID: Int, organizationID: Int, email: String, displayName: String, role: AccountRole,
        assignedInstallIDs: Set<Int>
    ) {
        self.accountID = accountID
        self.organizationID = organizationID
        self.email = email
        self.displayName = displayName
        self.role = role
        self.assignedInstallIDs = assignedInstallIDs
    }

    /// True for administrators.
    public var isAdministrator: Bool { role == .administrator }
}
